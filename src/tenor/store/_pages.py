"""Analyzed pages in the store: written by `tenor analyze`, read by the service and the UI."""

from __future__ import annotations

from typing import Any, Protocol

from ._backends import Backend
from ._values import _clean, _decode, _json


class _Store(Protocol):
    _backend: Backend

    def _insert(self, table: str, values: dict[str, Any]) -> int: ...


class PageStoreMixin:
    """`add_page` takes the `tenor analyze --json` object of one page (tenor.analyze.analyzed_to_dict)."""

    def add_page(self: _Store, data: dict[str, Any]) -> int:
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
                        "model_version": data["model_version"],
                    },
                )
        return page_id

    def pages(self: _Store) -> list[dict[str, Any]]:
        return _decode(*self._backend.query("SELECT * FROM pages ORDER BY id"), ("warnings",))

    def page_comments(self: _Store, page_id: int) -> list[dict[str, Any]]:
        names, rows = self._backend.query("SELECT * FROM page_comments WHERE page_id = ? ORDER BY position", (page_id,))
        return _decode(names, rows, ("reply_evidence", "attribute_scores", "spans", "error"))
