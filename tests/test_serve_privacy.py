"""Privacy by default (spec section 7): nothing from comments:analyze is kept unless the operator
turns on --store-requests, and `doNotStore: true` always leaves nothing in the database or logs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .serve_helpers import Client  # noqa: E402

SECRET = "my very private comment about zanzibar"


def request(text: str = SECRET, **extra: object) -> dict:
    return {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}, "insult": {}},
            "languages": ["en"], **extra}


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]  # noqa: S608
                for n in names if n not in ("schema_migrations", "sqlite_sequence")}


def on_disk(folder: Path) -> bytes:
    # the database, its WAL and anything else SQLite left: the text must be in none of them
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


def test_default_stores_nothing_from_analyze(scorer: Scorer, tmp_path: Path) -> None:
    db = tmp_path / "tenor.db"
    app = create_app(scorer, db_path=str(db))
    client = Client(app)
    assert client.analyze(request(communityId="c", sessionId="s")).status_code == 200
    assert client.analyze(request(doNotStore=False)).status_code == 200
    assert client.analyze(request(text="")).status_code == 400
    assert app.state.store.requests() == []
    assert SECRET.encode() not in on_disk(tmp_path)
    app.state.store.close()
    assert table_counts(db) == {"suggestions": 0, "api_keys": 0, "analyze_requests": 0, "pages": 0, "page_comments": 0,
                                **dict.fromkeys(("reviewers", "reviewer_sessions", "review_decisions", "community_thresholds", "settings"), 0)}
    assert SECRET.encode() not in on_disk(tmp_path)


def test_store_requests_keeps_what_was_asked(scorer: Scorer, tmp_path: Path) -> None:
    db = tmp_path / "tenor.db"
    app = create_app(scorer, db_path=str(db), store_requests=True)
    client = Client(app)
    reply = client.analyze(request(communityId="Coral:x", sessionId="s-1", spanAnnotations=True)).json()
    assert client.analyze(request(text="")).status_code == 400  # errors are not stored
    (row,) = app.state.store.requests()
    assert set(row) == {"id", "received_at", "comment_text", "requested_attributes", "attribute_scores",
                        "languages", "community_id", "session_id", "model_version"}
    assert row["comment_text"] == SECRET
    assert row["requested_attributes"] == ["TOXICITY", "INSULT"]
    assert row["attribute_scores"] == reply["attributeScores"]
    assert row["languages"] == ["en"] and row["model_version"] == "test-0"
    assert row["community_id"] == "Coral:x" and row["session_id"] == "s-1" and row["received_at"]
    app.state.store.close()
    assert table_counts(db) == {"suggestions": 0, "api_keys": 0, "analyze_requests": 1, "pages": 0, "page_comments": 0,
                                **dict.fromkeys(("reviewers", "reviewer_sessions", "review_decisions", "community_thresholds", "settings"), 0)}


@pytest.mark.parametrize("flag", [True, "true", "TRUE"])
def test_do_not_store_always_wins(scorer: Scorer, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                  flag: object) -> None:
    db = tmp_path / "tenor.db"
    app = create_app(scorer, db_path=str(db), store_requests=True)
    client = Client(app)
    with caplog.at_level("DEBUG"):
        resp = client.analyze(request(doNotStore=flag, communityId="comm-qwxz", sessionId="sess-xyzzy-42"))
        assert resp.status_code == 200
        assert client.analyze(request(text="kept one", doNotStore=False)).status_code == 200
    assert [r["comment_text"] for r in app.state.store.requests()] == ["kept one"]
    app.state.store.close()
    assert table_counts(db)["analyze_requests"] == 1
    assert SECRET.encode() not in on_disk(tmp_path) and b"xyzzy" not in on_disk(tmp_path) and b"qwxz" not in on_disk(tmp_path)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /v1alpha1/comments:analyze 200" in logged
    assert SECRET not in logged and "zanzibar" not in logged and "kept one" not in logged


def test_no_text_in_logs_on_errors(scorer: Scorer, caplog: pytest.LogCaptureFixture) -> None:
    client = Client(create_app(scorer, store_requests=True, rate_limit_per_minute=2))
    with caplog.at_level("DEBUG"):
        client.analyze(request(text=SECRET * 1000))  # too long
        client.analyze({"comment": {"text": SECRET, "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}})
        client.analyze(request())  # rate limited
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert " 400 " in logged and " 429 " in logged
    assert "zanzibar" not in logged


def test_cli_store_requests(monkeypatch: pytest.MonkeyPatch, scorer: Scorer, tmp_path: Path) -> None:
    import uvicorn
    from click.testing import CliRunner

    from tenor.cli import _serve, main

    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    apps: list = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    for args in ([], ["--store-requests"]):
        result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / f"{len(args)}.db"), *args])
        assert result.exit_code == 0, result.output
    assert "analyze requests stored: no" in CliRunner().invoke(main, ["serve", "--db", ":memory:"]).stderr
    for app in apps:
        Client(app).analyze(request())
    assert [len(app.state.store.requests()) for app in apps] == [0, 1, 0]
    for app in apps:
        app.state.store.close()
