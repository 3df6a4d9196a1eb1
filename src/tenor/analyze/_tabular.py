"""JSONL and CSV with explicit fields -> Pages.

One row (a JSON object per line, or a CSV record under a header row) per comment. Field names
are matched case-, space-, dash- and underscore-blind ("Comment ID" == "comment_id" ==
"commentId"); when a row has two aliases of one field, the one listed first here wins:

    id        id, comment_id, post_id, cid, message_id    (default "line-N"; "item-N" in an array)
    parent    parent, parent_id, parent_comment_id, in_reply_to, reply_to
    author    author, author_name, user, username, user_name, name, display_name, by
    text      text, body, message, comment, comment_text, comment_body, content
    posted    posted, created_at, created, timestamp, time, date, posted_at
    kind      kind, type, row_type, role             ("article" / "story" marks an article row)
    page      page, page_id, thread, thread_id, article_id, discussion_id
    url       url, link, page_url, article_url
    title     title, page_title, article_title, headline
    dateline  dateline, published, published_at, date_published, article_date
    article   article, article_text, article_body

Pages: rows are grouped by `page`, else `url`, else `title` (rows with none of them form one
page); pages come in order of first appearance, with source "<file>#<key>" when a key exists.
The article: a row whose kind is "article" (its text is the article text; its title, url and
dateline those of the page), or an `article` field on any row (exports that repeat the article on
every comment row: the first value wins, a different later one is a warning). Page fields come
from the first row that has them.

Texts are kept as written, with line endings made "\n"; paragraphs are the runs of text
between blank lines, located in it by offset. A row with an empty text is left out and counted
in a page warning. A parent id that matches no comment of the page is kept as written, with a
warning (never silently dropped); a duplicate id on one page is an error. Without any parent
field in the file, parents are inferred from quotes and names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .._errors import PageFormatError
from ._decode import decode
from ._page import Article, Comment, Page, Paragraph, ReplyEvidence

__all__ = ["read_csv", "read_jsonl", "text_paragraphs"]

_ALIASES = {
    "id": "id comment_id post_id cid message_id",
    "parent": "parent parent_id parent_comment_id in_reply_to reply_to in_reply_to_id parent_post_id",
    "author": "author author_name user username user_name name display_name by commenter",
    "text": "text body message comment comment_text comment_body content",
    "posted": "posted created_at created timestamp time date posted_at comment_date",
    "kind": "kind type row_type role",
    "page": "page page_id thread thread_id article_id discussion discussion_id",
    "url": "url link page_url article_url",
    "title": "title page_title article_title headline",
    "dateline": "dateline published published_at date_published page_date article_date",
    "article": "article article_text article_body",
}
_ARTICLE_KINDS = frozenset({"article", "story"})
_PAGE_FIELDS = ("title", "url", "dateline")


def _squash(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


# squashed alias -> (field, rank): the lower rank wins when a row has two aliases of one field
_FIELD_OF = {
    _squash(alias): (name, rank)
    for name, aliases in _ALIASES.items()
    for rank, alias in enumerate(aliases.split())
}
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass
class _Row:
    where: str  # "line 3": where a message about this row points
    default_id: str
    fields: dict[str, str | None]


def read_jsonl(data: bytes, source: str) -> list[Page]:
    """JSON Lines (one object per line); a file that is one JSON array of objects works too."""
    text = decode(data, source)
    rows = list(_json_rows(text, source))
    return _pages(rows, source, "jsonl", explicit_parents=any("parent" in r.fields for r in rows))


def read_csv(data: bytes, source: str) -> list[Page]:
    """CSV (or ; / tab / | separated) with a header row naming the fields."""
    text = decode(data, source)
    rows, columns = _csv_rows(text, source)
    return _pages(rows, source, "csv", explicit_parents="parent" in columns)


def text_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a text: the runs between blank lines, stripped, located by offset."""
    bounds = [0, *(x for m in _BLANK_LINES.finditer(text) for x in m.span()), len(text)]
    out: list[Paragraph] = []
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        block = text[start:end]
        stripped = block.strip()
        if stripped:
            first = start + len(block) - len(block.lstrip())
            out.append(Paragraph(stripped, first, first + len(stripped)))
    return out


def _one_line_ending(text: str) -> str:
    # CRLF is the file's platform, not the writer's words: texts read the same from any OS.
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---- JSON ---------------------------------------------------------------------------------------


def _json_rows(text: str, source: str) -> Iterator[_Row]:
    if text.lstrip().startswith("["):
        items = _load_json(text, source, 1)
        if not isinstance(items, list):
            raise PageFormatError(source, "expected a JSON array of objects", where="line 1")
        for n, item in enumerate(items, 1):
            yield _row_from_object(item, source, f"item {n}", f"item-{n}")
        return
    for n, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 is legal inside JSON strings
        if line.strip():
            yield _row_from_object(_load_json(line, source, n), source, f"line {n}", f"line-{n}")


def _load_json(text: str, source: str, line: int) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        where = f"line {line + e.lineno - 1}, column {e.colno}"
        raise PageFormatError(source, f"malformed JSON ({e.msg})", where=where) from None
    except RecursionError:
        raise PageFormatError(source, "JSON nested too deeply", where=f"line {line}") from None


