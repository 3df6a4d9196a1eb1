"""API keys: `tenor keys create|list|revoke`, stored hashed, enforced by `tenor serve`."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tenor.cli import main

pytest.importorskip("fastapi")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .serve_helpers import Client, assert_perspective_error  # noqa: E402

BODY = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}


def run(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["keys", *args])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_create_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "tenor.db")
    out, err = run("create", "--name", "coral", "--db", db)
    key = out.strip()
    assert out == key + "\n" and key.startswith("tk_") and len(key) == 43
    assert f"Created key 'coral' ({key[:10]}...)" in err and key not in err
    other = run("create", "--db", db)[0].strip()
    assert other != key

    listed = run("list", "--db", db)[0]
    lines = listed.splitlines()
    assert lines[0].split() == ["PREFIX", "CREATED", "REVOKED", "NAME"]
    assert lines[1].split()[0] == key[:10] and lines[1].split()[2:] == ["-", "coral"]
    assert lines[2].split()[0] == other[:10] and lines[2].split()[2:] == ["-"]
    assert key not in listed and other not in listed

    # only a SHA-256 of each key is in the database, never the key
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT name, prefix, key_hash, revoked_at FROM api_keys ORDER BY id").fetchall()
    assert rows == [("coral", key[:10], hashlib.sha256(key.encode()).hexdigest(), None),
                    ("", other[:10], hashlib.sha256(other.encode()).hexdigest(), None)]
    assert key.encode() not in b"".join(p.read_bytes() for p in tmp_path.iterdir())

    assert run("revoke", "coral", "--db", db)[1] == f"Revoked key 'coral' ({key[:10]}...).\n"
    assert run("revoke", other[:10], "--db", db)[1] == f"Revoked key ({other[:10]}...).\n"
    listed = run("list", "--db", db)[0].splitlines()
    assert all(line.split()[2] != "-" for line in listed[1:])

    again = CliRunner().invoke(main, ["keys", "revoke", "coral", "--db", db])
    assert again.exit_code == 1 and "no active key has the name or prefix 'coral'" in again.output


def test_revoke_ambiguous_name(tmp_path: Path) -> None:
    db = str(tmp_path / "tenor.db")
    first = run("create", "--name", "bot", "--db", db)[0].strip()
    run("create", "--name", "bot", "--db", db)
    result = CliRunner().invoke(main, ["keys", "revoke", "bot", "--db", db])
    assert result.exit_code == 1 and "'bot' matches 2 active keys" in result.output
    run("revoke", first, "--db", db)  # the whole key works too
    run("revoke", "bot", "--db", db)  # now only one is active


def test_list_empty(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    run("require", "--db", db)  # locked before any key is made
    assert run("list", "--db", db) == ("", "tenor serve requires a key (none is active: every call is refused)\n")
    run("open", "--db", db)
    assert run("list", "--db", db) == ("", "tenor serve requires no key (open)\n")




def test_serve_requires_a_key_once_one_exists(scorer: Scorer, tmp_path: Path) -> None:
    db = str(tmp_path / "tenor.db")
    app = create_app(scorer, db_path=db)
    client = Client(app)
    assert client.analyze(BODY).status_code == 200  # no keys: keyless
    assert client.analyze(BODY, params={"key": "whatever"}).status_code == 200  # any key is ignored

    key = run("create", "--name", "n", "--db", db)[0].strip()  # another process, a live server
    assert_perspective_error(client.analyze(BODY), 403, "CONSUMER_INVALID")
    error = assert_perspective_error(client.analyze(BODY, params={"key": "nope"}), 400, "API_KEY_INVALID")
    assert error["message"] == "API key not valid. Please pass a valid API key."
    assert client.analyze(BODY, params={"key": key}).status_code == 200
    assert client.analyze(BODY, headers={"X-Goog-Api-Key": key}).status_code == 200
    assert client.analyze(BODY, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    suggest = {"comment": {"text": "hi"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}}
    assert_perspective_error(client.post("/v1alpha1/comments:suggestscore", json=suggest), 403, "CONSUMER_INVALID")
    assert client.post("/v1alpha1/comments:suggestscore", json=suggest, params={"key": key}).status_code == 200
    assert client.get("/$discovery/rest").status_code == 200
    assert_perspective_error(client.get("/$discovery/rest", params={"key": "bad"}), 400, "API_KEY_INVALID")

    second = run("create", "--db", db)[0].strip()
    run("revoke", "n", "--db", db)
    assert_perspective_error(client.analyze(BODY, params={"key": key}), 400, "API_KEY_INVALID")
    assert client.analyze(BODY, params={"key": second}).status_code == 200
    run("revoke", second[:10], "--db", db)
    # issue 20: no active key left must not open the service (it did: any key, or none, got 200)
    assert_perspective_error(client.analyze(BODY), 403, "CONSUMER_INVALID")
    assert_perspective_error(client.analyze(BODY, params={"key": second}), 400, "API_KEY_INVALID")
    assert "every call is refused" in CliRunner().invoke(main, ["keys", "list", "--db", db]).stderr
    run("open", "--db", db)  # opening is a deliberate step of its own
    assert client.analyze(BODY).status_code == 200
    run("require", "--db", db)  # and closing again needs no key to exist
    assert_perspective_error(client.analyze(BODY), 403, "CONSUMER_INVALID")
    app.state.store.close()


def test_open_is_refused_while_a_key_is_active_and_a_mistyped_db_is_never_created(tmp_path: Path) -> None:
    db = str(tmp_path / "tenor.db")
    run("create", "--db", db)
    refused = CliRunner().invoke(main, ["keys", "open", "--db", db])
    assert refused.exit_code == 1 and "revoke them first" in refused.stderr
    typo = tmp_path / "tenr.db"
    for command in (["list"], ["revoke", "x"], ["open"]):
        result = CliRunner().invoke(main, ["keys", *command, "--db", str(typo)])
        assert result.exit_code == 1 and f"no database at {typo}" in result.stderr, result.stderr
        assert not typo.exists()


def test_static_api_key_and_database_keys_together(scorer: Scorer, tmp_path: Path) -> None:
    db = str(tmp_path / "tenor.db")
    key = run("create", "--db", db)[0].strip()
    client = Client(create_app(scorer, db_path=db, api_key="static"))
    assert client.analyze(BODY, params={"key": "static"}).status_code == 200
    assert client.analyze(BODY, params={"key": key}).status_code == 200
    assert_perspective_error(client.analyze(BODY, params={"key": "static2"}), 400, "API_KEY_INVALID")
    assert_perspective_error(client.analyze(BODY), 403, "CONSUMER_INVALID")


def test_cli_serve_reports_key_requirement(monkeypatch: pytest.MonkeyPatch, scorer: Scorer, tmp_path: Path) -> None:
    import uvicorn

    from tenor.cli import _serve

    monkeypatch.setattr(_serve, "_load_scorer", lambda model, tier=None: scorer)
    apps: list = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    db = str(tmp_path / "tenor.db")
    result = CliRunner().invoke(main, ["serve", "--db", db])
    assert "API key: not required" in result.stderr
    run("create", "--db", db)
    result = CliRunner().invoke(main, ["serve", "--db", db])
    assert result.exit_code == 0 and "API key: required" in result.stderr
    assert_perspective_error(Client(apps[-1]).analyze(BODY), 403, "CONSUMER_INVALID")
    for app in apps:
        app.state.store.close()
