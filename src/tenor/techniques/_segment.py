"""Paragraphs and sentences of an article, as code-point offsets into its text.

The technique model reads one sentence at a time (the unit SemEval-2020 PTC annotators saw, and
the unit of the SemEval-2023 English dev labels), so a sentence splitter that survives news prose
matters: "U.S.", "Mr. Smith", "J. Edgar Hoover" and "No. 10" must not end a sentence. Sentences
come from tenor._text.sentences (pysbd's rules), the splitter comment scoring uses too.
"""

from __future__ import annotations

from .._text import sentences, trim

__all__ = ["paragraphs_of", "sentences_of"]


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """Every non-blank line, whitespace trimmed: the SemEval layout (one paragraph per line)."""
    out, pos = [], 0
    for line in text.split("\n"):
        begin, end = trim(text, pos, pos + len(line))
        pos += len(line) + 1
        if end > begin:
            out.append((begin, end))
    return out


def sentences_of(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[begin:end] (one paragraph), trimmed, covering every non-space character."""
    return sentences(text, begin, end)
