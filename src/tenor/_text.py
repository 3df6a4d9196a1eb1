"""Text primitives shared by scoring and training: tokens with offsets, normal forms, sentences.

Offsets are Unicode code points (Python string indices), tenor's own convention.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

__all__ = ["Token", "dedup_key", "normal_forms", "sentences", "tokenize", "trim"]

# A word may hide letters behind apostrophes or asterisks ("don't", "f*ck", "f**king");
# any other non-space character is a token of its own so "!!!" still counts.
_TOKEN_RE = re.compile(r"\w+(?:['’*]+\w+)*|[^\w\s]")
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


# Sentences come from pysbd's rules (abbreviations, initials, decimals, quotes), run on a "view" of
# the text that smooths over what pysbd gets wrong in comments: a URL is masked (it would split
# at the "?" of a query), a run of three or more "!"/"?" is cut to two (pysbd never ends a sentence
# after "!!!"), and "…" reads as "..." (which pysbd knows). The view maps back to the text, so
# offsets stay exact.
_URL_RE = re.compile(r"(?:https?://|www\.)\S+?(?=[.,;:!?)\]}\"'”’]*(?:\s|$))", re.IGNORECASE)
_MARK_RUN_RE = re.compile(r"[!?]{3,}")
# pysbd's regexes are quadratic in the length of what they read: it reads windows of at most this
# many code points, so a 20 KB comment costs tens of milliseconds, not seconds.
_WINDOW = 600
_MARGIN = 100


@cache
def _pysbd_language() -> Any:
    # imported on first use: scoring without sentences never pays for it (pysbd ships no types)
    from pysbd.languages import Language  # type: ignore[import-untyped]

    return Language.get_language_code("en")


def _view(text: str, begin: int, end: int) -> tuple[str, list[int]]:
    """text[begin:end] as pysbd should read it, and, for each of its characters, where it came from."""
    pieces: list[str] = []
    origin: list[int] = []
    masks = sorted(
        [(m.start(), m.end(), "x" * (m.end() - m.start())) for m in _URL_RE.finditer(text, begin, end)]
        + [(m.start(), m.end(), m.group()[:2] + " " * (m.end() - m.start() - 2))
           for m in _MARK_RUN_RE.finditer(text, begin, end)]
    )  # fmt: skip
    pos = begin
    for start, stop, replacement in masks:
        if start < pos:  # a "???" inside a masked URL
            continue
        pieces.append(text[pos:start])
        origin.extend(range(pos, start))
        pieces.append(replacement)
        origin.extend(range(start, stop))
        pos = stop
    pieces.append(text[pos:end])
    origin.extend(range(pos, end))
    view = "".join(pieces)
    if "…" in view:
        expanded: list[str] = []
        expanded_origin: list[int] = []
        for char, at in zip(view, origin):
            expanded.append("..." if char == "…" else char)
            expanded_origin.extend((at,) * (3 if char == "…" else 1))
        view, origin = "".join(expanded), expanded_origin
    return view, origin


def _starts(view: str) -> list[int]:
    """Where pysbd starts a sentence in `view` (after its first), as view offsets. A sentence is
    found in the view from where the previous one was; one pysbd rewrote beyond finding, or that
    holds no letter or digit (a stray "!!"), joins the sentence before it."""
    from pysbd.processor import Processor  # type: ignore[import-untyped]

    out: list[int] = []
    cursor = lead = len(view) - len(view.lstrip())  # a window may start at a space: no new sentence there
    for sentence in Processor(view, _pysbd_language(), char_span=False).process():
        sentence = sentence.strip()
        at = view.find(sentence, cursor) if sentence else -1
        if at < 0:
            continue
        if at > lead and any(c.isalnum() for c in sentence):
            out.append(at)
        cursor = at + len(sentence)
    return out


def _window_starts(text: str, begin: int, end: int) -> list[int]:
    """Sentence starts in text[begin:end] after the first, read window by window. Whether a
    sentence starts somewhere depends on what follows, so starts within _MARGIN of a window's cut
    are left to the next window, which reads on from the last start kept."""
    out: list[int] = []
    pos = begin
    while pos < end:
        stop = end
        if end - pos > _WINDOW:
            cut = max(text.rfind(" ", pos, pos + _WINDOW), text.rfind("\n", pos, pos + _WINDOW))
            stop = cut if cut > pos + _WINDOW // 2 else pos + _WINDOW
        view, origin = _view(text, pos, stop)
        starts = [origin[i] for i in _starts(view) if origin[i] > pos]
        if stop == end:
            out.extend(starts)
            break
        kept = [s for s in starts if s < stop - _MARGIN]
        out.extend(kept)
        # no sentence starts here: read on within the same one, from a space
        space = text.rfind(" ", pos + 1, stop - _MARGIN)
        pos = kept[-1] if kept else space if space > pos else stop - _MARGIN
    return out


def sentences(text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (begin, end) of text[begin:end] in code points: trimmed, in order, covering
    every non-space character, with whitespace between them left out. A line break always ends a
    sentence (comments break lines where prose would end one); within a line pysbd's English rules
    decide, so "Dr. Smith", "U.S.", "3.5 million" and "J. Edgar Hoover" stay whole."""
    first, last = trim(text, begin, len(text) if end is None else end)
    if last <= first:
        return []
    bounds = {first, last, *_window_starts(text, first, last)}
    line_break = text.find("\n", first, last)
    while line_break >= 0:
        bounds.add(line_break)  # the break itself ends the line's last sentence (trimmed away below)
        line_break = text.find("\n", line_break + 1, last)
    ordered = sorted(bounds)
    spans = []
    for b, e in pairwise(ordered):
        b, e = trim(text, b, e)
        if e > b:
            spans.append((b, e))
    return spans
