"""The multilingual model's TOXICITY head: a logistic regression on the raw embeddings, English
and in-language rows pooled, cross-validated on folds of the in-language rows (stratified by
language x label); calibration is the shared Platt fit on the out-of-fold logits, the threshold
the best out-of-fold F1."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._calibration import sigmoid
from ..calibration import platt
from .data import MultilingualConfig, MultilingualData

__all__ = ["CrossValidation", "cross_validate", "fit_head", "in_language_folds", "weights"]


def fit_head(x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(x.astype(np.float64), y, sample_weight=weight)
    return clf.coef_[0].copy(), float(clf.intercept_[0])


def weights(data: MultilingualData, config: MultilingualConfig) -> np.ndarray:
    """In-language rows weighted config.in_language_weight, English rows 1."""
    return np.where(data.in_language, config.in_language_weight, 1.0)


def in_language_folds(data: MultilingualData, config: MultilingualConfig) -> np.ndarray:
    """Fold of each in-language row (stratified by language x label); -1 for English rows,
    which are in every training side."""
    from sklearn.model_selection import StratifiedKFold

    fold = np.full(len(data.texts), -1)
    rows = np.flatnonzero(data.in_language)
    strata = np.char.add(np.char.add(data.language[rows], "_"), data.toxic[rows].astype(str))
    splitter = StratifiedKFold(config.folds, shuffle=True, random_state=config.seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(rows)), strata)):
        fold[rows[test]] = k
    return fold


@dataclass(frozen=True)
class CrossValidation:
    logits: np.ndarray  # out-of-fold logit of every in-language row (nan for English rows)
    auc: dict[str, float]  # per language and "all"
    calibration: tuple[float, float]
    threshold: float
    f1: float


def cross_validate(x: np.ndarray, data: MultilingualData, config: MultilingualConfig) -> CrossValidation:
    from sklearn.metrics import precision_recall_curve, roc_auc_score

    fold = in_language_folds(data, config)
    weight = weights(data, config)
    logits = np.full(len(data.texts), np.nan)
    for k in range(config.folds):
        train, test = fold != k, fold == k
        coef, intercept = fit_head(x[train], data.toxic[train], weight[train], config.c)
        logits[test] = x[test].astype(np.float64) @ coef + intercept
    rows = data.in_language
    auc = {
        lang: float(
            roc_auc_score(data.toxic[rows & (data.language == lang)], logits[rows & (data.language == lang)])
        )
        for lang in sorted(set(data.language[rows]))
    }
    auc["all"] = float(roc_auc_score(data.toxic[rows], logits[rows]))
    slope, offset = platt(logits[rows], data.toxic[rows])
    probs = sigmoid(slope * logits[rows] + offset)
    precision, recall, cut = precision_recall_curve(data.toxic[rows], probs)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1]))
    return CrossValidation(logits, auc, (slope, offset), float(cut[best]), float(f1[best]))
