"""Where `comments:suggestscore` suggestions are kept: SQLite (stdlib), with a tiny migration table.

Only suggestions are stored, because a suggestion exists to be kept (for review and retraining).
Nothing from `comments:analyze` is ever written here.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = ["SCHEMA_VERSION", "SuggestionStore"]

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
)
SCHEMA_VERSION = len(_MIGRATIONS)


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
                        (version, datetime.now(UTC).isoformat()),
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
            datetime.now(UTC).isoformat(),
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

    def close(self) -> None:
        with self._lock:
            self._db.close()
