"""Turning an uploaded (or server-side) page file into stored, analyzed pages, and the view model
of one stored page. No HTTP here: the routes call these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..._errors import PageFormatError
from ..._scorer import Scorer
from ...analyze import analyze_page, analyzed_to_dict, parse_pages
from ...analyze._view import ThreadNode, highlight_segments, thread_tree
from ...store import SuggestionStore
from .._techniques import TechniqueFinder

__all__ = ["MAX_UPLOAD_BYTES", "import_page_bytes", "resolve_import_path", "thread_view"]

MAX_UPLOAD_BYTES = 32 * 1024 * 1024


def import_page_bytes(
    store: SuggestionStore, scorer: Scorer, data: bytes, name: str, community: str, fmt: str | None = None,
    techniques: TechniqueFinder | None = None,
) -> list[int]:  # fmt: skip
    """Read, analyze and store every page in one file's bytes; the new page ids, in file order.
    `techniques`: the app's technique model, so an uploaded article gets its techniques too."""
    from ...analyze._detect import detect_format

    if not data.strip():
        raise PageFormatError(
            name, "is empty; choose a page file (raw dump, HTML, Disqus XML, WARC, JSONL or CSV)"
        )
    pages = parse_pages(data, name, fmt or detect_format(name, data[:65536]))
    if not pages:
        raise PageFormatError(name, "holds no page")
    return [
        store.add_page(
            analyzed_to_dict(analyze_page(page, scorer, techniques=techniques)), community=community
        )
        for page in pages
    ]


def resolve_import_path(raw: str, allowed: Sequence[Path]) -> Path:
    """A server-side file the operator allowed (`tenor serve --import-dir`): inside one of the
    allowed folders after resolving links and `..`, else an error that says which folders."""
    if not allowed:
        raise PageFormatError(
            raw,
            "importing files from the server is off; start `tenor serve --import-dir DIR` to allow a folder",
        )
    path = Path(raw).expanduser()
    for folder in allowed:
        candidate = (path if path.is_absolute() else folder / path).resolve()
        if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
            return candidate
    raise PageFormatError(
        raw, f"is not a file inside {', '.join(str(f) for f in allowed)} (the folders `--import-dir` allows)"
    )


def thread_view(comments: Sequence[Mapping[str, Any]]) -> list[ThreadNode]:
    """The stored comments as a tree, each with its text cut into marked and plain pieces."""
    enriched = [{**c, "segments": highlight_segments(c["comment_text"], c["spans"])} for c in comments]
    return thread_tree(enriched, key=lambda c: c["comment_key"], parent=lambda c: c["parent_key"])
