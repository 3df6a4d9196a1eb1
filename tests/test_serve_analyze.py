"""`tenor serve`: comments:analyze, errors, health and 404s, in process with the tiny model."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")

from tenor import Model, Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .serve_helpers import Client, assert_perspective_error  # noqa: E402

ANALYZE = "/v1alpha1/comments:analyze"


@pytest.fixture(scope="module")
def client(tiny_model: Model) -> Client:
    # English only, as `tenor serve --no-multilingual`: what these tests pin must not depend on
    # whether the multilingual extra is installed (test_serve_multilingual.py covers the tier)
    return Client(create_app(Scorer(tiny_model, multilingual=False), db_path=":memory:"))


def test_success_shape(client: Client) -> None:
    resp = client.analyze(
        {"comment": {"text": "What kind of idiot name is foo?"}, "languages": ["en"],
         "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}, "clientToken": "ct-1"},
        params={"key": "anything", "alt": "json", "prettyPrint": "false", "fields": "x", "$.xgafv": "2"},
    )
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json; charset=UTF-8"
    assert resp.headers["x-tenor-model-version"] == "test-0"
    body = resp.json()
    assert list(body) == ["attributeScores", "languages", "detectedLanguages", "clientToken", "modelVersion"]
    assert list(body["attributeScores"]) == ["TOXICITY", "INSULT"]
    for scores in body["attributeScores"].values():
        summary = scores["summaryScore"]
        assert summary["type"] == "PROBABILITY" and 0.0 <= summary["value"] <= 1.0
        assert scores["spanScores"] == [{"begin": 0, "end": 31, "score": summary}]
    assert body["languages"] == ["en"] and body["detectedLanguages"] == ["en"]
    assert body["clientToken"] == "ct-1" and body["modelVersion"] == "test-0"


def test_matches_library_scores(client: Client, scorer: Scorer) -> None:
    text = "You are a complete idiot and everyone knows it."
    body = client.analyze({"comment": {"text": text}, "requestedAttributes": {"THREAT": {}}}).json()
    assert body["attributeScores"]["THREAT"]["summaryScore"]["value"] == scorer.score(text)["THREAT"]
    assert "clientToken" not in body


def test_span_offsets_are_utf16_code_units(client: Client) -> None:
    text = "héllo 😀 idiot. 𝒜 second 🎉 sentence."
    body = client.analyze(
        {"comment": {"text": text, "type": "PLAIN_TEXT"}, "requestedAttributes": {"TOXICITY": {}},
         "spanAnnotations": True}
    ).json()
    spans = body["attributeScores"]["TOXICITY"]["spanScores"]
    units = text.encode("utf-16-le")
    pieces = [units[2 * s["begin"]: 2 * s["end"]].decode("utf-16-le") for s in spans]
    assert pieces == ["héllo 😀 idiot.", "𝒜 second 🎉 sentence."]
    assert spans[-1]["end"] == len(units) // 2 == len(text) + 3


def test_escaped_surrogate_pairs_in_json(client: Client) -> None:
    raw = json.dumps({"comment": {"text": "h\u00e9llo \U0001f600"}, "requestedAttributes": {"TOXICITY": {}}})
    assert "\\ud83d\\ude00" in raw
    resp = client.post(ANALYZE, content=raw, headers={"content-type": "application/json"})
    assert resp.json()["attributeScores"]["TOXICITY"]["spanScores"][0]["end"] == 8  # 7 code points, the emoji counts 2


def test_lenient_inputs(client: Client) -> None:
    # n8n: lower-case scoreType, PLAIN_TEXT, languages as a string; plus lower-case names,
    # unknown fields, [] languages, null params, doNotStore, sessionId, communityId, context.
    resp = client.analyze(
        {"comment": {"type": "plain_text", "text": "hello there"}, "bogusField": {"x": 1},
         "requestedAttributes": {"toxicity": {"scoreType": "probability", "scoreThreshold": 0}, "Insult": None},
         "languages": "en", "doNotStore": True, "sessionId": "s", "communityId": "c",
         "context": {"entries": [{"text": "ctx", "type": "PLAIN_TEXT"}]}}
    )
    assert resp.status_code == 200, resp.text
    assert list(resp.json()["attributeScores"]) == ["TOXICITY", "INSULT"]
    assert resp.json()["languages"] == ["en"]
    resp = client.analyze({"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}, "languages": []})
    assert resp.status_code == 200 and resp.json()["languages"] == ["en"]


def test_score_threshold_drops_attributes(client: Client, scorer: Scorer) -> None:
    text = "Shut up, you stupid troll. Nobody cares."
    scores = scorer.score(text)
    low, high = sorted(scorer.attributes, key=lambda a: scores[a])[0], sorted(scorer.attributes, key=lambda a: scores[a])[-1]
    cut = (scores[low] + scores[high]) / 2
    requested = {low: {"scoreThreshold": cut}, high: {"scoreThreshold": cut}}
    body = client.analyze({"comment": {"text": text}, "requestedAttributes": requested}).json()
    assert list(body["attributeScores"]) == [high]
    body = client.analyze({"comment": {"text": text}, "requestedAttributes": {low: {"scoreThreshold": 1.0}}}).json()
    assert "attributeScores" not in body and body["detectedLanguages"] == ["en"]


def test_drop_unsupported_attributes(client: Client) -> None:
    base = {"comment": {"text": "hello there"}, "clientToken": "t"}
    resp = client.analyze({**base, "requestedAttributes": {"SEXUALLY_EXPLICIT": {}, "TOXICITY": {}}})
    assert_perspective_error(resp, 400, "INVALID_REQUEST")
    assert resp.json()["error"]["message"] == "Unknown requested attribute: SEXUALLY_EXPLICIT"
    body = client.analyze(
        {**base, "requestedAttributes": {"SEXUALLY_EXPLICIT": {}, "TOXICITY": {}}, "dropUnsupportedAttributes": True}
    ).json()
    assert list(body["attributeScores"]) == ["TOXICITY"] and body["clientToken"] == "t"
    body = client.analyze(
        {**base, "requestedAttributes": {"TOXICITY": {}}, "languages": ["fr"], "dropUnsupportedAttributes": True}
    ).json()
    assert "attributeScores" not in body and body["languages"] == ["fr"] and body["clientToken"] == "t"
    body = client.analyze({**base, "requestedAttributes": {"FLIRTATION": {}}, "dropUnsupportedAttributes": True}).json()
    assert "attributeScores" not in body and body["languages"] == ["en"]
    # a typo is not a Perspective attribute: still an error
    resp = client.analyze({**base, "requestedAttributes": {"TOXCITY": {}}, "dropUnsupportedAttributes": True})
    assert_perspective_error(resp, 400, "INVALID_REQUEST")
    # an empty text is still an error when every attribute was dropped
    resp = client.analyze({"comment": {"text": " "}, "requestedAttributes": {"FLIRTATION": {}},
                           "dropUnsupportedAttributes": True})
    assert_perspective_error(resp, 400, "COMMENT_EMPTY")


@pytest.mark.parametrize(
    ("body", "error_type", "message"),
    [
        ({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY", "Comment must be non-empty."),
        ({"requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY", "Comment must be non-empty."),
        ({"comment": {"text": "é" * 10241}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_TOO_LONG",
         "Comment text was too many bytes. Value (20482) exceeded limit (20480)."),
        ({"comment": {"text": "hi"}}, "NO_REQUESTED_ATTRIBUTES", "Missing requested_attributes"),
        ({"comment": {"text": "hi"}, "requestedAttributes": {}}, "NO_REQUESTED_ATTRIBUTES", "Missing requested_attributes"),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"NOPE": {}}}, "INVALID_REQUEST",
         "Unknown requested attribute: NOPE"),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}, "INVALID_REQUEST",
         "Requested score type RAW is not supported by attribute TOXICITY"),
        ({"comment": {"text": "hi", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST",
         "Currently, only 'PLAIN_TEXT' comments are supported"),
        ({"comment": {"text": "hi", "type": "MARKDOWN"}, "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST",
         "Unknown text type"),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}},
          "context": {"entries": [{"text": "a"}], "articleAndParentComment": {"article": {"text": "b"}}}},
         "INVALID_REQUEST",
         "Context can have either entries or article_and_parent_comment, but both fields were populated."),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en", "fr"]},
         "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE", "Attribute TOXICITY does not support request languages: en, fr"),
        ({"comment": "hi", "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST", None),
        ({"comment": {"text": 5}, "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST", None),
        ({"comment": {"text": "hi"}, "requestedAttributes": 7}, "INVALID_REQUEST", None),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": "x"}}}, "INVALID_REQUEST", None),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": 3}}, "INVALID_REQUEST", None),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "languages": [1]}, "INVALID_REQUEST", None),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "spanAnnotations": [1]}, "INVALID_REQUEST", None),
        ({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "clientToken": {}}, "INVALID_REQUEST", None),
        ({"comment": {"text": "a\ud800b"}, "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST", None),
    ],
)
def test_error_envelopes(client: Client, body: dict, error_type: str, message: str | None) -> None:
    resp = client.post(ANALYZE, content=json.dumps(body), headers={"content-type": "application/json"})
    error = assert_perspective_error(resp, 400, error_type)
    if message is not None:
        assert error["message"] == message


def test_language_error_details(client: Client) -> None:
    resp = client.analyze({"comment": {"text": "hi"}, "requestedAttributes": {"INSULT": {}, "TOXICITY": {}},
                           "languages": ["de"]})
    detail = assert_perspective_error(resp, 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")["details"][0]
    assert detail["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["de"], "requestedLanguages": ["de"], "attribute": "INSULT"}


@pytest.mark.parametrize("raw", [b"", b"   ", b"{", b"[1]", b'"text"', b"\xff\xfe", b"[" * 100000, b"null"])
def test_bad_bodies(client: Client, raw: bytes) -> None:
    resp = client.post(ANALYZE, content=raw, headers={"content-type": "application/json"})
    assert resp.status_code == 400
    error_type = resp.json()["error"]["details"][0]["errorType"]
    assert error_type in ("COMMENT_EMPTY", "INVALID_REQUEST")
    assert_perspective_error(resp, 400, error_type)
    if not raw.strip():
        assert error_type == "COMMENT_EMPTY"  # PyPerspective's key probe posts no body
    elif raw in (b"{", b"\xff\xfe"):
        assert resp.json()["error"]["message"].startswith("Invalid JSON payload received.")


def test_request_size_limit(scorer: Scorer) -> None:
    small = Client(create_app(scorer, max_body_bytes=1000))
    resp = small.analyze({"comment": {"text": "x" * 2000}, "requestedAttributes": {"TOXICITY": {}}})
    error = assert_perspective_error(resp, 400, "INVALID_REQUEST")
    assert error["message"] == "Request payload size exceeds the limit: 1000 bytes."


def test_not_found_and_wrong_method(client: Client) -> None:
    assert_perspective_error(client.get("/nope"), 404, "NOT_FOUND")
    assert_perspective_error(client.post("/v1alpha1/comments:nope", json={}), 404, "NOT_FOUND")
    assert_perspective_error(client.get(ANALYZE), 404, "NOT_FOUND")
    assert_perspective_error(client.post("/v1alpha1/comments%3Aanalyze2", json={}), 404, "NOT_FOUND")


def test_healthz(client: Client) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "modelVersion": "test-0", "modelVersions": ["test-0"]}


def test_readyz_tells_the_database_state_and_healthz_never_asks_it(scorer: Scorer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20: liveness (/healthz) and readiness (/readyz, the database) are apart; with the
    database down or hung, scoring (which needs no storage) still answers."""
    import time

    from tenor.serve import _routes_discovery

    app = create_app(scorer, db_path=":memory:")
    client = Client(app)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["database"] == "ok"
    store = app.state.store

    def down() -> None:
        raise RuntimeError("connection refused")

    monkeypatch.setattr(store, "ping", down)
    failing = client.get("/readyz")
    assert failing.status_code == 503 and failing.json()["database"] == "RuntimeError: connection refused"
    assert client.get("/healthz").status_code == 200
    body = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}
    assert client.analyze(body).status_code == 200  # doNotStore by default: no database needed

    monkeypatch.setattr(_routes_discovery, "READY_TIMEOUT_S", 0.05)
    monkeypatch.setattr(store, "ping", lambda: time.sleep(0.5))  # a hung database
    hung = client.get("/readyz")
    assert hung.status_code == 503 and hung.json()["database"] == "no answer within 0.05 s"


