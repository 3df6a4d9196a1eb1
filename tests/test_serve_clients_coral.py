"""Coral Talk contract test: Coral needs MongoDB and Redis to run, so this replays the exact
requests its Perspective integration sends (`services/perspective/perspective.ts`, spec sections
3 and 8) with httpx against the real server on loopback, and checks what Coral reads."""

from __future__ import annotations

import json
import posixpath
import time
from collections.abc import Iterator

import httpx
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .test_serve_clients import live_server  # noqa: E402

CORAL_LANGUAGES = {"en", "es", "fr", "de", "pt"}  # tenant locale -> language; others -> "en"
THRESHOLD = 0.8  # Coral's default toxicity threshold
TIMEOUT_S = 0.5  # the older phases/toxic.ts hard-codes a 500 ms timeout


@pytest.fixture(scope="module")
def coral(scorer: Scorer) -> Iterator[tuple[str, object]]:
    """(endpoint, app): the tenant's `integrations.perspective.endpoint` setting, which includes
    /v1alpha1, as an operator would set it for this server."""
    app = create_app(scorer, db_path=":memory:")
    with live_server(app) as port:
        yield f"http://127.0.0.1:{port}/v1alpha1", app


def _coral_language(locale: str) -> str:
    primary = locale.split("-")[0].lower()
    return primary if primary in CORAL_LANGUAGES else "en"


def _send(endpoint: str, method: str, body: dict) -> httpx.Response:
    # Coral: path.join(endpoint, method) with the key as a query parameter, JSON body.
    url = posixpath.join(endpoint, method)
    return httpx.post(url, params={"key": "coral-key"}, json=body, timeout=TIMEOUT_S,
                      headers={"Content-Type": "application/json"})


def _analyze_body(text: str, locale: str = "en-US", model: str = "TOXICITY", do_not_store: bool = True) -> dict:
    return {
        "comment": {"text": text},
        "doNotStore": do_not_store,
        "requestedAttributes": {model: {}},
        "languages": [_coral_language(locale)],
    }


def _coral_is_toxic(resp: httpx.Response, model: str = "TOXICITY") -> bool | None:
    """Coral's reading: non-2xx -> skip (None); else attributeScores[model].summaryScore.value > threshold."""
    if not resp.is_success:
        return None
    value = resp.json()["attributeScores"][model]["summaryScore"]["value"]
    assert isinstance(value, float) and 0.0 <= value <= 1.0
    return value > THRESHOLD


@pytest.mark.parametrize("model", ["TOXICITY", "SEVERE_TOXICITY"])
def test_analyze_as_coral_sends_it(coral: tuple[str, object], model: str) -> None:
    endpoint, _ = coral
    texts = ["You are a complete idiot and everyone knows it.", "Great article, thanks for the careful reporting.",
             "Shut up, you stupid troll. Nobody cares. " * 40]
    # Warm up with a real sentence: the first request that runs language detection loads
    # py3langid's model (about 0.35 s, tenor/_language.py `_identifier`), which the server does
    # not do at start-up. Coral's first comment after a restart sees that.
    _send(endpoint, "comments:analyze", _analyze_body("Thanks for the careful reporting, friend.", model=model))
    for text in texts:
        start = time.perf_counter()
        resp = _send(endpoint, "comments:analyze", _analyze_body(text, model=model))
        elapsed = time.perf_counter() - start
        assert resp.status_code == 200, resp.text
        assert _coral_is_toxic(resp, model) in (True, False)
        assert list(resp.json()["attributeScores"]) == [model]
        assert elapsed < TIMEOUT_S / 5, f"{elapsed * 1000:.0f} ms: Coral gives up at 500 ms"


def test_unsupported_tenant_language_is_a_clean_skip(coral: tuple[str, object]) -> None:
    # No model here scores German: a German tenant gets Google's 400, which Coral treats as
    # "no score" rather than a crash.
    endpoint, app = coral
    resp = _send(endpoint, "comments:analyze", _analyze_body("Du bist ein Idiot.", locale="de-DE"))
    assert resp.status_code == 400
    assert resp.json()["error"]["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert _coral_is_toxic(resp) is None
    # A Spanish tenant is scored by the multilingual tier (in time: create_app loaded its encoder),
    # or gets the same clean skip on a server without it.
    resp = _send(endpoint, "comments:analyze", _analyze_body("Eres un idiota.", locale="es-ES"))
    companions = app.state.scorer.engines[1:]  # type: ignore[attr-defined]
    if companions:
        assert resp.status_code == 200 and resp.json()["modelVersion"] == companions[0].info.version
        assert _coral_is_toxic(resp) in (True, False)
    else:
        assert resp.status_code == 400 and _coral_is_toxic(resp) is None
    # A locale Coral does not map falls back to English and scores.
    assert _coral_language("ja-JP") == "en"
    assert _coral_is_toxic(_send(endpoint, "comments:analyze", _analyze_body("hello", locale="ja-JP"))) in (True, False)


def test_suggestscore_on_moderation(coral: tuple[str, object]) -> None:
    endpoint, app = coral
    body = {
        "comment": {"text": "You are a complete idiot and everyone knows it."},
        "context": {"entries": [{"text": json.dumps({
            "storyURL": "https://news.example/story-1", "commentID": "c-42", "commentRevisionID": "r-1",
        })}]},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        "languages": ["en"],
        "communityId": "Coral:https://news.example",
        "clientToken": "comment:c-42",
    }
    resp = _send(endpoint, "comments:suggestscore", body)
    assert resp.status_code == 200, resp.text
    assert resp.json()["clientToken"] == "comment:c-42"
    stored = app.state.store.suggestions()[-1]
    assert stored["community_id"] == "Coral:https://news.example"
