"""What is chosen on the calibration fold (a fold of train held out of fine-tuning), with the
exported int8 graph itself: a Platt step and an operating threshold per attribute, and the token
probability at which a word is marked. Also the int8-vs-float32 check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..._calibration import calibrated
from ...engines.transformer import TransformerEngine, load_transformer_model
from ...engines.transformer._windows import marked_spans
from ...metrics.spans import span_f1
from ..calibration import best_threshold, platt
from .corpus import Corpus
from .schema import ATTRIBUTES

__all__ = ["Tuned", "calibrate", "fold_auc", "int8_check"]

SPAN_GRID = np.round(np.arange(0.1, 0.91, 0.05), 2)
_EPS = 1e-7


@dataclass(frozen=True)
class Tuned:
    calibration: np.ndarray  # (n_attributes, 2)
    thresholds: np.ndarray  # (n_attributes,)
    span_threshold: float
    report: dict[str, Any]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def fold_auc(probs: np.ndarray, corpus: Corpus, rows: np.ndarray) -> dict[str, float | None]:
    from sklearn.metrics import roc_auc_score

    out: dict[str, float | None] = {}
    for j, a in enumerate(ATTRIBUTES):
        y = corpus.targets[rows, j]
        known = ~np.isnan(y)
        labels = y[known] >= 0.5
        out[a] = (
            round(float(roc_auc_score(labels, probs[known, j])), 4)
            if 0 < labels.sum() < len(labels)
            else None
        )
    return out


def calibrate(
    engine: TransformerEngine,
    corpus: Corpus,
    rows: np.ndarray,
    spans: dict[str, frozenset[int]],
    *,
    usable: np.ndarray | None = None,
    log: Callable[[str], None] = print,
) -> Tuned:
    """Fit on the fold `rows` of `corpus`, scored by `engine` (whose artifact has an identity
    calibration: its probabilities are the sigmoid of the raw logits). `usable` (rows x
    attributes, boolean): the labels a calibration may use; run.py leaves out the one-class ones
    (a hate set's TOXICITY = 1 with its other posts dropped says nothing about how often a comment
    is toxic: with them, 2026.12.2's first calibration put Jigsaw TOXICITY's ECE at 0.088)."""
    texts = [corpus.texts[i] for i in rows]
    log(f"scoring the calibration fold ({len(texts)} texts) with the exported graph")
    probs, token_probs, encodings = engine.forward(texts)
    logits = _logit(probs)
    calibration = np.tile([1.0, 0.0], (len(ATTRIBUTES), 1))
    thresholds = np.full(len(ATTRIBUTES), 0.5)
    sources = corpus.sources[rows]
    weights = corpus.weights[rows].astype(np.float64)
    for j, a in enumerate(ATTRIBUTES):
        y = corpus.targets[rows, j]
        known = ~np.isnan(y) & (usable[:, j] if usable is not None else True)
        labels = (y[known] >= 0.5).astype(int)
        if 0 < labels.sum() < len(labels):
            calibration[j] = platt(logits[known, j], labels, weights[known])
            p = calibrated(logits[known, j : j + 1], calibration[j : j + 1])[:, 0]
            thresholds[j] = best_threshold(p, labels, weights[known], sources[known])
    fold_probs = calibrated(logits, calibration)
    report: dict[str, Any] = {
        "fold_rows": len(texts),
        "fold_auc": fold_auc(fold_probs, corpus, rows),
        "platt": {a: [round(float(c), 6) for c in calibration[j]] for j, a in enumerate(ATTRIBUTES)},
        "thresholds": {a: float(thresholds[j]) for j, a in enumerate(ATTRIBUTES)},
    }
    span_threshold, span_report = _span_threshold(
        texts, fold_probs[:, 0], thresholds[0], token_probs, encodings, spans
    )
    report["spans"] = span_report
    log(f"fold AUC {report['fold_auc']}; span threshold {span_threshold}")
    return Tuned(calibration, thresholds, span_threshold, report)


def _span_threshold(
    texts: Sequence[str],
    toxicity: np.ndarray,
    toxicity_threshold: float,
    token_probs: Sequence[np.ndarray],
    encodings: Sequence[Any],
    spans: dict[str, frozenset[int]],
) -> tuple[float, dict[str, Any]]:
    """The token threshold with the best mean span F1 on the fold's toxic-spans posts, words
    shown only when TOXICITY is at or over its threshold (as the engine shows them)."""
    posts = [i for i, t in enumerate(texts) if t in spans]
    if not posts:
        return 0.5, {"posts": 0}
    scores = []
    for t in SPAN_GRID:
        f1 = []
        for i in posts:
            predicted: set[int] = set()
            if toxicity[i] >= toxicity_threshold:
                enc = encodings[i]
                for b, e, _ in marked_spans(token_probs[i], enc.offsets, enc.word_ids, float(t)):
                    predicted.update(range(b, e))
            f1.append(span_f1(predicted, spans[texts[i]]))
        scores.append(float(np.mean(f1)))
    best = int(np.argmax(scores))
    return float(SPAN_GRID[best]), {"posts": len(posts), "span_f1": round(scores[best], 4)}


def int8_check(
    fp32_onnx: Path, folder: Path, corpus: Corpus, rows: np.ndarray, *, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Fold AUC of the float32 graph beside the int8 one (same tokenizer, windows, calibration)."""
    import shutil
    import tempfile

    sample = rows[:3000]
    texts = [corpus.texts[i] for i in sample]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        twin = Path(tmp) / "fp32"
        shutil.copytree(folder, twin)
        shutil.copyfile(fp32_onnx, twin / "model.onnx")
        from ..._artifact import write_checksums

        write_checksums(twin)
        for name, path in (("int8", folder), ("float32", twin)):
            engine = TransformerEngine(load_transformer_model(path), threads=2)
            probs, _, _ = engine.forward(texts)
            out[name] = fold_auc(probs, corpus, sample)
    log(f"int8 vs float32 fold AUC: {out}")
    return out