def test_api_key(scorer: Scorer) -> None:
    keyed = Client(create_app(scorer, api_key="s3cret"))
    body = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}
    assert_perspective_error(keyed.analyze(body), 403, "CONSUMER_INVALID")
    error = assert_perspective_error(keyed.analyze(body, params={"key": "wrong"}), 400, "API_KEY_INVALID")
    assert error["message"] == "API key not valid. Please pass a valid API key."
    assert keyed.analyze(body, params={"key": "s3cret"}).status_code == 200
    assert keyed.analyze(body, headers={"X-Goog-Api-Key": "s3cret"}).status_code == 200
    assert keyed.analyze(body, headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert_perspective_error(keyed.analyze(body, headers={"Authorization": "Bearer no"}), 400, "API_KEY_INVALID")
    # discovery: public without a key, but a wrong key is refused (perspective.py relies on it)
    assert keyed.get("/$discovery/rest", params={"version": "v1alpha1"}).status_code == 200
    assert_perspective_error(keyed.get("/$discovery/rest", params={"key": "bad"}), 400, "API_KEY_INVALID")
    assert keyed.get("/healthz").status_code == 200


def test_access_log_has_no_text_or_key(scorer: Scorer, caplog: pytest.LogCaptureFixture) -> None:
    keyed = Client(create_app(scorer, api_key="s3cret"))
    with caplog.at_level("DEBUG"):
        keyed.analyze({"comment": {"text": "secret comment words"}, "requestedAttributes": {"TOXICITY": {}}},
                      params={"key": "s3cret"})
        keyed.analyze({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}, params={"key": "s3cret"})
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("tenor"))
    assert "POST /v1alpha1/comments:analyze 200" in logged
    assert "secret comment" not in logged and "s3cret" not in logged


