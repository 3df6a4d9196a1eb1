"""Fitting: linear heads per attribute, out-of-fold predictions, calibration, thresholds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from .datasets import HEADS


@dataclass(frozen=True)
class HeadConfig:
    C: float = 8.0
    max_iter: int = 2000


def fit_head(X: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, config: HeadConfig) -> tuple[np.ndarray, float]:
    lr = LogisticRegression(C=config.C, max_iter=config.max_iter, tol=1e-5)
    lr.fit(X, y, sample_weight=w)
    return lr.coef_[0].astype(np.float64), float(lr.intercept_[0])


def fit_heads(X: sparse.csr_matrix, labels: pd.DataFrame, weights: np.ndarray, config: HeadConfig) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((X.shape[1], len(HEADS)))
    intercept = np.zeros(len(HEADS))
    for h, head in enumerate(HEADS):
        y = labels[head].to_numpy()
        known = ~np.isnan(y)
        coef[:, h], intercept[h] = fit_head(X[known], y[known], weights[known], config)
    return coef, intercept


def folds(df: pd.DataFrame, k: int, seed: int) -> np.ndarray:
    """Fold number per row, stratified by source and TOXICITY label."""
    strata = df["source"] + ":" + df["TOXICITY"].fillna(-1).astype(int).astype(str)
    fold = np.zeros(len(df), dtype=int)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for i, (_, test) in enumerate(splitter.split(np.zeros(len(df)), strata)):
        fold[test] = i
    return fold


def out_of_fold_logits(X: sparse.csr_matrix, df: pd.DataFrame, fold: np.ndarray, config: HeadConfig) -> np.ndarray:
    oof = np.zeros((X.shape[0], len(HEADS)))
    weights = df["weight"].to_numpy()
    for f in np.unique(fold):
        train = fold != f
        coef, intercept = fit_heads(X[train], df[train], weights[train], config)
        oof[~train] = X[~train] @ coef + intercept
    return oof


def platt(logits: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Slope and offset so that sigmoid(slope * logit + offset) is calibrated on (y, w)."""
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(logits.reshape(-1, 1), y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def best_threshold(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The probability threshold that maximises weighted macro-F1, on a 0.01 grid."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    scores = [f1_score(y, p >= t, average="macro", sample_weight=w) for t in grid]
    return float(grid[int(np.argmax(scores))])


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


def oof_report(df: pd.DataFrame, probs: np.ndarray, thresholds: dict[str, float]) -> dict[str, dict[str, dict[str, float]]]:
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
