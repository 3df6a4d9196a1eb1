"""tenor serve's SQLite store (stdlib), with a tiny migration table: `comments:suggestscore`
suggestions, API keys (hashed) and, only when the operator turns it on, analyze requests.

Suggestions are always stored, because a suggestion exists to be kept (for review and retraining).
Nothing from `comments:analyze` is written unless `tenor serve --store-requests` is given, and never
for a request with `doNotStore: true` (spec section 7: privacy by default).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = ["SCHEMA_VERSION", "AmbiguousKeyError", "SuggestionStore"]

# Append only: each entry moves the schema one version forward, in one transaction.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
)
SCHEMA_VERSION = len(_MIGRATIONS)


class AmbiguousKeyError(LookupError):
    """`revoke` matched no key, or several keys (a shared name): the message says which."""


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _clean(value: str | None) -> str | None:
    # JSON may carry a lone surrogate, which SQLite cannot encode: keep the rest of the string.
    if value is None:
        return None
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=True, sort_keys=True)


class SuggestionStore:
    """A thread-safe SQLite store. `path` is a file path or ':memory:'."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 5000")
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            (current,) = self._db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
            if current > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has schema version {current}, newer than this tenor's {SCHEMA_VERSION}: upgrade tenor."
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                self._db.execute("BEGIN")
                try:
                    for statement in _MIGRATIONS[version - 1].split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                        (version, _now()),
                    )
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise

    @property
    def schema_version(self) -> int:
        with self._lock:
            (version,) = self._db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(version)

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
        row = (
            _now(),
            _clean(text),
            _json(attribute_scores),
            _json(context),
            _json(list(languages) if languages else None),
            _clean(community_id),
            _clean(client_token),
            _clean(session_id),
            model_version,
        )
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO suggestions (received_at, comment_text, attribute_scores, context, languages,"
                " community_id, client_token, session_id, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cursor.lastrowid or 0)

    def suggestions(self) -> list[dict[str, Any]]:
        """Every stored suggestion, oldest first, JSON columns decoded."""
        with self._lock:
            cursor = self._db.execute("SELECT * FROM suggestions ORDER BY id")
            names = [c[0] for c in cursor.description]
            rows = cursor.fetchall()
        out = []
        for row in rows:
            item = dict(zip(names, row))
            for key in ("attribute_scores", "context", "languages"):
                item[key] = None if item[key] is None else json.loads(item[key])
            out.append(item)
        return out

    # --- API keys -------------------------------------------------------------------------

    def add_key(self, *, name: str, prefix: str, key_hash: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO api_keys (name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?)",
                (_clean(name) or "", prefix, key_hash, _now()),
            )

    def keys(self) -> list[dict[str, Any]]:
        """Every key, oldest first: name, prefix, created_at, revoked_at (never the hash)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT name, prefix, created_at, revoked_at FROM api_keys ORDER BY id"
            ).fetchall()
        return [dict(zip(("name", "prefix", "created_at", "revoked_at"), row)) for row in rows]

    def key_state(self, key_hash: str) -> str | None:
        """'active', 'revoked', or None for a key this store never issued."""
        with self._lock:
            row = self._db.execute("SELECT revoked_at FROM api_keys WHERE key_hash = ?", (key_hash,)).fetchone()
        if row is None:
            return None
        return "active" if row[0] is None else "revoked"

    def has_active_keys(self) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1").fetchone()
        return row is not None

    def revoke_key(self, identifier: str, key_hash: str) -> dict[str, Any]:
        """Revoke the one active key whose name or prefix is `identifier` (or whose hash is
        `key_hash`, when the whole key was given). Raises AmbiguousKeyError unless exactly one."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, name, prefix FROM api_keys WHERE revoked_at IS NULL"
                " AND (name = ? OR prefix = ? OR key_hash = ?)",
                (identifier, identifier, key_hash),
            ).fetchall()
            if not rows:
                raise AmbiguousKeyError(f"no active key has the name or prefix {identifier!r}")
            if len(rows) > 1:
                prefixes = ", ".join(row[2] for row in rows)
                raise AmbiguousKeyError(f"{identifier!r} matches {len(rows)} active keys ({prefixes}): give a prefix")
            revoked_at = _now()
            self._db.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", (revoked_at, rows[0][0]))
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
        row = (
            _now(),
            _clean(text),
            _json(list(requested_attributes)),
            _json(attribute_scores),
            _json(list(languages) if languages else None),
            _clean(community_id),
            _clean(session_id),
            model_version,
        )
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO analyze_requests (received_at, comment_text, requested_attributes, attribute_scores,"
                " languages, community_id, session_id, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cursor.lastrowid or 0)

    def requests(self) -> list[dict[str, Any]]:
        """Every stored analyze request, oldest first, JSON columns decoded."""
        with self._lock:
            cursor = self._db.execute("SELECT * FROM analyze_requests ORDER BY id")
            names = [c[0] for c in cursor.description]
            rows = cursor.fetchall()
        out = []
        for row in rows:
            item = dict(zip(names, row))
            for key in ("requested_attributes", "attribute_scores", "languages"):
                item[key] = None if item[key] is None else json.loads(item[key])
            out.append(item)
        return out

    def close(self) -> None:
        with self._lock:
            self._db.close()
