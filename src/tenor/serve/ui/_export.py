"""Review decisions as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["COLUMNS", "decisions_csv"]

COLUMNS = (
    "id", "decided_at", "reviewer", "action", "note", "attribute", "score", "model_version", "suggestion_id",
    "page_id", "page_title", "page_source", "community", "comment_id", "comment_key", "author", "comment_text",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    # A comment that starts with "=" would run as a formula in Excel or LibreOffice (CSV
    # injection): such text cells get a leading apostrophe, which spreadsheets show as text.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def decisions_csv(decisions: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for d in decisions:
        writer.writerow([_cell(d.get(column)) for column in COLUMNS])
    return out.getvalue()
