"""Fitting: linear heads per attribute, out-of-fold predictions, calibration, thresholds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from .._attributes import IDENTITY_ATTACK
from .datasets import HEADS
from .features import without_columns


@dataclass(frozen=True)
class HeadConfig:
    C: float = 8.0
    max_iter: int = 2000


def fit_head(X: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, config: HeadConfig) -> tuple[np.ndarray, float]:
    lr = LogisticRegression(C=config.C, max_iter=config.max_iter, tol=1e-5)
    lr.fit(X, y, sample_weight=w)
    return lr.coef_[0].astype(np.float64), float(lr.intercept_[0])


def fit_heads(
    X: sparse.csr_matrix, labels: pd.DataFrame, weights: np.ndarray, config: HeadConfig, identity_cols: np.ndarray
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


def platt(logits: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Slope and offset so that sigmoid(slope * logit + offset) is calibrated on (y, w)."""
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(logits.reshape(-1, 1), y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def best_threshold(p: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray | None = None) -> float:
    """The probability threshold, on a 0.01 grid, that maximises macro-F1 averaged over the
    groups (training sources) with equal weight, so one operating point serves every domain
    instead of the largest one; within a group rows carry their training weights."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    groups = np.zeros(len(p), dtype=int) if groups is None else groups
    members = [groups == g for g in np.unique(groups) if len(np.unique(y[groups == g])) == 2]
    scores = [np.mean([f1_score(y[m], p[m] >= t, average="macro", sample_weight=w[m]) for m in members]) for t in grid]
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
