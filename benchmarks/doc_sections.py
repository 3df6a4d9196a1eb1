"""Writing a benchmark's generated section into a docs page, between its two marker comments."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_marked_section"]


def write_marked_section(path: Path, begin: str, end: str, section: str) -> None:
    """Replace what stands from `begin` to `end` (markers included) with `section`, which carries
    both markers; a page without them gets the section appended."""
    text = path.read_text(encoding="utf-8")
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
