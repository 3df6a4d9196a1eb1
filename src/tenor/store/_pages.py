"""Analyzed pages in the store: written by `tenor analyze`, read by the service and the UI."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any, Protocol

from ._backends import Backend
from ._values import _clean, _decode, _json, _now

__all__ = ["PageStoreMixin", "page_key"]

_PAGE_JSON = ("warnings", "techniques")


class _Store(Protocol):
    _backend: Backend

    def _insert(self, table: str, values: dict[str, Any]) -> int: ...


def _source_name(source: str | None) -> str:
    path, hash_sign, record = (source or "").partition("#")
    return PurePath(path).name + hash_sign + record


def _content_key(
    source: str | None, title: str | None, article: str | None, comments: Sequence[Sequence[Any]]
) -> str:
    """What a page without a URL is known by: its source and what a reader took from it. Values
    as stored (cleaned), so a page stored before page_key existed hashes the same from its rows.
    Parents and scores are left out: they are the analysis, which a second run may change. Of the
    source only the file's name counts (and any #record after it): the same file analyzed from
    another folder, or as ./page.txt, is the same page."""
    body = json.dumps([_source_name(source), title, article, [list(c) for c in comments]], ensure_ascii=True)
    return "content:" + hashlib.sha256(body.encode("ascii")).hexdigest()


def page_key(data: dict[str, Any]) -> str:
    """The key `add_page` stores a page under: "url:" and its URL when it has one, else
    "content:" and a SHA-256 of its source's file name, title, article text and comments (id,
    author, text)."""
    url = (_clean(data.get("url")) or "").strip()
    if url:
        return "url:" + url
    comments = [(_clean(c["id"]), _clean(c["author"]), _clean(c["text"])) for c in data["comments"]]
    return _content_key(
        _clean(data["source"]), _clean(data["title"]), _clean(data["article"]["text"]), comments
    )


def _match_comments(old: list[tuple[int, str, str]], new: list[dict[str, Any]]) -> list[int | None]:
    """For each new comment, the stored row (id) it is, or None: the same id and text first, then
    the same text (ids a reader numbers by position shift when a comment is added above). Each
    stored row matches at most once."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_text: dict[str, list[int]] = defaultdict(list)
    for row_id, key, text in old:
        by_key[(key, text)].append(row_id)
        by_text[text].append(row_id)
    used: set[int] = set()
    matched: list[int | None] = []
    for c in new:
        ids = [i for i in by_key.get((_clean(c["id"]) or "", _clean(c["text"]) or ""), []) if i not in used]
        matched.append(ids[0] if ids else None)
        if ids:
            used.add(ids[0])
    for n, c in enumerate(new):
        if matched[n] is None:
            ids = [i for i in by_text.get(_clean(c["text"]) or "", []) if i not in used]
            if ids:
                matched[n] = ids[0]
                used.add(ids[0])
    return matched


