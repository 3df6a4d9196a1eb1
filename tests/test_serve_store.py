"""The store on both backends: SQLite (a file) and PostgreSQL (a real server).

PostgreSQL comes from $TENOR_TEST_POSTGRES_URL (.ci/run installs and starts one and sets it); each
test gets a schema of its own, dropped afterwards. Without it, the PostgreSQL cases skip with a
reason naming postgres, which .ci/run treats as a failure.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tenor._api_keys import generate_key, hash_key, key_prefix
from tenor.store._store import _MIGRATIONS, SCHEMA_VERSION, AmbiguousKeyError, SuggestionStore
from tenor.store._backends import _redact, is_postgres_url

PG_ENV = "TENOR_TEST_POSTGRES_URL"
SECRET = "my very private comment about zanzibar"


def _postgres_admin() -> object:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"postgres tests need a server: set {PG_ENV} (.ci/run does)")
    try:
        import psycopg
    except ImportError:
        pytest.skip("postgres tests need psycopg: pip install 'tenor[postgres]'")
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as e:
        pytest.skip(f"postgres server at {_redact(url)} is unreachable: {e}")


def _with_search_path(url: str, schema: str) -> str:
    option = "options=" + quote(f"-csearch_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}{option}"


class Target:
    """A database for one test: `url` for SuggestionStore/create_app, plus ways to look inside."""

    def __init__(self, kind: str, url: str, admin: object = None, schema: str | None = None) -> None:
        self.kind, self.url, self.admin, self.schema = kind, url, admin, schema

    def tables(self) -> dict[str, list[tuple]]:
        """Every row of every table, read with a connection of its own (not the store's)."""
        if self.kind == "sqlite":
            import sqlite3

            with sqlite3.connect(self.url) as con:
                names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                return {n: con.execute(f'SELECT * FROM "{n}"').fetchall()  # noqa: S608
                        for n in names if n != "sqlite_sequence"}
        names = [r[0] for r in self.admin.execute(  # type: ignore[attr-defined]
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (self.schema,))]
        return {n: self.admin.execute(f'SELECT * FROM "{self.schema}"."{n}"').fetchall()  # type: ignore[attr-defined]  # noqa: S608
                for n in names}


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    if request.param == "sqlite":
        yield Target("sqlite", str(tmp_path / "tenor.db"))
        return
    admin = _postgres_admin()
    schema = f"tenor_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[attr-defined]
    try:
        yield Target("postgres", _with_search_path(os.environ[PG_ENV], schema), admin, schema)
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


def test_backend_is_chosen_by_url(target: Target) -> None:
    store = SuggestionStore(target.url)
    try:
        assert store.dialect == ("postgresql" if target.kind == "postgres" else "sqlite")
        assert is_postgres_url(target.url) == (target.kind == "postgres")
    finally:
        store.close()


def test_migrations_apply_once_and_are_recorded(target: Target) -> None:
    store = SuggestionStore(target.url)
    assert store.schema_version == SCHEMA_VERSION == len(_MIGRATIONS)
    first = store.migrations()
    assert [m["version"] for m in first] == list(range(1, SCHEMA_VERSION + 1))
    assert all(m["applied_at"] for m in first)
    store.add(text="kept", attribute_scores={"TOXICITY": {}}, model_version="m")
    store.close()
    again = SuggestionStore(target.url)  # reopening applies nothing and loses nothing
    try:
        assert again.migrations() == first
        assert [s["comment_text"] for s in again.suggestions()] == ["kept"]
    finally:
        again.close()
    assert set(target.tables()) == {"schema_migrations", "suggestions", "api_keys", "analyze_requests", "pages", "page_comments",
                                    "reviewers", "reviewer_sessions", "review_decisions", "community_thresholds", "settings"}
    assert len(target.tables()["schema_migrations"]) == SCHEMA_VERSION


def test_newer_schema_is_refused(target: Target) -> None:
    SuggestionStore(target.url).close()
    store = SuggestionStore(target.url)
    store._backend.query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                         (SCHEMA_VERSION + 1, "later"))
    store.close()
    with pytest.raises(RuntimeError, match="newer than this tenor"):
        SuggestionStore(target.url)


