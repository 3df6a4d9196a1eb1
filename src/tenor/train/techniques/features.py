"""What technique training reads off the texts, computed once: the featuriser fitted on them,
the sentence and paragraph matrices, and every token of every sentence featurised on its own (the
inputs of the runtime's word maximum, `token_max`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..._features import DocFeatures, Featurizer, token_sparse
from ..features import build_vocabulary, doc_matrix, featurize
from .data import TechniqueData

__all__ = ["Featurized", "TokenRows", "featurize_data", "token_max", "token_rows"]


@dataclass(frozen=True)
class TokenRows:
    """Every token of every sentence featurised on its own (the runtime `token_max` inputs)."""

    matrix: sparse.csr_matrix  # (n_tokens, n_features)
    sentence: np.ndarray  # sentence index of each row, non-decreasing


def token_rows(featurizer: Featurizer, docs: list[DocFeatures]) -> TokenRows:
    rows, cols, vals, owners, base = [], [], [], [], 0
    for i, doc in enumerate(docs):
        owner, index, value = token_sparse(doc, featurizer.idf)
        tokens = np.unique(owner)
        local = np.searchsorted(tokens, owner)
        rows.append(local + base)
        cols.append(index)
        vals.append(value)
        owners.append(np.full(len(tokens), i))
        base += len(tokens)
    matrix = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(base, featurizer.n_features),
    )
    return TokenRows(matrix, np.concatenate(owners))


def token_max(tokens: TokenRows, coef: np.ndarray, sentences: np.ndarray, n_sentences: int) -> np.ndarray:
    """token_max for the given sentences (a boolean mask over all of them); zeros elsewhere."""
    out = np.zeros((n_sentences, coef.shape[1]))
    rows = sentences[tokens.sentence]
    if rows.any():
        scores = tokens.matrix[rows] @ coef
        owner = tokens.sentence[rows]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        out[owner[starts]] = np.maximum.reduceat(scores, starts, axis=0)
    return out


@dataclass(frozen=True)
class Featurized:
    """Everything training reads off the texts, computed once: the featuriser fitted on them,
    each sentence's features (kept for spans and context), the sentence and paragraph matrices,
    and the per-token rows of `token_max`."""

    featurizer: Featurizer
    docs: list[DocFeatures]
    X: sparse.csr_matrix
    XP: sparse.csr_matrix
    tokens: TokenRows


def featurize_data(
    data: TechniqueData, *, min_df: int, max_features: int, with_paragraph_rows: bool
) -> Featurized:
    """The vocabulary is built on the sentences, and on the paragraphs when the first stage
    trains on them too."""
    texts = data.sentence_texts
    vocab, idf = build_vocabulary(
        texts + (data.paragraph_texts if with_paragraph_rows else []),
        min_df=min_df,
        max_features=max_features,
    )
    featurizer = Featurizer(vocab, idf)
    docs = [featurizer.features(t) for t in texts]
    return Featurized(
        featurizer,
        docs,
        doc_matrix(docs, featurizer.n_features),
        featurize(featurizer, data.paragraph_texts),
        token_rows(featurizer, docs),
    )
