"""The comment model's span head: which word tokens readers marked as toxic (SemEval-2021 toxic
spans)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from ..._features import DocFeatures, Featurizer
from ...engines.ngram._spans import dense_features, doc_head_logits, merge_spans, token_sparse
from ...metrics.spans import span_f1  # the SemEval-2021 metric: one definition for training and evaluation

__all__ = ["choose_span_threshold", "fit_span_head", "offsets", "token_matrix"]


def offsets(spans: Sequence[tuple[int, int, float]]) -> set[int]:
    return {i for begin, end, _ in spans for i in range(begin, end)}


def token_matrix(
    featurizer: Featurizer, coef: np.ndarray, intercept: np.ndarray, posts: pd.DataFrame
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, list[DocFeatures]]:
    """One row per word token: [token features | dense doc-model features]; labels (a token
    is toxic when at least half its characters are in gold spans); post index per row."""
    blocks, labels, post_of_row, docs = [], [], [], []
    n_features = featurizer.n_features
    for p, (text, gold) in enumerate(zip(posts["text"], posts["offsets"])):
        doc = featurizer.features(text)
        docs.append(doc)
        words = np.array([t.is_word for t in doc.tokens], dtype=bool)
        if not words.any():
            continue
        dense = dense_features(doc, coef, doc_head_logits(doc, coef, intercept))
        owner, index, value = token_sparse(doc, featurizer.idf)
        n = len(doc.tokens)
        tok = sparse.csr_matrix((value, (owner, index)), shape=(n, n_features))
        blocks.append(sparse.hstack([tok, sparse.csr_matrix(dense)], format="csr")[words])
        for t in np.flatnonzero(words):
            token = doc.tokens[t]
            inside = sum(1 for i in range(token.begin, token.end) if i in gold)
            labels.append(float(inside * 2 >= token.end - token.begin))
        post_of_row.extend([p] * int(words.sum()))
    return sparse.vstack(blocks, format="csr"), np.array(labels), np.array(post_of_row), docs


def fit_span_head(X: sparse.csr_matrix, y: np.ndarray, C: float) -> LogisticRegression:
    lr = LogisticRegression(C=C, max_iter=500, tol=1e-4)
    lr.fit(X, y)
    return lr


def choose_span_threshold(
    X: sparse.csr_matrix,
    y: np.ndarray,
    post_of_row: np.ndarray,
    docs: list[DocFeatures],
    gold: Sequence[frozenset[int]],
    *,
    C: float,
    seed: int,
    k: int = 3,
) -> tuple[float, float]:
    """Out-of-fold (by post) token probabilities -> the threshold with the best mean span F1."""
    oof = np.zeros(len(y))
    posts = np.arange(len(docs))
    for train_posts, test_posts in KFold(n_splits=k, shuffle=True, random_state=seed).split(posts):
        train = np.isin(post_of_row, train_posts)
        model = fit_span_head(X[train], y[train], C)
        oof[~train] = model.predict_proba(X[~train])[:, 1]
    starts = np.searchsorted(post_of_row, posts)
    ends = np.searchsorted(post_of_row, posts, side="right")
    per_post = []
    for p, doc in enumerate(docs):
        probs = np.zeros(len(doc.tokens))
        probs[[i for i, t in enumerate(doc.tokens) if t.is_word]] = oof[starts[p] : ends[p]]
        per_post.append(probs)
    best = (0.5, -1.0)
    for threshold in np.round(np.arange(0.2, 0.8, 0.02), 2):
        scores = [
            span_f1(offsets(merge_spans(doc, probs, threshold)), gold[p])
            for p, (doc, probs) in enumerate(zip(docs, per_post))
        ]
        f1 = float(np.mean(scores))
        if f1 > best[1]:
            best = (float(threshold), f1)
    return best