def test_concurrent_openers_migrate_once(target: Target) -> None:
    # Replicas starting together: several stores open the same empty database at the same moment.
    n = 6
    barrier = threading.Barrier(n)
    stores: list[SuggestionStore] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            barrier.wait()
            stores.append(SuggestionStore(target.url))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == []
        assert len(stores) == n
        assert all(s.schema_version == SCHEMA_VERSION for s in stores)
        versions = sorted(row[0] for row in target.tables()["schema_migrations"])
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        # all of them work on the one schema
        for i, s in enumerate(stores):
            s.add(text=f"from {i}", attribute_scores={}, model_version="m")
        assert len(stores[0].suggestions()) == n
    finally:
        for s in stores:
            s.close()


def test_suggestions_round_trip(target: Target) -> None:
    store = SuggestionStore(target.url)
    try:
        scores = {"TOXICITY": {"summaryScore": {"value": 0.25}}}
        first = store.add(text="héllo 🙂 \ud800 nul\x00", attribute_scores=scores, model_version="m-1",
                          context={"entries": [{"text": "earlier"}]}, languages=["en", "fr"],
                          community_id="Coral:x", client_token="tok", session_id="s")
        second = store.add(text="two", attribute_scores={}, model_version="m-1")
        assert second > first
        one, two = store.suggestions()
        assert one["id"] == first
        assert one["comment_text"] == "héllo 🙂 \ufffd nul\ufffd"
        assert one["attribute_scores"] == scores
        assert one["context"] == {"entries": [{"text": "earlier"}]}
        assert one["languages"] == ["en", "fr"]
        assert (one["community_id"], one["client_token"], one["session_id"]) == ("Coral:x", "tok", "s")
        assert one["model_version"] == "m-1" and one["received_at"]
        assert two["context"] is None and two["languages"] is None
    finally:
        store.close()


def test_api_keys_round_trip_hash_only(target: Target) -> None:
    store = SuggestionStore(target.url)
    key, other = generate_key(), generate_key()
    try:
        assert not store.has_active_keys()
        store.add_key(name="ci", prefix=key_prefix(key), key_hash=hash_key(key))
        store.add_key(name="ci", prefix=key_prefix(other), key_hash=hash_key(other))
        assert store.has_active_keys()
        assert store.key_state(hash_key(key)) == "active"
        assert store.key_state(hash_key("never issued")) is None
        listed = store.keys()
        assert [k["name"] for k in listed] == ["ci", "ci"]
        assert set(listed[0]) == {"name", "prefix", "created_at", "revoked_at"}
        with pytest.raises(AmbiguousKeyError, match="matches 2 active keys"):
            store.revoke_key("ci", hash_key("ci"))
        revoked = store.revoke_key(key_prefix(key), hash_key(key_prefix(key)))
        assert revoked["prefix"] == key_prefix(key) and revoked["revoked_at"]
        assert store.key_state(hash_key(key)) == "revoked"
        assert store.key_state(hash_key(other)) == "active"
        store.revoke_key(other, hash_key(other))  # the whole key works too
        assert not store.has_active_keys()
        with pytest.raises(AmbiguousKeyError, match="no active key"):
            store.revoke_key("ci", hash_key("ci"))
    finally:
        store.close()
    dumped = repr(target.tables())
    assert key not in dumped and other not in dumped  # only hashes and prefixes are kept
    assert hash_key(key) in dumped


def test_requests_round_trip(target: Target) -> None:
    store = SuggestionStore(target.url)
    try:
        new_id = store.add_request(text=SECRET, requested_attributes=["TOXICITY"],
                                   attribute_scores={"TOXICITY": {"summaryScore": {"value": 0.5}}},
                                   model_version="m", languages=["en"], community_id="c", session_id="s")
        (row,) = store.requests()
        assert row["id"] == new_id and row["comment_text"] == SECRET
        assert row["requested_attributes"] == ["TOXICITY"]
        assert row["attribute_scores"] == {"TOXICITY": {"summaryScore": {"value": 0.5}}}
        assert (row["languages"], row["community_id"], row["session_id"]) == (["en"], "c", "s")
    finally:
        store.close()