class PageStoreMixin:
    """`add_page` takes the `tenor analyze --json` object of one page (tenor.analyze.analyzed_to_dict).

    `pages.model_version` is the page's comment model (analyze's top-level `model_version`, the
    English model's); `page_comments.model_version` is the model that scored each comment, the
    multilingual tier's for a comment it scored. `model_versions(page_id)` lists a page's."""

    def add_page(self: _Store, data: dict[str, Any], community: str = "default") -> int:
        """Store one analyzed page and return its id. A page stored before in the same community
        under the same key (`page_key`: its URL, else its source and content) is updated in place,
        keeping its id: its row takes the new analysis, and its comments their new scores, spans
        and review ranks. A comment still on the page (the same id and text, or the same text) keeps its row,
        so the review decisions made on it stay; a comment gone from the page goes, with its
        decisions; a new one is added."""
        techniques = data.get("techniques")  # absent from analyze output older than schema 2
        key = page_key(data)
        page = {
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
            "techniques_model_version": None if techniques is None else _clean(techniques["model_version"]),
            "page_key": key,
        }
        db = self._backend
        with db.transaction():
            page_id = _find_page(db, page["community"], key, data)
            if page_id is None:
                row = {"received_at": _now(), **page}
                # ON CONFLICT: another writer stored this page since we looked (PostgreSQL waits for
                # it to commit); then this analysis updates that page instead
                inserted = db.query(
                    f"INSERT INTO pages ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
                    " ON CONFLICT (community, page_key) DO NOTHING RETURNING id",
                    tuple(row.values()),
                )[1]
                if inserted:
                    page_id = int(inserted[0][0])
                    _write_comments(self, db, page_id, data, [None] * len(data["comments"]))
                    return page_id
                page_id = _find_page(db, page["community"], key, None)
                assert page_id is not None, "the conflicting page is committed, so it can be read"
            # the UPDATE first: on PostgreSQL it locks the page's row, so a second writer of the same
            # page waits here and then reads the comments this one leaves
            row = {"received_at": _now(), **page}
            db.query(
                f"UPDATE pages SET {', '.join(f'{name} = ?' for name in row)} WHERE id = ?",
                (*row.values(), page_id),
            )
            old = [
                (int(r[0]), r[1], r[2])
                for r in db.query(
                    "SELECT id, comment_key, comment_text FROM page_comments WHERE page_id = ? ORDER BY position",
                    (page_id,),
                )[1]
            ]
            matched = _match_comments(old, data["comments"])
            gone = [row_id for row_id, _, _ in old if row_id not in set(matched)]
            for row_id in gone:
                # explicit, not ON DELETE CASCADE: SQLite enforces foreign keys only when asked to
                db.query("DELETE FROM review_decisions WHERE page_comment_id = ?", (row_id,))
                db.query("DELETE FROM page_comments WHERE id = ?", (row_id,))
            _write_comments(self, db, page_id, data, matched)
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


def _find_page(db: Backend, community: str, key: str, data: dict[str, Any] | None) -> int | None:
    """The page `key` names in `community`; else, given the page's `data`, the newest page of the
    community stored before page_key existed (NULL) that is the same page (the same URL, or the
    same source and content), which this write adopts."""
    rows = db.query("SELECT id FROM pages WHERE community = ? AND page_key = ?", (community, key))[1]
    if rows or data is None:
        return int(rows[0][0]) if rows else None
    if key.startswith("url:"):
        rows = db.query(
            "SELECT id FROM pages WHERE community = ? AND page_key IS NULL AND url = ? ORDER BY id DESC LIMIT 1",
            (community, _clean(data["url"])),
        )[1]
        return int(rows[0][0]) if rows else None
    candidates = db.query(
        "SELECT id, source, title, article_text FROM pages"
        " WHERE community = ? AND page_key IS NULL AND url IS NULL AND article_text = ? ORDER BY id DESC",
        (community, _clean(data["article"]["text"])),
    )[1]
    name = _source_name(_clean(data["source"]))
    for page_id, source, title, article in candidates:
        if _source_name(source) != name:
            continue
        comments = db.query(
            "SELECT comment_key, author, comment_text FROM page_comments WHERE page_id = ? ORDER BY position",
            (page_id,),
        )[1]
        if _content_key(source, title, article, comments) == key:
            return int(page_id)
    return None


def _write_comments(
    store: _Store, db: Backend, page_id: int, data: dict[str, Any], matched: Sequence[int | None]
) -> None:
    """Every comment of the page: a matched one updates its row, any other is inserted."""
    rank = {item["id"]: i for i, item in enumerate(data["needs_review"], start=1)}
    for position, (c, row_id) in enumerate(zip(data["comments"], matched)):
        values = {
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
            # the model that scored this comment (analyze schema 3); the page's for older output
            # and for comments that could not be scored
            "model_version": c.get("model_version") or data["model_version"],
        }
        if row_id is None:
            store._insert("page_comments", values)
        else:
            values["received_at"] = _now()
            db.query(
                f"UPDATE page_comments SET {', '.join(f'{name} = ?' for name in values)} WHERE id = ?",
                (*values.values(), row_id),
            )
