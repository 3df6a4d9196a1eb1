"""The one data model every page reader produces: a page with its article and its comments.

Offsets count Unicode code points. Authors, datelines and titles are kept exactly as written on
the page (a trailing " ." included): readers never tidy them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ReplyKind = Literal["format", "quote", "vocative", "mention"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int  # code-point offset of the paragraph in its owner's `text`
    end: int


@dataclass(frozen=True)
class ReplyEvidence:
    """Why a comment is read as a reply to its parent.

    kind: "format" (the file says so: Disqus parent, WordPress nesting, a parent field),
    "quote" (it repeats words of the parent verbatim), "vocative" (it addresses the parent's
    author by name, e.g. "Jane… lucky you"), "mention" (an @name of the parent's author).
    text: the words that show it, as they appear in the reply; start/end locate them there."""

    kind: ReplyKind
    text: str = ""
    start: int = -1
    end: int = -1


def join_paragraphs(paragraphs: list[str]) -> tuple[str, list[Paragraph]]:
    """Paragraph texts -> one text (paragraphs separated by a blank line) and their offsets."""
    out: list[Paragraph] = []
    pos = 0
    for p in paragraphs:
        out.append(Paragraph(p, pos, pos + len(p)))
        pos += len(p) + 2
    return "\n\n".join(paragraphs), out


@dataclass
class Comment:
    id: str
    author: str | None
    text: str
    paragraphs: list[Paragraph]
    parent: str | None = None
    reply_evidence: list[ReplyEvidence] = field(default_factory=list)
    posted: str | None = None  # a timestamp as the format gives it, when it gives one

    @classmethod
    def from_paragraphs(cls, id: str, author: str | None, paragraphs: list[str], **kwargs: object) -> Comment:
        text, paras = join_paragraphs(paragraphs)
        return cls(id=id, author=author, text=text, paragraphs=paras, **kwargs)  # type: ignore[arg-type]


@dataclass
class Article:
    text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)

    @classmethod
    def from_paragraphs(cls, paragraphs: list[str]) -> Article:
        text, paras = join_paragraphs(paragraphs)
        return cls(text, paras)


@dataclass
class Page:
    source: str  # the file, plus "#record" inside a WARC or export of many pages
    format: str  # "raw", "html", "disqus", "warc", "jsonl", "csv"
    title: str | None = None
    dateline: str | None = None
    article: Article = field(default_factory=Article)
    comments: list[Comment] = field(default_factory=list)
    url: str | None = None
    warnings: list[str] = field(
        default_factory=list
    )  # e.g. a dateline that disagrees with the dates in the text


def page_to_dict(page: Page) -> dict[str, object]:
    """The page as plain JSON-ready data (the shape golden files and `tenor analyze --json` use)."""

    def paragraphs(ps: list[Paragraph]) -> list[dict[str, object]]:
        return [{"text": p.text, "start": p.start, "end": p.end} for p in ps]

    return {
        "source": page.source,
        "format": page.format,
        "url": page.url,
        "title": page.title,
        "dateline": page.dateline,
        "article": {"text": page.article.text, "paragraphs": paragraphs(page.article.paragraphs)},
        "comments": [
            {
                "id": c.id,
                "author": c.author,
                "text": c.text,
                "paragraphs": paragraphs(c.paragraphs),
                "parent": c.parent,
                "reply_evidence": [
                    {"kind": e.kind, "text": e.text, "start": e.start, "end": e.end} for e in c.reply_evidence
                ],
                "posted": c.posted,
            }
            for c in page.comments
        ],
        "warnings": list(page.warnings),
    }
