"""`tenor analyze`: read a scraped article + comments page, rebuild the thread, score it.

pages = read_pages(Path("page.html"))          # format detected; many pages for a WARC
analyzed = analyze_page(pages[0], Scorer())    # every comment scored, spans, review list
analyzed_to_dict(analyzed)                     # the --json shape (docs/analyze.schema.json)
"""

from __future__ import annotations

import glob
from pathlib import Path

from .._errors import PageFormatError
from ._json import analyzed_to_dict
from ._page import Article, Comment, Page, Paragraph, ReplyEvidence, page_to_dict
from ._score import AnalyzedPage, CommentScores, ReviewItem, analyze_page

__all__ = [
    "FORMATS",
    "AnalyzedPage",
    "Article",
    "Comment",
    "CommentScores",
    "Page",
    "Paragraph",
    "ReplyEvidence",
    "ReviewItem",
    "analyze_page",
    "analyzed_to_dict",
    "expand_inputs",
    "page_to_dict",
    "parse_pages",
    "read_pages",
]  # fmt: skip

FORMATS = ("raw", "html", "disqus", "warc", "jsonl", "csv")
MAX_FILE_BYTES = 512 * 1024 * 1024  # a page file beyond this is a crawl dump: split it first
_SKIP_SUFFIXES = {".json", ".md", ".py", ".png", ".jpg", ".gif", ".css", ".js"}


def read_pages(path: Path, format: str | None = None) -> list[Page]:
    """The pages in one file (a WARC or a Disqus export can hold many)."""
    from ._detect import detect_format

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PageFormatError(
            str(path),
            f"is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for one page file; split it first",
        )
    data = path.read_bytes()
    return parse_pages(data, str(path), format or detect_format(path.name, data[:65536]))


def parse_pages(data: bytes, source: str, format: str) -> list[Page]:
    """The pages in a file's bytes, read as `format`, each with its dateline checked."""
    from ._dateline import check_dateline
    from ._detect import READERS

    if format not in READERS:
        raise PageFormatError(source, f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    pages = READERS[format](data, source)
    for page in pages:
        page.warnings.extend(check_dateline(page))
    return pages


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files, directories (searched recursively, hidden files skipped) and globs -> page files,
    in a stable order. A name that matches nothing is an error, not a silent no-op."""
    out: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.suffix.lower() not in _SKIP_SUFFIXES
            )  # fmt: skip
        else:
            matches = sorted(Path(m) for m in glob.glob(item, recursive=True) if Path(m).is_file())
            if not matches:
                raise PageFormatError(item, "no such file, directory or glob match")
            out.extend(matches)
    if not out:
        raise PageFormatError(
            ", ".join(inputs),
            "holds no page files (hidden files and .json, .md, image, .css and .js files are skipped)",
        )
    return list(dict.fromkeys(out))
