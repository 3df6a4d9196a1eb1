"""`POST /v1alpha1/articles:techniques`, tenor's own endpoint: the response shape, 400s for bad
input in Google's envelope, 501 without a technique model, keys and quota as comments:analyze,
comments:analyze untouched, the `tenor serve` flags, and one call with the shipped model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402
from tenor.serve._openapi import openapi_document  # noqa: E402
from tenor.serve._techniques import ARTICLE_MAX_BYTES, TECHNIQUES_EXAMPLE, TECHNIQUES_PATH  # noqa: E402

from .serve_helpers import ERROR_TYPE, Client  # noqa: E402
from .ui_helpers import FakeTechniques  # noqa: E402

TEXT = TECHNIQUES_EXAMPLE["text"]  # "Our brave nation will never surrender to these corrupt elites.\nEveryone knows they lie."


@pytest.fixture
def fake() -> FakeTechniques:
    return FakeTechniques()


@pytest.fixture
def client(scorer: Scorer, fake: FakeTechniques) -> Client:
    return Client(create_app(scorer, techniques=fake, ui=False))


def post(client: Client, body: Any, **kwargs: Any) -> Any:
    # ASCII-escaped JSON, so a lone surrogate travels as a client would send it: "\ud800"
    headers = {"content-type": "application/json", **kwargs.pop("headers", {})}
    return client.post(TECHNIQUES_PATH, content=json.dumps(body), headers=headers, **kwargs)


def assert_invalid(resp: Any, error_type: str, *words: str) -> str:
    """Google's 400 envelope, as comments:analyze answers it; the message names what is wrong."""
    assert resp.status_code == 400, resp.text
    assert resp.headers["content-type"] == "application/json; charset=UTF-8"
    error = resp.json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["details"][0] == {"@type": ERROR_TYPE, "errorType": error_type}
    assert error["errors"][0]["message"] == error["message"]
    for word in words:
        assert word in error["message"], error["message"]
    return str(error["message"])


def test_response_shape_is_pinned(client: Client, fake: FakeTechniques) -> None:
    resp = post(client, TECHNIQUES_EXAMPLE)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/json; charset=UTF-8"
    assert resp.json() == {
        "model_version": "techniques-test-0",
        "spans": [
            {"begin": 0, "end": 16, "technique": "Flag_Waving", "confidence": 0.88},
            {"begin": 47, "end": 54, "technique": "Loaded_Language", "confidence": 0.73},
            {"begin": 47, "end": 61, "technique": "Name_Calling-Labeling", "confidence": 0.91},
            {"begin": 63, "end": 77, "technique": "Appeal_to_Popularity", "confidence": 0.64},
        ],
        "paragraphs": [
            {"begin": 0, "end": 62, "techniques": [
                {"technique": "Name_Calling-Labeling", "confidence": 0.91},
                {"technique": "Flag_Waving", "confidence": 0.88},
                {"technique": "Loaded_Language", "confidence": 0.73},
            ]},
            {"begin": 63, "end": 87, "techniques": [{"technique": "Appeal_to_Popularity", "confidence": 0.64}]},
        ],
    }  # fmt: skip
    assert fake.calls == [(TEXT, [(0, 62), (63, 87)])]


def test_paragraphs_are_optional_and_unknown_fields_ignored(client: Client, fake: FakeTechniques) -> None:
    resp = post(client, {"text": TEXT, "paragraphs": None, "clientToken": "x", "languages": ["en"]})
    assert resp.status_code == 200, resp.text
    assert fake.calls == [(TEXT, None)]  # the model splits at line breaks itself
    assert [(p["begin"], p["end"]) for p in resp.json()["paragraphs"]] == [(0, 62), (63, 87)]


