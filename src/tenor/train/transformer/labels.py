"""Token labels for the token head: SemEval-2021 toxic spans (train split only; its trial split
is an evaluation file) as character offsets, turned into a 0/1 label per WordPiece token."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .schema import find

__all__ = ["span_examples", "token_labels"]


def span_examples(dirs: Sequence[Path], allowed: set[str]) -> dict[str, frozenset[int]]:
    """text -> its toxic character offsets, for the toxic-spans train posts still in the corpus
    (`allowed`: the corpus texts, which have had every evaluation text removed)."""
    path = find(dirs, "toxic_spans/tsd_train.csv")
    if path is None:
        return {}
    df = pd.read_csv(path)
    out: dict[str, frozenset[int]] = {}
    for raw, spans in zip(df["text"].astype(str), df["spans"].astype(str)):
        text = raw.strip()
        lead = len(raw) - len(raw.lstrip())  # the corpus strips texts: offsets move with them
        if text in allowed:
            out[text] = frozenset(int(x) - lead for x in spans.strip("[]").split(",") if x.strip())
    return out


def token_labels(offsets: Sequence[tuple[int, int]], toxic: frozenset[int]) -> tuple[float, ...]:
    """Per training id ([CLS], the tokens, [SEP]): 1.0 for a token with a toxic character."""
    inner = tuple(1.0 if any(c in toxic for c in range(b, e)) else 0.0 for b, e in offsets)
    return (0.0, *inner, 0.0)