def _row_from_object(item: object, source: str, where: str, default_id: str) -> _Row:
    if not isinstance(item, dict):
        raise PageFormatError(source, f"expected a JSON object, got {type(item).__name__}", where=where)
    fields: dict[str, str | None] = {}
    ranks: dict[str, int] = {}
    for key, value in item.items():
        name, rank = _FIELD_OF.get(_squash(key), (None, 0))
        if name is None or ranks.get(name, rank + 1) <= rank:
            continue
        if isinstance(value, bool) or not (value is None or isinstance(value, (str, int, float))):
            problem = f"field {key!r} must be a string or a number, not {type(value).__name__}"
            raise PageFormatError(source, problem, where=where)
        fields[name], ranks[name] = (None if value is None else str(value)), rank
    return _Row(where, default_id, fields)


# ---- CSV ----------------------------------------------------------------------------------------


def _csv_rows(text: str, source: str) -> tuple[list[_Row], set[str]]:
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[_Row] = []
    columns: list[tuple[str, int] | None] = []
    line = 1  # where the record being read starts (a quoted cell can span lines)
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            where = f"line {start}"
            if not any(c.strip() for c in cells):
                continue
            if not columns:
                columns = [_FIELD_OF.get(_squash(c)) for c in cells]
                if not any(c and c[0] in ("text", "article") for c in columns):
                    names = ", ".join(repr(c) for c in cells[:12])
                    problem = (
                        f"no text column in the header ({names}); name one text, body, message or comment"
                    )
                    raise PageFormatError(source, problem, where=where)
                continue
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
                raise PageFormatError(
                    source, f"{len(cells)} cells under a header of {len(columns)}", where=where
                )
            fields: dict[str, str | None] = {}
            ranks: dict[str, int] = {}
            for column, cell in zip(columns, cells, strict=False):  # a short row leaves fields out
                if column and ranks.get(column[0], column[1] + 1) > column[1]:
                    fields[column[0]], ranks[column[0]] = cell, column[1]
            rows.append(_Row(where, f"line-{start}", fields))
    except csv.Error as e:
        raise PageFormatError(source, f"broken CSV ({e})", where=f"line {reader.line_num}") from None
    return rows, {c[0] for c in columns if c}


# ---- rows -> pages ------------------------------------------------------------------------------


@dataclass
class _PageBuilder:
    page: Page
    set_at: dict[str, str] = field(default_factory=dict)  # page field -> where it was set
    ids: dict[str, str] = field(default_factory=dict)  # comment id -> where
    empty: list[str] = field(default_factory=list)

    def set_page_field(self, name: str, value: str | None, where: str) -> None:
        if not value:
            return
        if name == "article":
            value = _one_line_ending(value)
        current = self.page.article.text if name == "article" else getattr(self.page, name)
        if not current:
            if name == "article":
                self.page.article = Article(value, text_paragraphs(value))
            else:
                setattr(self.page, name, value)
            self.set_at[name] = where
        elif current != value and name + "!" not in self.set_at:
            self.set_at[name + "!"] = where  # warn once per field
            kept = self.set_at[name]
            self.page.warnings.append(f"rows disagree on the {name}: kept the one from {kept}, not {where}'s")


def _pages(rows: list[_Row], source: str, fmt: str, explicit_parents: bool) -> list[Page]:
    if not rows:
        raise PageFormatError(source, "holds no rows: nothing to read")
    builders: dict[str | None, _PageBuilder] = {}
    for row in rows:
        f = row.fields
        key = f.get("page") or f.get("url") or f.get("title") or None
        if key not in builders:
            builders[key] = _PageBuilder(Page(source=f"{source}#{key}" if key else source, format=fmt))
        builder = builders[key]
        is_article = (f.get("kind") or "").strip().lower() in _ARTICLE_KINDS
        for name in _PAGE_FIELDS:
            value = f.get(name) or (f.get("posted") if name == "dateline" and is_article else None)
            builder.set_page_field(name, value, row.where)
        builder.set_page_field(
            "article", f.get("article") or (f.get("text") if is_article else None), row.where
        )
        if not is_article:
            _add_comment(builder, row, source)
    pages = [b.page for b in builders.values()]
    for builder in builders.values():
        _check_parents(builder)
        if not explicit_parents:
            from ._replies import infer_replies  # lazily: only files without a parent field need it

            infer_replies(builder.page.comments)
    return pages


def _add_comment(builder: _PageBuilder, row: _Row, source: str) -> None:
    f = row.fields
    if "text" not in f:
        if "article" in f:
            return  # an article-only row
        problem = "the row has no text field (text, body, message, comment or content)"
        raise PageFormatError(source, problem, where=row.where)
    text = _one_line_ending(f["text"] or "")
    if not text.strip():
        builder.empty.append(row.where)
        return
    comment_id = (f.get("id") or "").strip() or row.default_id
    if comment_id in builder.ids:
        problem = f"comment id {comment_id!r} is already used on {builder.ids[comment_id]}"
        raise PageFormatError(source, problem, where=row.where)
    builder.ids[comment_id] = row.where
    parent = (f.get("parent") or "").strip() or None
    comment = Comment(comment_id, f.get("author") or None, text, text_paragraphs(text), parent)
    comment.reply_evidence = [ReplyEvidence("format")] if parent else []
    comment.posted = f.get("posted") or None
    builder.page.comments.append(comment)


def _check_parents(builder: _PageBuilder) -> None:
    warnings = builder.page.warnings
    if builder.empty:
        warnings.append(f"rows with an empty text left out: {_first_few(builder.empty)}")
    comments = builder.page.comments
    dangling = [c for c in comments if c.parent and (c.parent not in builder.ids or c.parent == c.id)]
    if dangling:
        listed = _first_few([f"{c.parent!r} ({builder.ids[c.id]})" for c in dangling])
        warnings.append(f"parent ids that match no other comment of this page, kept as written: {listed}")


def _first_few(items: list[str]) -> str:
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
