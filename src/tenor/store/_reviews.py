"""The review UI's tables: reviewer accounts, their sessions, decisions, thresholds per community.

Passwords and session tokens never reach the database: only an scrypt hash of each password and
a SHA-256 of each session token (tenor.serve.ui._auth makes both).
"""

from __future__ import annotations

from typing import Any, Protocol

from ._backends import Backend
from ._values import _clean, _decode, _now

__all__ = ["ReviewStoreMixin", "ReviewerError"]

ACTIONS = ("approve", "reject", "flag")


class ReviewerError(ValueError):
    """No such reviewer, or one by that name already exists: the message says which."""


class _Store(Protocol):
    _backend: Backend

    def _insert(self, table: str, values: dict[str, Any]) -> int: ...


class ReviewStoreMixin:
    # --- reviewers --------------------------------------------------------------------------

    def add_reviewer(self: _Store, username: str, password_hash: str) -> int:
        with self._backend.transaction():
            if self._backend.query("SELECT 1 FROM reviewers WHERE username = ?", (username,))[1]:
                raise ReviewerError(f"a reviewer named {username!r} exists already; choose another name")
            rows = self._backend.query(
                "INSERT INTO reviewers (username, password_hash, created_at) VALUES (?, ?, ?) RETURNING id",
                (_clean(username), password_hash, _now()),
            )[1]
        return int(rows[0][0])

    def reviewer(self: _Store, username: str) -> dict[str, Any] | None:
        """id, username, password_hash, created_at, disabled_at; None for an unknown name."""
        names, rows = self._backend.query("SELECT * FROM reviewers WHERE username = ?", (username,))
        return dict(zip(names, rows[0])) if rows else None

    def reviewers(self: _Store) -> list[dict[str, Any]]:
        """Every reviewer, oldest first, without the password hash."""
        names, rows = self._backend.query(
            "SELECT id, username, created_at, disabled_at FROM reviewers ORDER BY id"
        )
        return [dict(zip(names, row)) for row in rows]

    def set_reviewer(
        self: _Store, username: str, *, password_hash: str | None = None, disabled: bool | None = None
    ) -> None:
        """A new password, or disabled / enabled again; a disabled reviewer's sessions end."""
        with self._backend.transaction():
            rows = self._backend.query("SELECT id FROM reviewers WHERE username = ?", (username,))[1]
            if not rows:
                raise ReviewerError(f"no reviewer is named {username!r} (see `tenor reviewers list`)")
            reviewer_id = rows[0][0]
            if password_hash is not None:
                self._backend.query(
                    "UPDATE reviewers SET password_hash = ? WHERE id = ?", (password_hash, reviewer_id)
                )
                self._backend.query("DELETE FROM reviewer_sessions WHERE reviewer_id = ?", (reviewer_id,))
            if disabled is not None:
                self._backend.query(
                    "UPDATE reviewers SET disabled_at = ? WHERE id = ?",
                    (_now() if disabled else None, reviewer_id),
                )
                if disabled:
                    self._backend.query("DELETE FROM reviewer_sessions WHERE reviewer_id = ?", (reviewer_id,))

    # --- sessions ---------------------------------------------------------------------------

    def add_session(
        self: _Store, token_hash: str, reviewer_id: int, csrf_token: str, expires_at: str
    ) -> None:
        self._backend.query(
            "INSERT INTO reviewer_sessions (token_hash, reviewer_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (token_hash, reviewer_id, csrf_token, _now(), expires_at),
        )

    def session(self: _Store, token_hash: str) -> dict[str, Any] | None:
        """The live session with this token hash, with its reviewer: None when unknown, expired,
        or its reviewer is disabled."""
        names, rows = self._backend.query(
            "SELECT s.reviewer_id, s.csrf_token, s.expires_at, r.username FROM reviewer_sessions s"
            " JOIN reviewers r ON r.id = s.reviewer_id"
            " WHERE s.token_hash = ? AND s.expires_at > ? AND r.disabled_at IS NULL",
            (token_hash, _now()),
        )
        return dict(zip(names, rows[0])) if rows else None

    def end_session(self: _Store, token_hash: str) -> None:
        self._backend.query(
            "DELETE FROM reviewer_sessions WHERE token_hash = ? OR expires_at <= ?", (token_hash, _now())
        )

    # --- decisions --------------------------------------------------------------------------

    def add_decision(self: _Store, **values: Any) -> int:
        """page_comment_id, reviewer_id, action, note, attribute, score, suggestion_id, model_version."""
        if values["action"] not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
        values["note"] = _clean(values.get("note")) or None
        return self._insert("review_decisions", values)

    def decisions(self: _Store) -> list[dict[str, Any]]:
        """Every decision, oldest first, with who made it and on which comment of which page."""
        names, rows = self._backend.query(
            "SELECT d.id, d.received_at AS decided_at, r.username AS reviewer, d.action, d.note, d.attribute, d.score,"
            " d.model_version, d.suggestion_id, c.id AS comment_id, c.comment_key, c.author, c.comment_text,"
            " p.id AS page_id, p.title AS page_title, p.source AS page_source, p.community"
            " FROM review_decisions d JOIN reviewers r ON r.id = d.reviewer_id"
            " JOIN page_comments c ON c.id = d.page_comment_id JOIN pages p ON p.id = c.page_id ORDER BY d.id"
        )
        return [dict(zip(names, row)) for row in rows]

    def latest_decisions(self: _Store, page_id: int | None = None) -> dict[int, dict[str, Any]]:
        """page comment id -> its latest decision (action, note, reviewer, decided_at)."""
        where, params = ("WHERE c.page_id = ?", (page_id,)) if page_id is not None else ("", ())
        names, rows = self._backend.query(
            "SELECT d.page_comment_id, d.action, d.note, r.username AS reviewer, d.received_at AS decided_at"
            " FROM review_decisions d JOIN reviewers r ON r.id = d.reviewer_id"
            f" JOIN page_comments c ON c.id = d.page_comment_id {where} ORDER BY d.id",
            params,
        )
        return {row[0]: dict(zip(names[1:], row[1:])) for row in rows}  # later rows win

    def review_candidates(self: _Store) -> list[dict[str, Any]]:
        """Every scored page comment with its page's title, community and date: what the queue
        filters (scores are JSON, so attribute and threshold filters run in Python)."""
        names, rows = self._backend.query(
            "SELECT c.id, c.page_id, c.comment_key, c.author, c.comment_text, c.attribute_scores, c.spans,"
            " c.model_version, p.title AS page_title, p.community, p.received_at AS page_received_at"
            " FROM page_comments c JOIN pages p ON p.id = c.page_id WHERE c.error IS NULL ORDER BY c.id"
        )
        return _decode(names, rows, ("attribute_scores", "spans"))

    # --- thresholds -------------------------------------------------------------------------

    def thresholds(self: _Store, community: str) -> dict[str, float]:
        """attribute -> threshold set for this community (the model's apply to the others)."""
        rows = self._backend.query(
            "SELECT attribute, threshold FROM community_thresholds WHERE community = ?", (_clean(community),)
        )[1]
        return {attribute: float(threshold) for attribute, threshold in rows}

    def set_threshold(self: _Store, community: str, attribute: str, threshold: float | None) -> None:
        """Set (or, with None, drop back to the model's) one attribute's threshold for a community."""
        community = _clean(community) or ""  # as stored: the delete must match what the insert writes
        with self._backend.transaction():
            self._backend.query(
                "DELETE FROM community_thresholds WHERE community = ? AND attribute = ?",
                (community, attribute),
            )
            if threshold is not None:
                self._backend.query(
                    "INSERT INTO community_thresholds (community, attribute, threshold, updated_at) VALUES (?, ?, ?, ?)",
                    (community, attribute, float(threshold), _now()),
                )

    def communities(self: _Store) -> list[str]:
        rows = self._backend.query(
            "SELECT community FROM pages UNION SELECT community FROM community_thresholds ORDER BY 1"
        )[1]
        return [row[0] for row in rows]
