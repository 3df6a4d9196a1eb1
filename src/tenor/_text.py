"""Text primitives shared by scoring and training: tokens with offsets, normal forms.

Offsets are Unicode code points (Python string indices), tenor's own convention.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Token", "dedup_key", "normal_forms", "sentences", "tokenize", "trim"]

# A word may hide letters behind apostrophes or asterisks ("don't", "f*ck", "f**king");
# any other non-space character is a token of its own so "!!!" still counts.
_TOKEN_RE = re.compile(r"\w+(?:['’*]+\w+)*|[^\w\s]")
_SENTENCE_RE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)")
_RUN3_RE = re.compile(r"(.)\1{2,}")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "5": "s", "7": "t"})
_DEDUP_DROP_RE = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    begin: int
    end: int
    is_word: bool  # a word, as opposed to a punctuation mark, symbol or emoji


def tokenize(text: str) -> list[Token]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        t = m.group()
        out.append(Token(t, m.start(), m.end(), t[0].isalnum() or t[0] == "_"))
    return out


def normal_forms(lower: str) -> tuple[str, ...]:
    """Spellings that undo common obfuscation: letter runs ("fuuuck") and leetspeak ("sh1t")."""
    forms = []
    squeezed = _RUN3_RE.sub(r"\1", lower)
    if squeezed != lower:
        forms.append(squeezed)
    if any(c.isalpha() for c in lower):
        unleet = squeezed.translate(_LEET).replace("*", "")
        if unleet != squeezed and unleet not in forms:
            forms.append(unleet)
    return tuple(forms)


def dedup_key(text: str) -> str:
    """The form under which two texts count as the same for train/test overlap:
    NFKC, case-folded, with punctuation, symbols and whitespace removed."""
    return _DEDUP_DROP_RE.sub("", unicodedata.normalize("NFKC", text).casefold())


def trim(text: str, begin: int, end: int) -> tuple[int, int]:
    """(begin, end) moved inwards past whitespace at either edge of text[begin:end]."""
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return begin, end


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (begin, end) in code points, whitespace between them left out."""
    spans = []
    for m in _SENTENCE_RE.finditer(text):
        begin, end = trim(text, m.start(), m.end())
        if end > begin:
            spans.append((begin, end))
    return spans
