"""`tenor serve --workers` wiring and the pure-ASGI model-version/access-log middleware."""

from __future__ import annotations

import logging
import socket

import pytest

pytest.importorskip("fastapi")

from fastapi import FastAPI  # noqa: E402
from starlette.responses import PlainTextResponse  # noqa: E402

from tenor import Scorer  # noqa: E402
from tenor.serve._fast import ModelVersionMiddleware  # noqa: E402

from .serve_helpers import Client  # noqa: E402


def test_middleware_adds_header_and_logs_without_query(caplog: pytest.LogCaptureFixture) -> None:
    app = FastAPI()

    @app.get("/ok")
    async def ok() -> PlainTextResponse:
        return PlainTextResponse("fine")

    @app.get("/tier")
    async def tier() -> PlainTextResponse:  # a reply scored by another model names it itself
        return PlainTextResponse("fine", headers={"X-Tenor-Model-Version": "multilingual-test"})

    app.add_middleware(ModelVersionMiddleware, version="en-test", logger=logging.getLogger("tenor.serve.access"))
    client = Client(app)
    with caplog.at_level("INFO", logger="tenor.serve.access"):
        ok_resp = client.get("/ok?key=secret-key")
        missing = client.get("/nope")
    assert ok_resp.headers.get_list("x-tenor-model-version") == ["en-test"]
    assert client.get("/tier").headers.get_list("x-tenor-model-version") == ["multilingual-test"]
    assert missing.status_code == 404 and missing.headers["x-tenor-model-version"] == "en-test"
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("GET /ok 200 ") and lines[1].startswith("GET /nope 404 ")
    assert "secret-key" not in "\n".join(lines)


def test_cli_workers_runs_uvicorn_supervisor(monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> None:
    import json
    import os

    import uvicorn
    from click.testing import CliRunner

    from tenor.cli import _serve, main

    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    single: list = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: single.append(app))
    configs: list = []
    monkeypatch.setattr(_serve, "_run_workers", configs.append)
    monkeypatch.setattr(_serve, "_probe", _serve._check)  # in this process, so the fake scorer is used
    monkeypatch.delenv(_serve._WORKER_CONFIG, raising=False)
    result = CliRunner().invoke(main, ["serve", "--db", ":memory:", "--workers", "2", "--rate-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "with 2 worker processes" in result.stderr and "5/min per worker" in result.stderr
    assert not single and len(configs) == 1
    config = configs[0]
    assert config.workers == 2 and config.factory and config.app == "tenor.cli._serve:_worker_app"
    options = json.loads(os.environ[_serve._WORKER_CONFIG])
    assert options["rate_limit_per_minute"] == 5 and options["db_path"] == ":memory:"
    app = _serve._worker_app()  # what each worker process builds
    assert app.state.scorer is scorer
    app.state.store.close()


def test_worker_socket_gets_tcp_nodelay(monkeypatch: pytest.MonkeyPatch) -> None:
    # uvicorn binds with proto 0; asyncio then skips TCP_NODELAY on accepted sockets.
    import uvicorn
    from uvicorn import supervisors

    from tenor.cli import _serve

    seen: list[socket.socket] = []

    class FakeMultiprocess:
        def __init__(self, config, sockets, **kwargs):  # type: ignore[no-untyped-def]
            seen.extend(sockets)

        def run(self) -> None:
            pass

    monkeypatch.setattr(supervisors, "Multiprocess", FakeMultiprocess)
    config = uvicorn.Config("tenor.cli._serve:_worker_app", factory=True, workers=2, host="127.0.0.1", port=0)
    _serve._run_workers(config)
    assert seen and seen[0].proto == socket.IPPROTO_TCP
    seen[0].close()


def test_probe_reports_a_bad_model_from_its_process() -> None:
    from tenor._errors import ModelNotFoundError
    from tenor.cli import _serve

    options = dict(public_url=None, db_path=":memory:", api_key=None, rate_limit_per_minute=None,
                   store_requests=False)
    with pytest.raises(ModelNotFoundError):
        _serve._probe("no-such-model", options)


def test_access_log_record_carries_structured_fields(caplog: pytest.LogCaptureFixture) -> None:
    from starlette.applications import Starlette

    app = Starlette()
    app.add_middleware(ModelVersionMiddleware, version="en-test", logger=logging.getLogger("tenor.serve.access"))
    with caplog.at_level("INFO", logger="tenor.serve.access"):
        Client(app).get("/missing?key=k")
    [record] = [r for r in caplog.records if r.name == "tenor.serve.access"]
    assert (record.http_method, record.http_path, record.http_status) == ("GET", "/missing", 404)  # type: ignore[attr-defined]
    assert record.model_version == "en-test" and record.duration_ms >= 0  # type: ignore[attr-defined]
