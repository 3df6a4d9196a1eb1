"""tenor's own `POST /tenor/v1/comments:batchAnalyze`: up to 100 comments, per-item errors."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .serve_helpers import Client, assert_perspective_error  # noqa: E402

PATH = "/tenor/v1/comments:batchAnalyze"
ATTRS = {"TOXICITY": {}, "INSULT": {}}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def batch(texts: list[Any], **extra: Any) -> dict[str, Any]:
    comments = [{"text": t} if isinstance(t, str) else t for t in texts]
    return {"comments": comments, "requestedAttributes": ATTRS, **extra}


def test_each_result_is_what_analyze_answers(scorer: Scorer) -> None:
    client = Client(create_app(scorer))
    texts = ["You are a complete idiot. Really.", "Great article, thanks.", "x" * 20_481, "   "]
    body = batch([{"text": texts[0], "clientToken": "t0"}, *texts[1:], 42, {"text": 5}], spanAnnotations=True)
    resp = client.post(PATH, json=body)
    assert resp.status_code == 200, resp.text
    assert resp.headers["x-tenor-model-version"] == "test-0"
    out = resp.json()
    assert out["modelVersion"] == "test-0"
    assert len(out["results"]) == 6
    for i, text in enumerate(texts):
        single = {"comment": {"text": text}, "requestedAttributes": ATTRS, "spanAnnotations": True}
        if i == 0:
            single["clientToken"] = "t0"
        expected = client.analyze(single)
        assert out["results"][i] == expected.json(), i
    assert out["results"][2]["error"]["details"][0]["errorType"] == "COMMENT_TOO_LONG"
    assert out["results"][3]["error"]["details"][0]["errorType"] == "COMMENT_EMPTY"
    for item in out["results"][4:]:
        assert item["error"]["code"] == 400 and item["error"]["status"] == "INVALID_ARGUMENT"
        assert item["error"]["details"]


def test_unsupported_language_is_per_item(scorer: Scorer) -> None:
    resp = Client(create_app(scorer)).post(PATH, json=batch(["hello", "there"], languages=["xx"]))
    assert resp.status_code == 200
    for item in resp.json()["results"]:
        assert item["error"]["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"


def test_one_score_batch_call(scorer: Scorer, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(scorer)
    calls: list[int] = []
    original = Scorer.score_batch

    def counting(self: Scorer, texts: Any, **kwargs: Any) -> Any:
        texts = list(texts)
        calls.append(len(texts))
        return original(self, texts, **kwargs)

    monkeypatch.setattr(Scorer, "score_batch", counting)
    resp = Client(app).post(PATH, json=batch([f"comment number {i}" for i in range(100)] + [""]))
    assert resp.status_code == 400
    assert calls == []  # 101 comments: refused before scoring
    resp = Client(app).post(PATH, json=batch([f"comment number {i}" for i in range(99)] + [""]))
    assert resp.status_code == 200 and len(resp.json()["results"]) == 100
    assert calls == [99]  # the empty one never reaches the scorer


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        (batch(["a"] * 101), "INVALID_REQUEST"),
        (batch([]), "INVALID_REQUEST"),
        ({"requestedAttributes": ATTRS}, "INVALID_REQUEST"),
        ({"comments": "hello", "requestedAttributes": ATTRS}, "INVALID_REQUEST"),
        ({"comments": [{"text": "hi"}]}, "NO_REQUESTED_ATTRIBUTES"),
        (batch(["hi"], requestedAttributes={"NOT_AN_ATTRIBUTE": {}}), "INVALID_REQUEST"),
        (batch(["hi"], languages=[3]), "INVALID_REQUEST"),
        (batch(["hi"], doNotStore="maybe"), "INVALID_REQUEST"),
    ],
)
def test_request_level_errors(scorer: Scorer, body: dict[str, Any], error_type: str) -> None:
    resp = Client(create_app(scorer)).post(PATH, json=body)
    assert_perspective_error(resp, 400, error_type)


def test_bad_json_and_unknown_fields(scorer: Scorer) -> None:
    client = Client(create_app(scorer))
    assert_perspective_error(client.post(PATH, content=b"{nope"), 400, "INVALID_REQUEST")
    resp = client.post(PATH, json={**batch(["hi"]), "someFutureField": {"x": 1}, "languages": "en"})
    assert resp.status_code == 200
    assert resp.json()["results"][0]["languages"] == ["en"]


def test_rate_limit_counts_each_comment(scorer: Scorer) -> None:
    clock = FakeClock()
    client = Client(create_app(scorer, rate_limit_per_minute=5, clock=clock))
    assert client.post(PATH, json=batch(["a", "b", "c"])).status_code == 200  # 3 used
    resp = client.post(PATH, json=batch(["a", "b", "c"]))  # 1 counted on arrival (4), 2 more do not fit
    assert resp.status_code == 429
    assert resp.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert resp.headers["retry-after"] == "60"
    assert client.analyze({"comment": {"text": "hi"}, "requestedAttributes": ATTRS}).status_code == 200  # 5
    assert client.analyze({"comment": {"text": "hi"}, "requestedAttributes": ATTRS}).status_code == 429
    clock.now += 60
    assert_perspective_error(client.post(PATH, json=batch(["a"] * 6)), 400, "INVALID_REQUEST")  # > the limit
    clock.now += 60
    assert client.post(PATH, json=batch(["a"] * 5)).status_code == 200


def test_storage_follows_do_not_store(scorer: Scorer) -> None:
    app = create_app(scorer, store_requests=True)
    client = Client(app)
    assert client.post(PATH, json=batch(["secret one", ""], doNotStore=True)).status_code == 200
    assert app.state.store.requests() == []
    assert client.post(PATH, json=batch(["kept one", "", "kept two"])).status_code == 200
    assert [r["comment_text"] for r in app.state.store.requests()] == ["kept one", "kept two"]
    app.state.store.close()
