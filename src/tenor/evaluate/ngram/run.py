"""The comment model on the held-out toxicity sets: every set scored by tenor (and the peers),
every metric of product.md §5."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import metrics
from ..metrics import label_metrics
from ..metrics import r4 as _r
from ..sets import EvalSet
from .predictors import Predictor, TenorPredictor

__all__ = [
    "BIAS_EVAL_TERMS", "MIN_POSITIVES_TO_COMPARE", "compare", "evaluate", "evaluate_set", "identity_bias", "label_metrics",
]  # fmt: skip

# Per-label peer comparisons only where a set has this many positives (product.md §5).
MIN_POSITIVES_TO_COMPARE = 150

# The identity terms of the Dixon et al. templates, for per-term bias. Kept apart from the
# model's own list (tenor._identity) on purpose: the measurement must not depend on the model.
BIAS_EVAL_TERMS = (
    "lesbian", "gay", "bisexual", "transgender", "trans", "queer", "lgbt", "lgbtq", "homosexual", "straight",
    "heterosexual", "male", "female", "nonbinary", "african american", "african", "black", "white", "european",
    "hispanic", "latino", "latina", "latinx", "mexican", "canadian", "american", "asian", "indian",
    "middle eastern", "chinese", "japanese", "christian", "muslim", "jewish", "buddhist", "catholic",
    "protestant", "sikh", "taoist", "old", "older", "young", "younger", "teenage", "millennial", "middle aged",
    "elderly", "blind", "deaf", "paralyzed",
)  # fmt: skip
_TERM_RE = re.compile(
    r"\b(" + "|".join(re.escape(t) for t in sorted(BIAS_EVAL_TERMS, key=len, reverse=True)) + r")\b"
)


def identity_bias(texts: list[str], y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    terms = np.array([(m.group(1) if (m := _TERM_RE.search(t.lower())) else "") for t in texts])
    per_term = {}
    for term in sorted(set(terms) - {""}):
        in_group = terms == term
        if in_group.sum() >= 20:
            per_term[str(term)] = {k: _r(v) for k, v in metrics.bias_auc(y, p, in_group).items()}
    scored = {t: m["bpsn_auc"] for t, m in per_term.items() if m["bpsn_auc"] is not None}
    worst = min(scored, key=scored.__getitem__)  # the first such term, in term order, on a tie
    return {
        "overall_auc": _r(metrics.auc(y, p)),
        "worst_bpsn": {"term": str(worst), **per_term[worst]},
        "per_term": per_term,
    }


def evaluate_set(
    predictor: Predictor, s: EvalSet, *, bootstrap: bool = True
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Metrics of one predictor on one set, and its scores (kept for the peer comparisons)."""
    out: dict[str, Any] = {"n": len(s.texts), "description": s.description}
    if s.spans is not None:
        if isinstance(predictor, TenorPredictor):
            predicted = predictor.predict_spans(s.texts)
            out["span_f1"] = _r(float(np.mean([metrics.span_f1(a, b) for a, b in zip(predicted, s.spans)])))
        return out, {}
    scores = predictor.predict(s.texts)
    attrs = [a for a in s.labels if a in scores]
    if not attrs:
        out["skipped"] = "scores none of this set's attributes"
        return out, scores
    out["attributes"] = {}
    for a in attrs:
        threshold = predictor.thresholds.get(a)
        out["attributes"][a] = label_metrics(s.labels[a], scores[a], threshold, bootstrap=bootstrap)
    if s.name in ("jigsaw2018", "jigsaw_sample") and len(attrs) == 6:
        out["mean_roc_auc"] = _r(np.mean([out["attributes"][a]["roc_auc"] for a in attrs]))
    if s.name == "jigsaw2018" and "TOXICITY" in scores:
        out["reliability_TOXICITY"] = metrics.reliability(scores["TOXICITY"], s.labels["TOXICITY"])
        if isinstance(predictor, TenorPredictor):
            out["marks_below_threshold"] = predictor.marks_below_threshold(s.texts)
    if s.name == "identity_templates":
        out["bias"] = identity_bias(s.texts, s.labels["TOXICITY"], scores["TOXICITY"])
    for group, values in s.groups.items():
        out[f"by_{group}"] = {
            g: label_metrics(
                s.labels["TOXICITY"][values == g], scores["TOXICITY"][values == g], None, bootstrap=bootstrap
            )
            for g in sorted(set(values))
        }
    for a, value in s.continuous.items():
        if a in scores:
            out.setdefault("spearman", {})[a] = _r(metrics.spearman(value, scores[a]))
    return out, scores


def compare(s: EvalSet, ours: dict[str, np.ndarray], theirs: dict[str, np.ndarray]) -> dict[str, Any]:
    """tenor minus peer AUC with a paired interval, where the set has enough positives."""
    out = {}
    for a, y in s.labels.items():
        if a in ours and a in theirs and y.sum() >= MIN_POSITIVES_TO_COMPARE and y.sum() < len(y):
            d, low, high = metrics.paired_bootstrap_diff(y, ours[a], theirs[a])
            out[a] = {"auc_difference": _r(d), "ci95": [_r(low), _r(high)]}
    return out


def evaluate(
    tenor: TenorPredictor,
    sets: list[EvalSet],
    peers: Sequence[Predictor] = (),
    *,
    bootstrap: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """{"sets": {name: {"tenor": ..., "<peer>": ..., "comparisons": ...}}}"""
    out: dict[str, Any] = {"sets": {}}
    for s in sets:
        log(f"  {s.name}: {len(s.texts)} texts")
        entry: dict[str, Any] = {}
        entry["tenor"], ours = evaluate_set(tenor, s, bootstrap=bootstrap)
        for peer in peers:
            result, theirs = evaluate_set(peer, s, bootstrap=bootstrap)
            entry[peer.name] = result
            if ours and theirs:
                entry.setdefault("comparisons", {})[peer.name] = compare(s, ours, theirs)
        out["sets"][s.name] = entry
    return out
