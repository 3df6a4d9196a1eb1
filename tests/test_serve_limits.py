"""`tenor serve --rate-limit`: 429 RESOURCE_EXHAUSTED in Google's shape, with an injected clock."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402
from tenor.serve._limits import RateLimiter  # noqa: E402

from .serve_helpers import Client  # noqa: E402

BODY = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def expected_429(consumer: str, limit: int) -> dict:
    message = (
        "Quota exceeded for quota metric 'Analysis requests (AnalyzeComment)' and limit"
        " 'Analysis requests (AnalyzeComment) per minute' of service 'commentanalyzer.googleapis.com'"
        f" for consumer '{consumer}'."
    )
    return {"error": {
        "code": 429,
        "message": message,
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
             "domain": "googleapis.com", "metadata": {
                 "quota_limit_value": str(limit), "quota_limit": "AnalyzeRequestsPerMinutePerProject",
                 "consumer": consumer, "service": "commentanalyzer.googleapis.com",
                 "quota_location": "global", "quota_metric": "CommentAnalyzerService/analyze_requests"}},
            {"@type": "type.googleapis.com/google.rpc.Help", "links": [{
                "description": "Request a higher quota limit: the operator of this tenor server sets it"
                               " with `tenor serve --rate-limit`.",
                "url": "https://cloud.google.com/docs/quotas/help/request_increase"}]},
        ],
        "errors": [{"message": message, "domain": "global", "reason": "rateLimitExceeded"}],
    }}


def test_off_by_default(scorer: Scorer) -> None:
    client = Client(create_app(scorer))
    assert all(client.analyze(BODY).status_code == 200 for _ in range(70))


def test_429_body_and_retry_after(scorer: Scorer) -> None:
    clock = FakeClock()
    client = Client(create_app(scorer, rate_limit_per_minute=3, clock=clock))
    many = {**BODY, "requestedAttributes": {"TOXICITY": {}, "INSULT": {}, "THREAT": {}}}
    for _ in range(3):  # one request counts once, however many attributes it asks for
        assert client.analyze(many).status_code == 200
        clock.now += 10
    resp = client.analyze(BODY)
    assert resp.status_code == 429
    assert resp.headers["content-type"] == "application/json; charset=UTF-8"
    assert resp.json() == expected_429("ip:127.0.0.1", 3)
    # the oldest request (t=1000) leaves the window at t=1060; now is 1030
    assert resp.headers["retry-after"] == "30"
    assert resp.headers["x-tenor-model-version"] == "test-0"
    # other endpoints are not limited
    assert client.get("/healthz").status_code == 200
    assert client.get("/$discovery/rest").status_code == 200
    clock.now = 1059.5
    assert client.analyze(BODY).headers["retry-after"] == "1"
    clock.now = 1060.0  # a sliding window: exactly one slot is free again
    assert client.analyze(BODY).status_code == 200
    assert client.analyze(BODY).status_code == 429


def test_invalid_requests_count(scorer: Scorer) -> None:
    client = Client(create_app(scorer, rate_limit_per_minute=2, clock=FakeClock()))
    assert client.analyze({"comment": {"text": ""}}).status_code == 400
    assert client.post("/v1alpha1/comments:analyze", content=b"{not json").status_code == 400
    assert client.analyze(BODY).status_code == 429


def test_per_key_quota(scorer: Scorer) -> None:
    clock = FakeClock()
    client = Client(create_app(scorer, api_key="s3cret-key-123", rate_limit_per_minute=1, clock=clock))
    assert client.analyze(BODY, params={"key": "s3cret-key-123"}).status_code == 200
    resp = client.analyze(BODY, headers={"X-Goog-Api-Key": "s3cret-key-123"})
    assert resp.status_code == 429
    assert resp.json()["error"]["details"][0]["metadata"]["consumer"] == "api_key:s3cret-key"
    assert resp.headers["retry-after"] == "60"
    # an unauthenticated caller is refused for the key, before (and without spending) any quota
    assert client.analyze(BODY).status_code == 403


def test_keyless_clients_are_counted_per_ip(scorer: Scorer) -> None:
    import asyncio

    import httpx

    app = create_app(scorer, rate_limit_per_minute=1, clock=FakeClock())

    async def post_from(ip: str) -> int:
        transport = httpx.ASGITransport(app=app, client=(ip, 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return (await c.post("/v1alpha1/comments:analyze", json=BODY)).status_code

    assert asyncio.run(post_from("10.0.0.1")) == 200
    assert asyncio.run(post_from("10.0.0.2")) == 200
    assert asyncio.run(post_from("10.0.0.1")) == 429


def test_limiter_sweeps_idle_consumers() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.hit("a") is None and limiter.hit("a") is None
    assert limiter.hit("a") == 60
    clock.now += 61
    assert limiter.hit("b") is None  # the sweep runs: "a" is idle and forgotten
    assert set(limiter._log) == {"b"}
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_cli_rate_limit(monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> None:
    import uvicorn
    from click.testing import CliRunner

    from tenor.cli import _serve, main

    calls: dict = {}
    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(app=app, **kw))
    result = CliRunner().invoke(main, ["serve", "--db", ":memory:", "--rate-limit", "1"])
    assert result.exit_code == 0, result.output
    assert "rate limit: 1/min" in result.output
    client = Client(calls["app"])
    assert client.analyze(BODY).status_code == 200
    assert client.analyze(BODY).status_code == 429
    assert CliRunner().invoke(main, ["serve", "--rate-limit", "0"]).exit_code == 2


def test_per_second_quota(scorer: Scorer) -> None:
    clock = FakeClock()
    client = Client(create_app(scorer, rate_limit_per_minute=2, rate_limit_window_s=1.0, clock=clock))
    assert [client.analyze(BODY).status_code for _ in range(3)] == [200, 200, 429]
    clock.now += 1.0
    assert client.analyze(BODY).status_code == 200


@pytest.mark.parametrize(
    ("flag", "shown"),
    [pytest.param("5/s", "5/s", id="per-second"), pytest.param("60/min", "60/min", id="per-minute")],
)
def test_cli_rate_limit_units(monkeypatch: pytest.MonkeyPatch, scorer: Scorer, flag: str, shown: str) -> None:
    import uvicorn
    from click.testing import CliRunner

    from tenor.cli import _serve, main

    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    result = CliRunner().invoke(main, ["serve", "--db", ":memory:", "--rate-limit", flag])
    assert result.exit_code == 0, result.output
    assert f"rate limit: {shown}" in result.output
    bad = CliRunner().invoke(main, ["serve", "--rate-limit", "5/hour"])
    assert bad.exit_code == 2 and "with /s or /min" in bad.output
