"""The one Platt fit every model's calibration comes from (a slope and an offset on the logit,
applied at scoring time by tenor._calibration, the one sigmoid), and the operating threshold
chosen on the calibrated probabilities."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

__all__ = ["best_threshold", "platt"]


def platt(logits: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float]:
    """Slope and offset so that sigmoid(slope * logit + offset) is calibrated on (y, w); `w`
    None weighs every row alike."""
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(logits.reshape(-1, 1), y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def best_threshold(p: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray | None = None) -> float:
    """The probability threshold, on a 0.01 grid, that maximises macro-F1 averaged over the
    groups (training sources) with equal weight, so one operating point serves every domain
    instead of the largest one; within a group rows carry their training weights."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    groups = np.zeros(len(p), dtype=int) if groups is None else groups
    members = [groups == g for g in np.unique(groups) if len(np.unique(y[groups == g])) == 2]
    scores = [
        np.mean([f1_score(y[m], p[m] >= t, average="macro", sample_weight=w[m]) for m in members])
        for t in grid
    ]
    return float(grid[int(np.argmax(scores))])