def test_do_not_store_leaves_nothing(target: Target, scorer: object, caplog: pytest.LogCaptureFixture) -> None:
    pytest.importorskip("fastapi")
    from tenor.serve import create_app

    from .serve_helpers import Client

    app = create_app(scorer, db_path=target.url, store_requests=True)  # type: ignore[arg-type]
    client = Client(app)
    body = {"comment": {"text": SECRET}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}
    with caplog.at_level("DEBUG"):
        private = {**body, "doNotStore": True, "communityId": "comm-qwxz", "sessionId": "sess-xyzzy-42"}
        assert client.analyze(private).status_code == 200
        assert client.analyze({**body, "comment": {"text": "kept one"}}).status_code == 200
    assert [r["comment_text"] for r in app.state.store.requests()] == ["kept one"]
    app.state.store.close()
    tables = target.tables()
    assert len(tables["analyze_requests"]) == 1
    assert tables["suggestions"] == [] and tables["api_keys"] == []
    dumped = repr(tables)
    assert "zanzibar" not in dumped and "xyzzy" not in dumped and "qwxz" not in dumped
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "zanzibar" not in logged and "kept one" not in logged


def test_missing_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_psycopg(name: str, *args: object, **kwargs: object) -> object:
        if name == "psycopg" or name.startswith("psycopg."):
            raise ImportError("No module named 'psycopg'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    with pytest.raises(ImportError, match=r"tenor\[postgres\]"):
        SuggestionStore("postgresql://nobody@127.0.0.1:1/none")


def test_redact_hides_password() -> None:
    assert _redact("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert _redact("postgresql://h/db") == "postgresql://h/db"


def test_analyzed_pages_round_trip(target: Target) -> None:
    """`tenor analyze` writes a page and its comments in one transaction; they read back whole."""
    page = {
        "source": "dump.txt", "format": "raw", "url": None, "title": "Bridge \x00 reopens", "dateline": "MARCH 2024",
        "article": {"text": "The council said so.", "paragraphs": []}, "warnings": ["dateline differs"],
        "comments": [
            {"id": "c1", "author": None, "text": "Great news", "parent": None, "reply_evidence": [],
             "scores": {"TOXICITY": 0.01}, "spans": {"TOXICITY": []}, "error": None},
            {"id": "c2", "author": "j0hn_q .", "text": "Jane… idiot", "parent": "c1",
             "reply_evidence": [{"kind": "vocative", "text": "Jane", "start": 0, "end": 4}],
             "scores": {"TOXICITY": 0.9}, "spans": {"TOXICITY": [{"begin": 6, "end": 11, "score": 0.8}]}, "error": None},
        ],
        "needs_review": [{"id": "c2", "attribute": "TOXICITY", "score": 0.9, "threshold": 0.36, "over": ["TOXICITY"]}],
        "model_version": "m-1",
    }
    store = SuggestionStore(target.url)
    try:
        page_id = store.add_page(page)
        (saved,) = store.pages()
        assert saved["id"] == page_id and saved["title"] == "Bridge \ufffd reopens" and saved["warnings"] == ["dateline differs"]
        c1, c2 = store.page_comments(page_id)
        assert (c1["comment_key"], c1["review_rank"], c2["author"], c2["parent_key"], c2["review_rank"]) == ("c1", None, "j0hn_q .", "c1", 1)
        assert c2["spans"] == {"TOXICITY": [{"begin": 6, "end": 11, "score": 0.8}]} and c2["model_version"] == "m-1"
    finally:
        store.close()


def test_a_database_url_is_shown_without_its_password() -> None:
    """Issue 20: banners, messages and logs print the --db target through `shown`."""
    from tenor.store import shown

    assert shown("postgresql://tenor:s3cret@db.internal:5432/tenor") == "postgresql://tenor:***@db.internal:5432/tenor"
    assert shown("postgres://u:p%40ss@h/db?sslmode=require") == "postgres://u:***@h/db?sslmode=require"
    assert shown("postgresql://tenor@db/tenor") == "postgresql://tenor@db/tenor"  # no password: as is
    assert shown("/var/lib/tenor/tenor.db") == "/var/lib/tenor/tenor.db"
    source = (Path(__file__).resolve().parents[1] / "src" / "tenor" / "cli" / "_serve.py").read_text(encoding="utf-8")
    assert "--db {db}" not in source and "--db {shown(db)}" in source
