"""Vocabulary, IDF and sparse matrices for the models on hashed TF-IDF features (the comment and
technique models), built with the runtime featuriser."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .._features import DocFeatures, Featurizer, doc_keys

__all__ = ["build_vocabulary", "doc_matrix", "featurize"]


def build_vocabulary(
    texts: Sequence[str], *, min_df: int, max_features: int
) -> tuple[np.ndarray, np.ndarray]:
    """Keys seen in at least `min_df` texts, the `max_features` most frequent kept (ties broken
    by key, so the result never depends on iteration order); smoothed IDF as in scikit-learn."""
    per_doc = [np.unique(doc_keys(t)[0]) for t in texts]
    keys, df = np.unique(np.concatenate(per_doc), return_counts=True)
    keep = df >= min_df
    keys, df = keys[keep], df[keep]
    if len(keys) > max_features:
        order = np.lexsort((keys, -df))[:max_features]
        keys, df = keys[order], df[order]
    order = np.argsort(keys, kind="stable")
    keys, df = keys[order], df[order]
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    return keys.astype(np.uint32), idf.astype(np.float32)


def featurize(featurizer: Featurizer, texts: Sequence[str]) -> sparse.csr_matrix:
    return doc_matrix([featurizer.features(text) for text in texts], featurizer.n_features)


def doc_matrix(docs: Sequence[DocFeatures], n_features: int) -> sparse.csr_matrix:
    """One row per featurised text: its sparse TF-IDF vector."""
    indptr = np.cumsum([0] + [len(doc.unique_index) for doc in docs])
    return sparse.csr_matrix(
        (np.concatenate([d.unique_value for d in docs] + [np.zeros(0)]),
         np.concatenate([d.unique_index for d in docs] + [np.zeros(0, dtype=np.int64)]), indptr),
        shape=(len(docs), n_features),
    )  # fmt: skip
