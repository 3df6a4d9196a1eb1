"""Analyzed pages in the store: written by `tenor analyze`, read by the service and the UI."""

from __future__ import annotations

from typing import Any, Protocol

from ._backends import Backend
from ._values import _clean, _decode, _json

_PAGE_JSON = ("warnings", "techniques")


class _Store(Protocol):
    _backend: Backend

    def _insert(self, table: str, values: dict[str, Any]) -> int: ...


class PageStoreMixin:
    """`add_page` takes the `tenor analyze --json` object of one page (tenor.analyze.analyzed_to_dict).

    `pages.model_version` is the page's comment model (analyze's top-level `model_version`, the
    English model's); `page_comments.model_version` is the model that scored each comment, the
    multilingual tier's for a comment it scored. `model_versions(page_id)` lists a page's."""

    def add_page(self: _Store, data: dict[str, Any], community: str = "default") -> int:
        techniques = data.get("techniques")  # absent from analyze output older than schema 2
        rank = {item["id"]: i for i, item in enumerate(data["needs_review"], start=1)}
        with self._backend.transaction():
            page_id = self._insert(
                "pages",
                {
                    "source": _clean(data["source"]),
                    "format": data["format"],
                    "url": _clean(data["url"]),
                    "title": _clean(data["title"]),
                    "dateline": _clean(data["dateline"]),
                    "article_text": _clean(data["article"]["text"]),
                    "warnings": _json(data["warnings"]),
                    "model_version": data["model_version"],
                    "community": _clean(community) or "default",
                    "techniques": _json(techniques),
                    "techniques_model_version": None
                    if techniques is None
                    else _clean(techniques["model_version"]),
                },
            )
            for position, c in enumerate(data["comments"]):
                self._insert(
                    "page_comments",
                    {
                        "page_id": page_id,
                        "position": position,
                        "comment_key": _clean(c["id"]),
                        "author": _clean(c["author"]),
                        "comment_text": _clean(c["text"]),
                        "parent_key": _clean(c["parent"]),
                        "reply_evidence": _json(c["reply_evidence"]),
                        "attribute_scores": _json(c["scores"]),
                        "spans": _json(c["spans"]),
                        "error": _json(c["error"]),
                        "review_rank": rank.get(c["id"]),
                        # the model that scored this comment (analyze schema 3); the page's for
                        # older output and for comments that could not be scored
                        "model_version": c.get("model_version") or data["model_version"],
                    },
                )
        return page_id

    def pages(self: _Store) -> list[dict[str, Any]]:
        """Every page, oldest first; "techniques" is the analyze `techniques` object, or None."""
        return _decode(*self._backend.query("SELECT * FROM pages ORDER BY id"), _PAGE_JSON)

    def page(self: _Store, page_id: int) -> dict[str, Any] | None:
        found = _decode(*self._backend.query("SELECT * FROM pages WHERE id = ?", (page_id,)), _PAGE_JSON)
        return found[0] if found else None

    def page_summaries(self: _Store) -> list[dict[str, Any]]:
        """Every page, newest first, with its comment count and how many still need review."""
        names, rows = self._backend.query(
            "SELECT p.id, p.received_at, p.source, p.format, p.title, p.dateline, p.community, p.model_version,"
            " (SELECT COUNT(*) FROM page_comments c WHERE c.page_id = p.id) AS comments"
            " FROM pages p ORDER BY p.id DESC"
        )
        return [dict(zip(names, row)) for row in rows]

    def model_versions(self: _Store, page_id: int) -> list[str]:
        """The models that scored the page's comments: its own first, then the others by name."""
        _, rows = self._backend.query(
            "SELECT DISTINCT c.model_version, p.model_version FROM page_comments c JOIN pages p ON p.id = c.page_id"
            " WHERE c.page_id = ? AND c.error IS NULL",
            (page_id,),
        )
        return sorted({row[0] for row in rows}, key=lambda v: (v != rows[0][1], v)) if rows else []

    def page_comment(self: _Store, comment_id: int) -> dict[str, Any] | None:
        names, rows = self._backend.query("SELECT * FROM page_comments WHERE id = ?", (comment_id,))
        found = _decode(names, rows, ("reply_evidence", "attribute_scores", "spans", "error"))
        return found[0] if found else None

    def page_comments(self: _Store, page_id: int) -> list[dict[str, Any]]:
        names, rows = self._backend.query(
            "SELECT * FROM page_comments WHERE page_id = ? ORDER BY position", (page_id,)
        )
        return _decode(names, rows, ("reply_evidence", "attribute_scores", "spans", "error"))