def test_shipped_model_end_to_end() -> None:
    app = create_app(db_path=":memory:")  # the shipped model
    text = "What kind of idiot name is foo? Sorry, I like your name."
    body = Client(app).analyze({"comment": {"text": text}, "requestedAttributes": {"INSULT": {}},
                                "spanAnnotations": True}).json()
    insult = body["attributeScores"]["INSULT"]
    assert [(s["begin"], s["end"]) for s in insult["spanScores"]] == [(0, 31), (32, 56)]
    assert insult["spanScores"][0]["score"]["value"] > insult["spanScores"][1]["score"]["value"]
    assert body["modelVersion"] == app.state.scorer.model_version


def test_cli_serve(monkeypatch: pytest.MonkeyPatch, scorer: Scorer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import uvicorn
    from click.testing import CliRunner

    from tenor.cli import _serve, main

    calls: dict = {}
    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(app=app, **kw))
    db = tmp_path / "s.db"
    result = CliRunner().invoke(main, ["serve", "--port", "9999", "--db", str(db), "--public-url", "https://x.org",
                                       "--api-key", "k"])
    assert result.exit_code == 0, result.output
    assert calls["host"] == "127.0.0.1" and calls["port"] == 9999 and calls["access_log"] is False
    client = Client(calls["app"])
    assert client.get("/$discovery/rest").json()["rootUrl"] == "https://x.org/"
    assert_perspective_error(client.analyze({"comment": {"text": "hi"}}), 403, "CONSUMER_INVALID")
    assert db.exists()
    calls["app"].state.store.close()