def test_text_at_the_byte_limit_is_accepted(client: Client, scorer: Scorer) -> None:
    text = "é" * (ARTICLE_MAX_BYTES // 2)  # two bytes each: exactly the limit
    assert post(client, {"text": text}).status_code == 200
    assert_invalid(post(client, {"text": text + "a"}), "COMMENT_TOO_LONG", f"({ARTICLE_MAX_BYTES + 1})", f"({ARTICLE_MAX_BYTES})")


@pytest.mark.parametrize(
    ("body", "error_type", "words"),
    [
        ({}, "COMMENT_EMPTY", ["non-empty"]),
        ({"text": None}, "COMMENT_EMPTY", ["non-empty"]),
        ({"text": " \n\t"}, "COMMENT_EMPTY", ["non-empty"]),
        ({"comment": {"text": "a Perspective body"}}, "COMMENT_EMPTY", ['{"text": "..."}']),
        ({"text": 12}, "INVALID_REQUEST", ["text", "string"]),
        ({"text": ["a"]}, "INVALID_REQUEST", ["text", "string"]),
        ({"text": "a\ud800b"}, "INVALID_REQUEST", ["surrogate"]),
        ({"text": TEXT, "paragraphs": "0-62"}, "INVALID_REQUEST", ["paragraphs", "list"]),
        ({"text": TEXT, "paragraphs": {"begin": 0, "end": 5}}, "INVALID_REQUEST", ["paragraphs", "list"]),
        ({"text": TEXT, "paragraphs": []}, "INVALID_REQUEST", ["non-empty", "leave it out"]),
        ({"text": TEXT, "paragraphs": [[0, 5]]}, "INVALID_REQUEST", ["paragraphs[0]", "begin"]),
        ({"text": TEXT, "paragraphs": [{"begin": 0}]}, "INVALID_REQUEST", ["paragraphs[0]", "integer"]),
        ({"text": TEXT, "paragraphs": [{"begin": "0", "end": 5}]}, "INVALID_REQUEST", ["paragraphs[0]", "integer"]),
        ({"text": TEXT, "paragraphs": [{"begin": 0.0, "end": 5}]}, "INVALID_REQUEST", ["paragraphs[0]", "integer"]),
        ({"text": TEXT, "paragraphs": [{"begin": False, "end": True}]}, "INVALID_REQUEST", ["paragraphs[0]", "integer"]),
        ({"text": TEXT, "paragraphs": [{"begin": -1, "end": 5}]}, "INVALID_REQUEST", ["paragraphs[0]", "0 <= begin < end <= 87"]),
        ({"text": TEXT, "paragraphs": [{"begin": 5, "end": 5}]}, "INVALID_REQUEST", ["paragraphs[0]", "begin 5, end 5"]),
        ({"text": TEXT, "paragraphs": [{"begin": 63, "end": 88}]}, "INVALID_REQUEST", ["paragraphs[0]", "end 88"]),
        ({"text": TEXT, "paragraphs": [{"begin": 63, "end": 87}, {"begin": 0, "end": 62}]}, "INVALID_REQUEST",
         ["paragraphs[1]", "sorted", "not overlap"]),
        ({"text": TEXT, "paragraphs": [{"begin": 0, "end": 62}, {"begin": 61, "end": 87}]}, "INVALID_REQUEST",
         ["paragraphs[1]", "begins at 61", "ends (62)"]),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_that_says_what_to_fix(client: Client, fake: FakeTechniques, body: Any, error_type: str,
                                                  words: list[str]) -> None:  # fmt: skip
    assert_invalid(post(client, body), error_type, *words)
    assert fake.calls == []  # refused before the model ran


@pytest.mark.parametrize(("raw", "words"), [(b'{"text": "a"', ["Invalid JSON payload"]), (b"\xff\xfe", ["UTF-8 JSON"]),
                                            (b'["text"]', ["JSON object", "list"]), (b"", ["non-empty"])])  # fmt: skip
def test_malformed_bodies(client: Client, raw: bytes, words: list[str]) -> None:
    resp = client.post(TECHNIQUES_PATH, content=raw, headers={"content-type": "application/json"})
    assert_invalid(resp, "COMMENT_EMPTY" if not raw else "INVALID_REQUEST", *words)


def test_body_over_the_size_limit(scorer: Scorer) -> None:
    client = Client(create_app(scorer, techniques=FakeTechniques(), ui=False, max_body_bytes=100))
    assert_invalid(post(client, {"text": "x" * 200}), "INVALID_REQUEST", "payload size exceeds the limit: 100 bytes")


def test_without_a_technique_model_the_endpoint_says_so(scorer: Scorer) -> None:
    client = Client(create_app(scorer, ui=False))
    resp = post(client, TECHNIQUES_EXAMPLE)
    assert resp.status_code == 501 and resp.headers["content-type"] == "application/json; charset=UTF-8"
    error = resp.json()["error"]
    assert (error["code"], error["status"]) == (501, "UNIMPLEMENTED")
    assert error["details"][0]["reason"] == "TECHNIQUES_NOT_LOADED"
    assert "no persuasion-technique model loaded" in error["message"] and "--no-techniques" in error["message"]
    assert client.get("/healthz").status_code == 200  # the rest of the service is up
    assert "no model loaded on this server" in client.get("/openapi.json").text


def test_keys_and_quota_as_for_comments_analyze(scorer: Scorer) -> None:
    clock = [0.0]
    app = create_app(scorer, techniques=FakeTechniques(), ui=False, api_key="sesame", rate_limit_per_minute=2,
                     clock=lambda: clock[0])  # fmt: skip
    client = Client(app)
    assert post(client, TECHNIQUES_EXAMPLE).status_code == 403
    assert post(client, TECHNIQUES_EXAMPLE, params={"key": "wrong"}).status_code == 400
    headers = {"x-goog-api-key": "sesame"}
    assert post(client, TECHNIQUES_EXAMPLE, headers=headers).status_code == 200
    assert client.analyze({"comment": {"text": "hi"}, "requestedAttributes": ["TOXICITY"]}, headers=headers).status_code == 200
    resp = post(client, TECHNIQUES_EXAMPLE, headers=headers)  # one quota for both endpoints: the third request
    assert resp.status_code == 429 and resp.json()["error"]["status"] == "RESOURCE_EXHAUSTED" and "retry-after" in resp.headers
    clock[0] += 61
    assert post(client, TECHNIQUES_EXAMPLE, headers=headers).status_code == 200


def test_comments_analyze_is_unchanged(scorer: Scorer, fake: FakeTechniques) -> None:
    body = {"comment": {"text": "You are a complete idiot."}, "requestedAttributes": {"TOXICITY": {}}, "spanAnnotations": True}
    with_model, without = Client(create_app(scorer, techniques=fake, ui=False)), Client(create_app(scorer, ui=False))
    a, b = with_model.analyze(body), without.analyze(body)
    assert (a.status_code, a.json(), a.headers["x-tenor-model-version"]) == (b.status_code, b.json(), b.headers["x-tenor-model-version"])
    assert fake.calls == []


def test_openapi_document_names_the_technique_model(client: Client) -> None:
    doc = client.get("/openapi.json").json()
    assert "model techniques-test-0" in doc["paths"][TECHNIQUES_PATH]["post"]["description"]
    assert set(doc["paths"][TECHNIQUES_PATH]["post"]["responses"]) == {"200", "400", "403", "404", "429", "501"}
    assert openapi_document("m", "0")["paths"][TECHNIQUES_PATH] == openapi_document("m", "0", None)["paths"][TECHNIQUES_PATH]


# --- tenor serve's flags ------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> tuple[list[Any], list[Any]]:
    """`tenor serve` with uvicorn.run and the two model loaders replaced: (apps, technique loads)."""
    import uvicorn

    import tenor.techniques
    from tenor.cli import _serve

    apps: list[Any] = []
    loads: list[Any] = []

    def load(name: str | None = None) -> FakeTechniques:
        loads.append(name)
        return FakeTechniques()

    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    monkeypatch.setattr(tenor.techniques, "load_technique_model", load)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    return apps, loads


def _serve(*args: str) -> Any:
    from click.testing import CliRunner

    from tenor.cli import main

    return CliRunner().invoke(main, ["serve", "--db", ":memory:", *args])


def test_serve_loads_the_shipped_technique_model_by_default(served: tuple[list[Any], list[Any]]) -> None:
    apps, loads = served
    result = _serve()
    assert result.exit_code == 0, result.output
    assert loads == [None] and isinstance(apps[0].state.techniques, FakeTechniques)
    assert "persuasion techniques: model techniques-test-0" in result.stderr
    assert post(Client(apps[0]), TECHNIQUES_EXAMPLE).status_code == 200


def test_serve_techniques_flags(served: tuple[list[Any], list[Any]], tmp_path: Path) -> None:
    apps, loads = served
    result = _serve("--techniques-model", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert loads == [str(tmp_path)]
    result = _serve("--no-techniques")
    assert result.exit_code == 0, result.output
    assert loads == [str(tmp_path)] and apps[1].state.techniques is None
    assert "persuasion techniques: off (--no-techniques)" in result.stderr
    assert post(Client(apps[1]), TECHNIQUES_EXAMPLE).status_code == 501
    result = _serve("--no-techniques", "--techniques-model", "x")
    assert result.exit_code == 2 and "contradict" in result.stderr


def test_serve_with_an_unknown_technique_model_fails_before_serving(monkeypatch: pytest.MonkeyPatch, scorer: Scorer,
                                                                    tmp_path: Path) -> None:  # fmt: skip
    import uvicorn

    from tenor.cli import _serve as serve_module

    monkeypatch.setattr(serve_module, "_load_scorer", lambda model, tier=None: scorer)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: pytest.fail("served without its technique model"))
    result = _serve("--techniques-model", str(tmp_path / "no-such-model"))
    assert result.exit_code == 1 and "No technique model" in result.stderr


def test_worker_config_carries_the_technique_options(served: tuple[list[Any], list[Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    from tenor.cli import _serve as serve_module

    _, loads = served
    monkeypatch.setenv(serve_module._WORKER_CONFIG, json.dumps({"model": None, "techniques_model": "v9", "techniques": True,
                                                               "db_path": ":memory:", "ui": False}))  # fmt: skip
    app = serve_module._worker_app()
    assert loads == ["v9"] and isinstance(app.state.techniques, FakeTechniques)
    monkeypatch.setenv(serve_module._WORKER_CONFIG, json.dumps({"model": None, "techniques_model": None, "techniques": False,
                                                               "db_path": ":memory:", "ui": False}))  # fmt: skip
    assert serve_module._worker_app().state.techniques is None and loads == ["v9"]


# --- the shipped model behind the endpoint -----------------------------------------------------

SHORT_ARTICLE = (
    "These corrupt, treacherous politicians are destroying our great nation. Everyone knows they are liars.\n"
    "The minister said the plan would cost nothing, which is an outright lie.\n"
    "The vote is on Tuesday at noon."
)


def test_the_shipped_model_behind_the_endpoint(scorer: Scorer) -> None:
    from tenor.techniques import DEFAULT_TECHNIQUE_MODEL, TECHNIQUES, load_technique_model

    model = load_technique_model()
    client = Client(create_app(scorer, techniques=model, ui=False))
    lines = [(0, 102), (103, 175), (176, 207)]
    assert [SHORT_ARTICLE[b:e] for b, e in lines] == SHORT_ARTICLE.split("\n")
    resp = post(client, {"text": SHORT_ARTICLE, "paragraphs": [{"begin": b, "end": e} for b, e in lines]})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body == model.find(SHORT_ARTICLE, paragraphs=lines).to_dict()  # the endpoint adds and drops nothing
    assert body["model_version"] == DEFAULT_TECHNIQUE_MODEL == "techniques-en-2026.11.0"
    assert [(p["begin"], p["end"]) for p in body["paragraphs"]] == lines
    assert body["spans"] and body["paragraphs"][0]["techniques"]  # the first line is loaded, the model says so
    for s in body["spans"]:
        assert 0 <= s["begin"] < s["end"] <= len(SHORT_ARTICLE) and s["technique"] in TECHNIQUES and 0 <= s["confidence"] <= 1
    # without paragraphs the model takes the lines: the same answer here
    assert post(client, {"text": SHORT_ARTICLE}).json() == body


def test_a_declared_unsupported_language_is_refused_with_the_language_error(scorer: Scorer) -> None:
    from tenor.techniques import load_technique_model

    client = Client(create_app(scorer, techniques=load_technique_model()))
    resp = post(client, {"text": "Le gouvernement ment encore.", "languages": ["fr"]})
    assert resp.status_code == 400, resp.text
    detail = resp.json()["error"]["details"][0]
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"]["requestedLanguages"] == ["fr"]
    assert post(client, {"text": "The corrupt elite lied again.", "languages": ["en"]}).status_code == 200
