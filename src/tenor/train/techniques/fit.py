"""Training the persuasion-technique model (SemEval-2023 Task 3 subtask 3, English train only).

Sentences are the unit: every labelled paragraph row of the train split is cut into sentences
(tenor.techniques._segment) and a sentence carries each technique whose gold span overlaps it.
First stage: one class-balanced logistic head per technique on hashed TF-IDF sentence features.
Second stage: per technique, a logistic head over the first-stage logits of the sentence, its
neighbours and its article (tenor.techniques._context), fitted on out-of-fold first-stage logits
so it learns how the first stage behaves on unseen text. The operating threshold and the span
rule are chosen on out-of-fold predictions too. Folds group sentences by article; the dev split
is never read here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from ..._features import DocFeatures
from ...techniques._context import context_features
from ...techniques._inventory import TECHNIQUES
from ...techniques._model import second_stage
from .data import TechniqueData
from .features import Featurized, featurize_data, token_max
from .report import choose_alpha, oof_report

__all__ = ["MIN_POSITIVES", "CVResult", "TechniqueConfig", "cross_validate", "fit_final"]

MIN_POSITIVES = 10  # a technique with fewer positive training sentences gets no head


@dataclass(frozen=True)
class TechniqueConfig:
    C: float = 2.0  # 5-fold CV on train: sentence micro-F1 0.312 (C=0.5), 0.318 (1), 0.320 (2)
    context_C: float = 1.0
    max_features: int = 1 << 17
    min_df: int = 2
    folds: int = 5
    with_paragraph_rows: bool = True  # also train the first stage on whole paragraphs
    per_technique_threshold: bool = False
    nb: bool = False  # NB-LR: features scaled by their naive Bayes log-count ratio before the fit


def _nb_ratio(X: sparse.csr_matrix, y: np.ndarray, smoothing: float = 1.0) -> np.ndarray:
    """Naive Bayes log-count ratio per feature (Wang and Manning 2012): how much likelier a
    feature is in positive than in negative rows. Scaling the features by it before the logistic
    fit (NB-LR) keeps the model linear in the original features: coef = w * r."""
    pos = np.asarray(X[y == 1].sum(axis=0)).ravel() + smoothing
    neg = np.asarray(X[y == 0].sum(axis=0)).ravel() + smoothing
    return np.log(pos / pos.sum()) - np.log(neg / neg.sum())


def _fit_first(
    X: sparse.csr_matrix, Y: np.ndarray, C: float, nb: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((X.shape[1], Y.shape[1]))
    intercept = np.zeros(Y.shape[1])
    for k in range(Y.shape[1]):
        lr = LogisticRegression(
            C=C, solver="liblinear", class_weight="balanced", max_iter=1000, tol=1e-5, random_state=0
        )
        if nb:
            r = _nb_ratio(X, Y[:, k])
            lr.fit(X @ sparse.diags(r), Y[:, k])
            coef[:, k], intercept[k] = lr.coef_[0] * r, lr.intercept_[0]
        else:
            lr.fit(X, Y[:, k])
            coef[:, k], intercept[k] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def _fit_context(F: np.ndarray, Y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((Y.shape[1], F.shape[2]))
    intercept = np.zeros(Y.shape[1])
    for k in range(Y.shape[1]):
        lr = LogisticRegression(C=C, max_iter=2000, tol=1e-6)
        lr.fit(F[:, k, :], Y[:, k])
        coef[k], intercept[k] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def _context(
    data: TechniqueData, logits: np.ndarray, tmax: np.ndarray, docs: list[DocFeatures]
) -> np.ndarray:
    blocks, start = [], 0
    for a in data.article_ids:
        u = data.units[a]
        n = len(u.texts)
        first = int(u.paragraph_of[0]) if n else 0
        tokens = [d.tokens for d in docs[start : start + n]]
        blocks.append(
            context_features(
                logits[start : start + n], tmax[start : start + n], u.paragraph_of, tokens, first
            )
        )
        start += n
    return np.concatenate(blocks)


def _micro(Y: np.ndarray, P: np.ndarray) -> float:
    tp = float((Y * P).sum())
    return 2 * tp / (Y.sum() + P.sum()) if Y.sum() + P.sum() else 1.0


def _threshold(Y: np.ndarray, probs: np.ndarray, per_technique: bool) -> np.ndarray:
    grid = np.round(np.arange(0.05, 0.95, 0.01), 2)
    best = grid[int(np.argmax([_micro(Y, probs >= t) for t in grid]))]
    out = np.full(Y.shape[1], best)
    if per_technique:
        for k in range(Y.shape[1]):
            if Y[:, k].sum() >= 50:
                out[k] = grid[
                    int(np.argmax([_micro(Y[:, k : k + 1], probs[:, k : k + 1] >= t) for t in grid]))
                ]
    return out


@dataclass
class CVResult:
    techniques: tuple[str, ...]
    probs: np.ndarray  # out-of-fold second-stage probabilities per sentence
    thresholds: np.ndarray
    span_alpha: np.ndarray
    report: dict[str, Any]
    features: Featurized
    first_logits: np.ndarray
    token_max: np.ndarray


def cross_validate(
    data: TechniqueData, config: TechniqueConfig, log: Callable[[str], None] = print
) -> CVResult:
    features = featurize_data(
        data,
        min_df=config.min_df,
        max_features=config.max_features,
        with_paragraph_rows=config.with_paragraph_rows,
    )
    X, XP, docs = features.X, features.XP, features.docs
    kept = [k for k in range(len(TECHNIQUES)) if data.sentence_labels[:, k].sum() >= MIN_POSITIVES]
    names = tuple(TECHNIQUES[k] for k in kept)
    Y, YP = data.sentence_labels[:, kept], data.paragraph_labels[:, kept]
    article_fold = np.zeros(len(data.article_ids), dtype=int)
    articles = np.arange(len(data.article_ids))
    for f, (_, test) in enumerate(GroupKFold(n_splits=config.folds).split(articles, groups=articles)):
        article_fold[test] = f
    fold, pfold = article_fold[data.sentence_article], article_fold[data.paragraph_article]
    oof = np.zeros(Y.shape)
    tmax = np.zeros(Y.shape)
    coefs = []
    for f in range(config.folds):
        train = fold != f
        Xtr, Ytr = X[train], Y[train]
        if config.with_paragraph_rows:
            Xtr, Ytr = sparse.vstack([Xtr, XP[pfold != f]], format="csr"), np.vstack([Ytr, YP[pfold != f]])
        coef, intercept = _fit_first(Xtr, Ytr, config.C, config.nb)
        oof[~train] = X[~train] @ coef + intercept
        tmax += token_max(features.tokens, coef, ~train, len(docs))
        coefs.append(coef)
        log(f"  first stage, fold {f + 1}/{config.folds}")
    F = _context(data, oof, tmax, docs)
    probs = np.zeros(Y.shape)
    for f in range(config.folds):
        train = fold != f
        c, i = _fit_context(F[train], Y[train], config.context_C)
        probs[~train] = second_stage(F[~train], c, i)
    thresholds = _threshold(Y, probs, config.per_technique_threshold)
    span_alpha = choose_alpha(data, docs, names, probs, thresholds, coefs, fold)
    report = oof_report(data, docs, names, probs, thresholds, span_alpha, coefs, fold)
    log(
        f"  out-of-fold: sentence micro-F1 {report['sentence']['micro_f1']:.4f}, "
        f"paragraph micro-F1 {report['paragraph']['micro_f1']:.4f}, span F1 {report['span']['all']['f1']:.4f}"
    )
    return CVResult(names, probs, thresholds, span_alpha, report, features, oof, tmax)


def fit_final(data: TechniqueData, config: TechniqueConfig, cv: CVResult) -> dict[str, np.ndarray]:
    """Heads on all of train; the second stage on the out-of-fold first-stage logits."""
    kept = [TECHNIQUES.index(t) for t in cv.techniques]
    features = cv.features
    X, Y = features.X, data.sentence_labels[:, kept]
    if config.with_paragraph_rows:
        X = sparse.vstack([X, features.XP], format="csr")
        Y = np.vstack([Y, data.paragraph_labels[:, kept]])
    coef, intercept = _fit_first(X, Y, config.C, config.nb)
    context = _context(data, cv.first_logits, cv.token_max, features.docs)
    ctx_coef, ctx_intercept = _fit_context(context, data.sentence_labels[:, kept], config.context_C)
    return {
        "vocabulary": features.featurizer.vocabulary,
        "idf": features.featurizer.idf.astype(np.float32),
        "coef": coef.astype(np.float32),
        "intercept": intercept,
        "ctx_coef": ctx_coef,
        "ctx_intercept": ctx_intercept,
    }
