"""Which words carry a score: a token-level linear model on top of the document heads.

Every word token gets (a) its own word and character features and (b) dense features from
the document model: its exact contribution to each head's logit, its neighbours'
contribution to TOXICITY, and the document logits. A logistic head per span attribute turns
that into the probability that a reader would mark the word. Shared by training and scoring
so the two can never drift apart.
"""

from __future__ import annotations

import numpy as np

from ..._features import DocFeatures, token_sparse

__all__ = [
    "N_DENSE",
    "dense_features",
    "doc_head_logits",
    "merge_spans",
    "token_sparse",
]  # token_sparse re-exported


def doc_head_logits(doc: DocFeatures, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return doc.unique_value @ coef[doc.unique_index] + intercept


def _contributions(doc: DocFeatures, coef: np.ndarray) -> np.ndarray:
    n = len(doc.tokens)
    owned = doc.owner >= 0
    owner, weighted = doc.owner[owned], coef[doc.index[owned]] * doc.value[owned, None]
    return np.stack(
        [np.bincount(owner, weights=weighted[:, h], minlength=n) for h in range(coef.shape[1])], axis=1
    )


def dense_features(doc: DocFeatures, coef: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """(n_tokens, N_DENSE) dense inputs of the span heads."""
    n = len(doc.tokens)
    # contributions shrink as texts grow (the vector is L2-normalised); sqrt(n) undoes most of
    # that, and a fixed 1/4 keeps the dense inputs near unit scale so the solver converges
    contrib = _contributions(doc, coef) * (np.sqrt(max(n, 1)) / 4.0)
    tox = contrib[:, 0]
    prev = np.concatenate([[0.0], tox[:-1]])
    nxt = np.concatenate([tox[1:], [0.0]])
    caps = np.array([float(len(t.text) > 1 and t.text.isupper()) for t in doc.tokens])
    return np.column_stack([contrib, prev, nxt, caps, np.broadcast_to(logits / 4.0, (n, len(logits)))])


def N_DENSE(n_heads: int) -> int:
    return 2 * n_heads + 3


def merge_spans(doc: DocFeatures, probs: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """Join consecutive marked word tokens into (begin, end, mean probability) spans."""
    spans: list[tuple[int, int, float]] = []
    run: list[int] = []
    for i, token in enumerate(doc.tokens):
        if not token.is_word:
            continue
        if probs[i] >= threshold:
            run.append(i)
            continue
        if run:
            spans.append(_span(doc, probs, run))
            run = []
    if run:
        spans.append(_span(doc, probs, run))
    return spans


def _span(doc: DocFeatures, probs: np.ndarray, run: list[int]) -> tuple[int, int, float]:
    return doc.tokens[run[0]].begin, doc.tokens[run[-1]].end, float(np.mean(probs[run]))
