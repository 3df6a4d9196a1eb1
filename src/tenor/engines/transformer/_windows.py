"""Long texts in windows, and token probabilities back to words: the pure parts of scoring.

A text's WordPiece tokens are cut into windows of at most `max_tokens - 2` tokens (each gets
[CLS] ... [SEP]); consecutive windows share `stride` tokens so no phrase is only ever seen cut in
two. A text scores as its worst window; a token's mark is the highest any window gave it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..._features import word_forms
from ..._identity import IDENTITY_TOKEN
from ..._text import tokenize

__all__ = ["Window", "batches", "identity_only", "marked_spans", "windows_of"]


@dataclass(frozen=True, slots=True)
class Window:
    text: int  # index of the text it belongs to
    start: int  # index of its first token in the text's tokens
    ids: tuple[int, ...]  # [CLS] tokens [SEP]


def windows_of(
    text: int, ids: Sequence[int], max_tokens: int, stride: int, cls_id: int, sep_id: int
) -> list[Window]:
    body = max_tokens - 2
    step = max(body - stride, 1)
    starts = list(range(0, max(len(ids) - body, 0) + 1, step)) or [0]
    if starts[-1] + body < len(ids):  # the tail: a last window ending at the last token
        starts.append(len(ids) - body)
    return [Window(text, s, (cls_id, *ids[s : s + body], sep_id)) for s in starts]


def batches(
    windows: Sequence[Window], size: int, pad_id: int
) -> list[tuple[list[int], np.ndarray, np.ndarray]]:
    """Windows sorted by length, in groups of `size`, each padded to its longest:
    (window indices, input_ids, attention_mask) with int64 arrays."""
    order = sorted(range(len(windows)), key=lambda i: (len(windows[i].ids), i))
    out = []
    for k in range(0, len(order), size):
        members = order[k : k + size]
        width = max(len(windows[i].ids) for i in members)
        ids = np.full((len(members), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(members), width), dtype=np.int64)
        for row, i in enumerate(members):
            n = len(windows[i].ids)
            ids[row, :n] = windows[i].ids
            mask[row, :n] = 1
        out.append((members, ids, mask))
    return out


def marked_spans(
    token_probs: np.ndarray,
    offsets: Sequence[tuple[int, int]],
    word_ids: Sequence[int | None],
    threshold: float,
) -> list[tuple[int, int, float]]:
    """Words whose highest sub-token probability is at or over `threshold`, consecutive marked
    words joined: (begin, end, mean word probability) in the text's code points."""
    words: dict[int, list[int]] = {}
    for t, w in enumerate(word_ids):
        if w is not None:
            words.setdefault(w, []).append(t)
    spans: list[tuple[int, int, float]] = []
    run: list[tuple[int, int, float]] = []
    for w in sorted(words):
        tokens = words[w]
        p = float(token_probs[tokens].max())
        if p >= threshold:
            run.append((offsets[tokens[0]][0], offsets[tokens[-1]][1], p))
            continue
        if run:
            spans.append((run[0][0], run[-1][1], float(np.mean([r[2] for r in run]))))
            run = []
    if run:
        spans.append((run[0][0], run[-1][1], float(np.mean([r[2] for r in run]))))
    return spans


def identity_only(text: str) -> bool:
    """Whether every word of `text` is an identity term ("gay Muslim", "Black", "Jews"), by the
    same list and two-word rule the n-gram engine hides them with: such a run is never marked on
    its own (issue 19). The token head learnt identity words from the toxic-spans posts that
    attack a group, so alone they would be marked on clean comments that merely name one; in an
    attack the words that carry it ("vermin", "go back") stay marked."""
    words = [t for t in tokenize(text) if t.is_word]
    return bool(words) and all(form == IDENTITY_TOKEN for form in word_forms(words))
