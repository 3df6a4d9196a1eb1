"""tenor's store, with a tiny migration table: `comments:suggestscore` suggestions, API keys
(hashed), pages analyzed with `tenor analyze` (with their articles' persuasion techniques), the review UI's reviewers, sessions, decisions and
thresholds, and, only when the operator turns it on, analyze requests. SQLite (stdlib) by default; a
`postgresql://` URL puts it in PostgreSQL instead, for several replicas (the [postgres] extra). Both
share one schema and one list of migrations (`_backends` holds the per-dialect details).

Suggestions are always stored, because a suggestion exists to be kept (for review and retraining).
Nothing from `comments:analyze` is written unless `tenor serve --store-requests` is given, and never
for a request with `doNotStore: true` (spec section 7: privacy by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._backends import Backend, is_postgres_url, open_backend
from ._pages import PageStoreMixin
from ._reviews import ReviewStoreMixin
from ._values import _clean, _decode, _json, _now

__all__ = ["SCHEMA_VERSION", "AmbiguousKeyError", "SuggestionStore", "is_postgres_url"]

# Append only: each entry moves the schema one version forward, in one transaction. The SQL must run
# on SQLite and PostgreSQL alike; `{id_pk}` is the one spelling that differs (see _backends).
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE suggestions (
        id {id_pk},
        received_at TEXT NOT NULL,
        comment_text TEXT NOT NULL,
        attribute_scores TEXT NOT NULL,
        context TEXT,
        languages TEXT,
        community_id TEXT,
        client_token TEXT,
        session_id TEXT,
        model_version TEXT NOT NULL
    );
    CREATE INDEX suggestions_received_at ON suggestions (received_at);
    """,
    # 2: API keys. Only a SHA-256 of each key is kept; `prefix` (the key's first characters) lets
    # an operator tell keys apart in `tenor keys list` without the table revealing any key.
    """
    CREATE TABLE api_keys (
        id {id_pk},
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    """,
    # 3: analyze requests, written only with --store-requests and never with doNotStore.
    """
    CREATE TABLE analyze_requests (
        id {id_pk},
        received_at TEXT NOT NULL,
        comment_text TEXT NOT NULL,
        requested_attributes TEXT NOT NULL,
        attribute_scores TEXT,
        languages TEXT,
        community_id TEXT,
        session_id TEXT,
        model_version TEXT NOT NULL
    );
    CREATE INDEX analyze_requests_received_at ON analyze_requests (received_at);
    """,
    # 4: pages read by `tenor analyze` (and, later, uploaded in the UI): what a user analyzes on
    # purpose is kept. One row per page, one per comment; the JSON columns hold the analyze output.
    """
    CREATE TABLE pages (
        id {id_pk},
        received_at TEXT NOT NULL,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        url TEXT,
        title TEXT,
        dateline TEXT,
        article_text TEXT NOT NULL,
        warnings TEXT NOT NULL,
        model_version TEXT NOT NULL
    );
    CREATE TABLE page_comments (
        id {id_pk},
        received_at TEXT NOT NULL,
        page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        comment_key TEXT NOT NULL,
        author TEXT,
        comment_text TEXT NOT NULL,
        parent_key TEXT,
        reply_evidence TEXT NOT NULL,
        attribute_scores TEXT NOT NULL,
        spans TEXT NOT NULL,
        error TEXT,
        review_rank INTEGER,
        model_version TEXT NOT NULL
    );
    CREATE INDEX page_comments_page ON page_comments (page_id, position);
    """,
    # 5: the review UI. Reviewer accounts (scrypt hashes, apart from API keys), their sessions
    # (SHA-256 of the cookie token), decisions on page comments, thresholds per community.
    """
    ALTER TABLE pages ADD COLUMN community TEXT NOT NULL DEFAULT 'default';
    CREATE TABLE reviewers (
        id {id_pk},
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled_at TEXT
    );
    CREATE TABLE reviewer_sessions (
        id {id_pk},
        token_hash TEXT NOT NULL UNIQUE,
        reviewer_id INTEGER NOT NULL REFERENCES reviewers (id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE review_decisions (
        id {id_pk},
        received_at TEXT NOT NULL,
        page_comment_id INTEGER NOT NULL REFERENCES page_comments (id) ON DELETE CASCADE,
        reviewer_id INTEGER NOT NULL REFERENCES reviewers (id),
        action TEXT NOT NULL,
        note TEXT,
        attribute TEXT,
        score REAL,
        suggestion_id INTEGER,
        model_version TEXT NOT NULL
    );
    CREATE INDEX review_decisions_comment ON review_decisions (page_comment_id);
    CREATE TABLE community_thresholds (
        community TEXT NOT NULL,
        attribute TEXT NOT NULL,
        threshold REAL NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (community, attribute)
    );
    """,
    # 6: the persuasion techniques of each page's article (the analyze `techniques` object as JSON),
    # with the technique model's version beside it so pages can be found by model without parsing
    # JSON. Both stay NULL for pages analyzed without a technique model, and for older pages.
    """
    ALTER TABLE pages ADD COLUMN techniques TEXT;
    ALTER TABLE pages ADD COLUMN techniques_model_version TEXT;
    """,
    # 7: analyzing a page again updates it (issue 19). `page_key` names the page: its URL when it
    # has one, else its source and a hash of its content (see _pages.page_key); unique within a
    # community (one page may be reviewed in two, each with its own thresholds), so two analyses
    # of one page, even at once on two replicas, cannot both insert it. NULL for pages stored
    # before: add_page adopts the newest such page that matches, and leaves the others be.
    """
    ALTER TABLE pages ADD COLUMN page_key TEXT;
    CREATE UNIQUE INDEX pages_page_key ON pages (community, page_key);
    """,
    # 8: whether the service requires an API key, kept apart from the keys themselves (issue 20):
    # it was "any active key", so revoking the last key turned authentication off and every
    # caller, the revoked key's included, got in. Set by the first key made and by `tenor keys
    # require`; cleared only by `tenor keys open`. A database with keys from before starts required.
    """
    CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO settings (name, value) SELECT 'keys_required', '1' WHERE EXISTS (SELECT 1 FROM api_keys);
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)


class AmbiguousKeyError(LookupError):
    """`revoke` matched no key, or several keys (a shared name): the message says which."""


class SuggestionStore(PageStoreMixin, ReviewStoreMixin):
    """A thread-safe store. `path` is a SQLite file path, ':memory:', or a `postgresql://` URL
    (psycopg 3 from the [postgres] extra; several replicas may share one database)."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._backend: Backend = open_backend(path)
        self.dialect = self._backend.dialect
        try:
            self._migrate()
        except BaseException:
            self._backend.close()
            raise

    def _migrate(self) -> None:
        """Apply what is missing, one migration per transaction, each recorded in schema_migrations.
        Safe when several processes start at once: PostgreSQL holds an advisory lock meanwhile, and
        every step re-reads the version inside its own write transaction (SQLite: BEGIN IMMEDIATE)."""
        db = self._backend
        with db.migration_lock():
            db.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            while True:
                with db.transaction():
                    current = int(
                        db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[1][0][0]
                    )
                    if current > SCHEMA_VERSION:
                        raise RuntimeError(
                            f"{db.description} has schema version {current}, newer than this tenor's"
                            f" {SCHEMA_VERSION}: upgrade tenor."
                        )
                    if current == SCHEMA_VERSION:
                        return
                    version = current + 1
                    for statement in db.ddl(_MIGRATIONS[version - 1]).split(";"):
                        if statement.strip():
                            db.query(statement)
                    db.query(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", (version, _now())
                    )

    def ping(self) -> None:
        """One trivial query: raises when the database cannot answer (readiness checks)."""
        self._backend.query("SELECT 1")

    @property
    def schema_version(self) -> int:
        return int(self._backend.query("SELECT MAX(version) FROM schema_migrations")[1][0][0])

    def migrations(self) -> list[dict[str, Any]]:
        """What schema_migrations records: version and applied_at, oldest first."""
        names, rows = self._backend.query(
            "SELECT version, applied_at FROM schema_migrations ORDER BY version"
        )
        return [dict(zip(names, row)) for row in rows]

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row stamped with `received_at`; returns its id. Table and column names come
        from this module, never from a request."""
        row = {"received_at": _now(), **values}
        sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) RETURNING id"
        ((new_id,),) = self._backend.query(sql, tuple(row.values()))[1]
        return int(new_id)

    def add(
        self,
        *,
        text: str,
        attribute_scores: dict[str, Any],
        model_version: str,
        context: Any = None,
        languages: Sequence[str] | None = None,
        community_id: str | None = None,
        client_token: str | None = None,
        session_id: str | None = None,
    ) -> int:
        return self._insert(
            "suggestions",
            {
                "comment_text": _clean(text),
                "attribute_scores": _json(attribute_scores),
                "context": _json(context),
                "languages": _json(list(languages) if languages else None),
                "community_id": _clean(community_id),
                "client_token": _clean(client_token),
                "session_id": _clean(session_id),
                "model_version": model_version,
            },
        )

    def suggestions(self) -> list[dict[str, Any]]:
        """Every stored suggestion, oldest first, JSON columns decoded."""
        names, rows = self._backend.query("SELECT * FROM suggestions ORDER BY id")
        return _decode(names, rows, ("attribute_scores", "context", "languages"))

    # --- API keys -------------------------------------------------------------------------

    def add_key(self, *, name: str, prefix: str, key_hash: str) -> None:
        """Store a key; from now on the service requires one (until `set_keys_required(False)`)."""
        with self._backend.transaction():
            self._backend.query(
                "INSERT INTO api_keys (name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?)",
                (_clean(name) or "", prefix, key_hash, _now()),
            )
            self._set("keys_required", "1")

    def keys_required(self) -> bool:
        """Whether a Perspective call must carry a key. Revoking keys never clears it: with every
        key revoked, every call is refused (fail closed), until `set_keys_required(False)`."""
        rows = self._backend.query("SELECT value FROM settings WHERE name = 'keys_required'")[1]
        return bool(rows) and rows[0][0] == "1"

    def set_keys_required(self, required: bool) -> None:
        self._set("keys_required", "1" if required else "0")

    def _set(self, name: str, value: str) -> None:
        self._backend.query(
            "INSERT INTO settings (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def keys(self) -> list[dict[str, Any]]:
        """Every key, oldest first: name, prefix, created_at, revoked_at (never the hash)."""
        names, rows = self._backend.query(
            "SELECT name, prefix, created_at, revoked_at FROM api_keys ORDER BY id"
        )
        return [dict(zip(names, row)) for row in rows]

    def key_state(self, key_hash: str) -> str | None:
        """'active', 'revoked', or None for a key this store never issued."""
        rows = self._backend.query("SELECT revoked_at FROM api_keys WHERE key_hash = ?", (key_hash,))[1]
        if not rows:
            return None
        return "active" if rows[0][0] is None else "revoked"

    def has_active_keys(self) -> bool:
        return bool(self._backend.query("SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1")[1])

    def revoke_key(self, identifier: str, key_hash: str) -> dict[str, Any]:
        """Revoke the one active key whose name or prefix is `identifier` (or whose hash is
        `key_hash`, when the whole key was given). Raises AmbiguousKeyError unless exactly one."""
        db = self._backend
        with db.transaction():
            rows = db.query(
                "SELECT id, name, prefix FROM api_keys WHERE revoked_at IS NULL"
                " AND (name = ? OR prefix = ? OR key_hash = ?)",
                (identifier, identifier, key_hash),
            )[1]
            if not rows:
                raise AmbiguousKeyError(f"no active key has the name or prefix {identifier!r}")
            if len(rows) > 1:
                prefixes = ", ".join(row[2] for row in rows)
                raise AmbiguousKeyError(
                    f"{identifier!r} matches {len(rows)} active keys ({prefixes}): give a prefix"
                )
            revoked_at = _now()
            db.query("UPDATE api_keys SET revoked_at = ? WHERE id = ?", (revoked_at, rows[0][0]))
        return {"name": rows[0][1], "prefix": rows[0][2], "revoked_at": revoked_at}

    # --- analyze requests (opt-in) ---------------------------------------------------------

    def add_request(
        self,
        *,
        text: str,
        requested_attributes: Sequence[str],
        attribute_scores: Any,
        model_version: str,
        languages: Sequence[str] | None = None,
        community_id: str | None = None,
        session_id: str | None = None,
    ) -> int:
        return self._insert(
            "analyze_requests",
            {
                "comment_text": _clean(text),
                "requested_attributes": _json(list(requested_attributes)),
                "attribute_scores": _json(attribute_scores),
                "languages": _json(list(languages) if languages else None),
                "community_id": _clean(community_id),
                "session_id": _clean(session_id),
                "model_version": model_version,
            },
        )

    def requests(self) -> list[dict[str, Any]]:
        """Every stored analyze request, oldest first, JSON columns decoded."""
        names, rows = self._backend.query("SELECT * FROM analyze_requests ORDER BY id")
        return _decode(names, rows, ("requested_attributes", "attribute_scores", "languages"))

    def close(self) -> None:
        self._backend.close()
