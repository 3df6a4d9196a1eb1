"""Out-of-fold choices and numbers of the technique model: the span rule per technique and the
cross-validation report (sentence and paragraph F1, span F1), measured with the official
measures of tenor.metrics.techniques, the same that `tenor eval` reports."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._features import DocFeatures
from ...metrics.techniques import paragraph_f1, span_f1_by_technique
from ...techniques._inventory import TECHNIQUES
from ...techniques._model import span_in_sentence
from .data import TechniqueData

__all__ = ["ALPHAS", "choose_alpha", "oof_report", "predicted_spans"]

ALPHAS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)  # span rule grid; 0 = the whole sentence


def predicted_spans(
    data: TechniqueData,
    docs: list[DocFeatures],
    names: tuple[str, ...],
    probs: np.ndarray,
    thresholds: np.ndarray,
    coefs: list[np.ndarray],
    fold: np.ndarray,
    alphas: np.ndarray,
) -> list[tuple[str, str, int, int]]:
    """(article, technique, begin, end) of every span the out-of-fold heads mark, with span rule `alphas`."""
    out: list[tuple[str, str, int, int]] = []
    start = 0
    for a in data.article_ids:
        u = data.units[a]
        for i, (b, _e) in enumerate(u.sentences):
            row = start + i
            for k in np.flatnonzero(probs[row] >= thresholds):
                found = span_in_sentence(docs[row], coefs[fold[row]][:, k], float(alphas[k]))
                if found:
                    out.append((a, names[k], b + found[0], b + found[1]))
        start += len(u.texts)
    return out


def choose_alpha(
    data: TechniqueData,
    docs: list[DocFeatures],
    names: tuple[str, ...],
    probs: np.ndarray,
    thresholds: np.ndarray,
    coefs: list[np.ndarray],
    fold: np.ndarray,
) -> np.ndarray:
    """Per technique, the span rule of ALPHAS with the best out-of-fold span F1."""
    best = np.zeros(len(names))
    scores = []
    for alpha in ALPHAS:
        spans = predicted_spans(data, docs, names, probs, thresholds, coefs, fold, np.full(len(names), alpha))
        scores.append(span_f1_by_technique(data.gold_spans, spans, names))
    for k, name in enumerate(names):
        best[k] = ALPHAS[int(np.argmax([s["per_technique"][name]["f1"] for s in scores]))]
    return best


def oof_report(
    data: TechniqueData,
    docs: list[DocFeatures],
    names: tuple[str, ...],
    probs: np.ndarray,
    thresholds: np.ndarray,
    span_alpha: np.ndarray,
    coefs: list[np.ndarray],
    fold: np.ndarray,
) -> dict[str, Any]:
    """Out-of-fold sentence, paragraph and span F1 (the cross_validation entry of the manifest)."""
    predicted_rows: dict[tuple[str, int], set[str]] = {}
    sentence_gold: dict[tuple[str, int], set[str]] = {}
    sentence_pred: dict[tuple[str, int], set[str]] = {}
    start = 0
    for a in data.article_ids:
        u = data.units[a]
        for i in range(len(u.texts)):
            row = start + i
            labels = {names[k] for k in np.flatnonzero(probs[row] >= thresholds)}
            sentence_pred[(a, i)] = labels
            sentence_gold[(a, i)] = {TECHNIQUES[k] for k in np.flatnonzero(data.sentence_labels[row])}
            predicted_rows.setdefault((a, data.rows[a][int(u.paragraph_of[i])]), set()).update(labels)
        start += len(u.texts)
    spans = predicted_spans(data, docs, names, probs, thresholds, coefs, fold, span_alpha)
    para = paragraph_f1(data.gold_paragraphs, predicted_rows, TECHNIQUES)
    sent = paragraph_f1(sentence_gold, sentence_pred, TECHNIQUES)
    return {
        "sentence": {k: sent[k] for k in ("micro_f1", "macro_f1", "macro_present", "rows")},
        "paragraph": {k: para[k] for k in ("micro_f1", "macro_f1", "macro_present", "rows")},
        "span": span_f1_by_technique(data.gold_spans, spans, names),
        "per_technique_sentence_f1": {t: round(sent["per_technique"][t]["f1"], 4) for t in names},
    }
