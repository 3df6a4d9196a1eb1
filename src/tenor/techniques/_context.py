"""Sentence-level dense features shared by training and scoring: a sentence's own technique logit
seen beside its neighbours', its article's, and how much of it the article repeats.

Propaganda clusters: an article that uses loaded language once tends to use it again, and the
sentence next to a flagged one is more likely flagged. The second-stage heads learn how much
to trust each of these signals per technique.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .._text import Token

__all__ = ["CONTEXT_FEATURES", "context_features", "repetition"]

CONTEXT_FEATURES = (
    "logit", "logit_prev", "logit_next", "logit_paragraph_max_other", "logit_article_mean", "logit_article_top3",
    "token_max",
    "repetition", "position", "is_first_paragraph", "question", "exclamation", "quoted",
)  # fmt: skip
_SCALE = 4.0  # keeps logits near unit scale for the second-stage solver


def _content_words(tokens: list[Token]) -> set[str]:
    return {t.text.lower() for t in tokens if t.is_word and len(t.text) >= 4 and not t.text.isdigit()}


def repetition(sentences: list[list[Token]]) -> np.ndarray:
    """Per sentence (its tokens): log(1 + the number of other sentences sharing its most repeated
    content word)."""
    words = [_content_words(s) for s in sentences]
    df = Counter(w for ws in words for w in ws)
    return np.array([np.log1p(max((df[w] - 1 for w in ws), default=0)) for ws in words])


def _has(tokens: list[Token], marks: str) -> float:
    # a punctuation mark is always a token of its own (tenor._text.tokenize)
    return float(any(t.text in marks for t in tokens if not t.is_word))


def context_features(
    logits: np.ndarray,
    token_max: np.ndarray,
    paragraph_of: np.ndarray,
    sentences: list[list[Token]],
    first_paragraph: int,
) -> np.ndarray:
    """(n_sentences, n_techniques, len(CONTEXT_FEATURES)) for one article.

        logits: (n_sentences, n_techniques) first-stage logits; token_max: the same heads applied to each
        word on its own, the highest per sentence (a long sentence dilutes one loaded word in its
        logit, not here); paragraph_of: paragraph index per sentence; sentences: each sentence's tokens
    (the featuriser's, so scoring tokenises once)."""
    n, k = logits.shape
    z = logits / _SCALE
    zero = np.zeros((1, k))
    prev = np.vstack([zero, z[:-1]]) if n else z
    nxt = np.vstack([z[1:], zero]) if n else z
    para_other = np.full((n, k), -1.0)
    for p in np.unique(paragraph_of):
        rows = np.flatnonzero(paragraph_of == p)
        if len(rows) > 1:
            block = z[rows]
            for i, r in enumerate(rows):
                para_other[r] = np.delete(block, i, axis=0).max(axis=0)
    mean = np.broadcast_to(z.mean(axis=0) if n else zero[0], (n, k))
    top = np.sort(z, axis=0)[::-1][: min(3, n)].mean(axis=0) if n else zero[0]
    top3 = np.broadcast_to(top, (n, k))
    per_sentence = (
        np.column_stack(
            [
                repetition(sentences),
                np.arange(n) / max(n - 1, 1),
                (paragraph_of == first_paragraph).astype(float),
                np.array([_has(s, "?") for s in sentences]),
                np.array([_has(s, "!") for s in sentences]),
                np.array([_has(s, '"“”') for s in sentences]),
            ]
        )
        if n
        else np.zeros((0, 6))
    )
    shared = np.broadcast_to(per_sentence[:, None, :], (n, k, per_sentence.shape[1]))
    return np.concatenate(
        [np.stack([z, prev, nxt, para_other, mean, top3, token_max / _SCALE], axis=2), shared], axis=2
    )
