"""Fitting the comment model: linear heads per attribute (identity columns for IDENTITY_ATTACK
only), out-of-fold predictions and the out-of-fold report. Calibration and the operating
thresholds come from the shared tenor.train.calibration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from ..._attributes import IDENTITY_ATTACK
from ..._features import Featurizer, identity_keys
from .data import HEADS

__all__ = [
    "HeadConfig", "ece", "fit_head", "fit_heads", "folds", "identity_columns", "oof_report",
    "out_of_fold_logits", "without_columns",
]  # fmt: skip


def identity_columns(featurizer: Featurizer, texts: Sequence[str]) -> np.ndarray:
    """Vocabulary columns that hold identity features, which only IDENTITY_ATTACK may use."""
    keys = np.unique(np.concatenate([identity_keys(t) for t in texts] + [np.array([], dtype=np.uint32)]))
    pos = np.searchsorted(featurizer.vocabulary, keys)
    inside = pos < featurizer.n_features
    pos, keys = pos[inside], keys[inside]
    return np.sort(pos[featurizer.vocabulary[pos] == keys])


def without_columns(X: sparse.csr_matrix, columns: np.ndarray) -> sparse.csr_matrix:
    keep = np.ones(X.shape[1])
    keep[columns] = 0.0
    return (X @ sparse.diags(keep)).tocsr()


@dataclass(frozen=True)
class HeadConfig:
    C: float = 8.0
    max_iter: int = 2000


def fit_head(
    X: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, config: HeadConfig
) -> tuple[np.ndarray, float]:
    lr = LogisticRegression(C=config.C, max_iter=config.max_iter, tol=1e-5)
    lr.fit(X, y, sample_weight=w)
    return lr.coef_[0].astype(np.float64), float(lr.intercept_[0])


def fit_heads(
    X: sparse.csr_matrix,
    labels: pd.DataFrame,
    weights: np.ndarray,
    config: HeadConfig,
    identity_cols: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One head per attribute; only IDENTITY_ATTACK sees the identity columns."""
    coef = np.zeros((X.shape[1], len(HEADS)))
    intercept = np.zeros(len(HEADS))
    blind = without_columns(X, identity_cols)
    for h, head in enumerate(HEADS):
        y = labels[head].to_numpy()
        known = ~np.isnan(y)
        source = X if head == IDENTITY_ATTACK else blind
        coef[:, h], intercept[h] = fit_head(source[known], y[known], weights[known], config)
        if head != IDENTITY_ATTACK:
            coef[identity_cols, h] = 0.0  # exactly zero already (no gradient); made explicit
    return coef, intercept


def folds(df: pd.DataFrame, k: int, seed: int) -> np.ndarray:
    """Fold number per row, stratified by source and TOXICITY label."""
    strata = df["source"] + ":" + df["TOXICITY"].fillna(-1).astype(int).astype(str)
    fold = np.zeros(len(df), dtype=int)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for i, (_, test) in enumerate(splitter.split(np.zeros(len(df)), strata)):
        fold[test] = i
    return fold


def out_of_fold_logits(
    X: sparse.csr_matrix, df: pd.DataFrame, fold: np.ndarray, config: HeadConfig, identity_cols: np.ndarray
) -> np.ndarray:
    oof = np.zeros((X.shape[0], len(HEADS)))
    weights = df["weight"].to_numpy()
    for f in np.unique(fold):
        train = fold != f
        coef, intercept = fit_heads(X[train], df[train], weights[train], config, identity_cols)
        oof[~train] = X[~train] @ coef + intercept
    return oof


def ece(p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, bins: int = 10) -> float:
    """Expected calibration error over equal-width probability bins."""
    w = np.ones_like(p) if w is None else w
    edges = np.minimum((p * bins).astype(int), bins - 1)
    total = w.sum()
    err = 0.0
    for b in range(bins):
        m = edges == b
        if m.any():
            err += w[m].sum() / total * abs(np.average(y[m], weights=w[m]) - np.average(p[m], weights=w[m]))
    return float(err)


def oof_report(
    df: pd.DataFrame, probs: np.ndarray, thresholds: dict[str, float]
) -> dict[str, dict[str, dict[str, float]]]:
    """Per source and head: AUC, weighted ECE and macro-F1 at the chosen threshold."""
    report: dict[str, dict[str, dict[str, float]]] = {}
    for source in sorted(df["source"].unique()):
        rows = (df["source"] == source).to_numpy()
        for h, head in enumerate(HEADS):
            y = df[head].to_numpy()[rows]
            known = ~np.isnan(y)
            if known.sum() < 50 or len(np.unique(y[known])) < 2:
                continue
            p, w, yk = probs[rows, h][known], df["weight"].to_numpy()[rows][known], y[known]
            report.setdefault(source, {})[head] = {
                "n": int(known.sum()),
                "positives": int(yk.sum()),
                "roc_auc": round(float(roc_auc_score(yk, p)), 4),
                "macro_f1": round(float(f1_score(yk, p >= thresholds[head], average="macro")), 4),
                "ece_weighted": round(ece(p, yk, w), 4),
            }
    return report
