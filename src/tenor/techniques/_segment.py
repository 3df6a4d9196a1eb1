"""Paragraphs and sentences of an article, as code-point offsets into its text.

The technique model reads one sentence at a time (the unit SemEval-2020 PTC annotators saw, and
the unit of the SemEval-2023 English dev labels), so a sentence splitter that survives news prose
matters: "U.S.", "Mr. Smith", "J. Edgar Hoover" and "No. 10" must not end a sentence.
"""

from __future__ import annotations

import re

from .._text import trim

__all__ = ["paragraphs_of", "sentences_of"]

# A sentence ends at terminal punctuation (with any closing quotes or brackets after it) followed by
# whitespace and something that can start a sentence.
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt st jr sr inc ltd co corp vs etc no nos vol fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m approx dept est".split()
)


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """Every non-blank line, whitespace trimmed: the SemEval layout (one paragraph per line)."""
    out, pos = [], 0
    for line in text.split("\n"):
        begin, end = trim(text, pos, pos + len(line))
        pos += len(line) + 1
        if end > begin:
            out.append((begin, end))
    return out


def _ends_sentence(text: str, begin: int, stop: int) -> bool:
    """Whether the punctuation at text[stop] really ends a sentence (not an abbreviation or initial)."""
    if text[stop] != ".":
        return True
    word_start = stop
    while word_start > begin and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:stop].lstrip("\"'“‘([").lower()
    if word in _ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isalpha())  # an initial: "J. Edgar Hoover"


def sentences_of(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[begin:end] (one paragraph), trimmed, covering every non-space character."""
    out, start = [], begin
    for m in _BOUNDARY_RE.finditer(text, begin, end):
        if _ends_sentence(text, start, m.start()):
            out.append((start, m.end()))
            start = trim(text, m.end(), end)[0]
    if start < end:
        out.append((start, end))
    return [(b, e) for b, e in out if e > b]
