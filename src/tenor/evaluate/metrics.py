"""Evaluation metrics as pure functions over numpy arrays (product.md §5). The measures training
shares (the toxic-spans F1, the technique F1s) live in tenor.metrics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from scipy.stats import rankdata, spearmanr
from sklearn.metrics import f1_score, roc_auc_score

from ..metrics.spans import span_f1

__all__ = [
    "BOOTSTRAP_SAMPLES", "auc", "bias_auc", "bootstrap_auc_ci", "ece", "label_metrics", "macro_f1", "paired_bootstrap_diff",
    "r4", "reliability", "span_f1", "spearman", "stratified_bootstrap_auc_ci",
]  # fmt: skip

BOOTSTRAP_SAMPLES = 1000


def r4(x: float | None) -> float | None:
    """A number as eval.json holds it: rounded to 4 decimals (None stays None)."""
    return None if x is None else round(float(x), 4)


def auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """ROC-AUC, or None when the labels hold one class only."""
    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else None


def _fast_auc(y: np.ndarray, ranks: np.ndarray) -> float:
    """AUC from precomputed ranks (Mann-Whitney U): the bootstrap calls this 1000 times."""
    pos = y.sum()
    neg = len(y) - pos
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def _resamples(y: np.ndarray, n: int, seed: int) -> Iterator[np.ndarray]:
    """Row indices of `n` bootstrap resamples (fixed seed); a resample with one class only is skipped."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        if 0 < y[idx].sum() < len(idx):
            yield idx


def bootstrap_auc_ci(
    y: np.ndarray, p: np.ndarray, *, n: int = BOOTSTRAP_SAMPLES, seed: int = 0
) -> tuple[float, float] | None:
    """Percentile 95% interval of the AUC over `n` resamples of the rows (fixed seed)."""
    if not 0 < y.sum() < len(y):
        return None
    values = [_fast_auc(y[idx], rankdata(p[idx])) for idx in _resamples(y, n, seed)]
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def stratified_bootstrap_auc_ci(
    y: np.ndarray, p: np.ndarray, strata: np.ndarray, *, n: int = BOOTSTRAP_SAMPLES, seed: int = 0
) -> tuple[float, float] | None:
    """Percentile 95% interval of the pooled AUC when rows are resampled within each stratum
    (e.g. language), so every resample keeps the set's mix of strata (fixed seed)."""
    if not 0 < y.sum() < len(y):
        return None
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(strata == s) for s in sorted(set(strata.tolist()))]
    values = []
    for _ in range(n):
        idx = np.concatenate([g[rng.integers(0, len(g), len(g))] for g in groups])
        if 0 < y[idx].sum() < len(idx):
            values.append(_fast_auc(y[idx], rankdata(p[idx])))
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def paired_bootstrap_diff(
    y: np.ndarray, p_a: np.ndarray, p_b: np.ndarray, *, n: int = BOOTSTRAP_SAMPLES, seed: int = 0
) -> tuple[float, float, float]:
    """AUC(a) - AUC(b) on the same rows, with a paired 95% interval (same resamples for both)."""
    diffs = [
        _fast_auc(y[idx], rankdata(p_a[idx])) - _fast_auc(y[idx], rankdata(p_b[idx]))
        for idx in _resamples(y, n, seed)
    ]
    point = float(roc_auc_score(y, p_a) - roc_auc_score(y, p_b))
    return point, float(np.percentile(diffs, 2.5)), float(np.percentile(diffs, 97.5))


def macro_f1(y: np.ndarray, p: np.ndarray, threshold: float) -> float:
    return float(f1_score(y, p >= threshold, average="macro"))


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Per equal-width bin: rows, mean predicted probability, observed positive rate."""
    edges = np.minimum((p * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        m = edges == b
        if m.any():
            out.append(
                {
                    "bin": b,
                    "n": int(m.sum()),
                    "mean_predicted": float(p[m].mean()),
                    "observed": float(y[m].mean()),
                }
            )
    return out


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over 10 equal-width bins."""
    return float(
        sum(r["n"] / len(p) * abs(r["observed"] - r["mean_predicted"]) for r in reliability(p, y, bins))
    )


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(spearmanr(a, b).statistic)


def bias_auc(y: np.ndarray, p: np.ndarray, in_group: np.ndarray) -> dict[str, float | None]:
    """Subgroup, BPSN and BNSP AUC for one identity term (Borkan et al. 2019)."""
    y = y.astype(bool)
    bpsn = (in_group & ~y) | (~in_group & y)
    bnsp = (in_group & y) | (~in_group & ~y)
    return {
        "subgroup_auc": auc(y[in_group].astype(int), p[in_group]),
        "bpsn_auc": auc(y[bpsn].astype(int), p[bpsn]),
        "bnsp_auc": auc(y[bnsp].astype(int), p[bnsp]),
    }


def label_metrics(
    y: np.ndarray, p: np.ndarray, threshold: float | None, *, bootstrap: bool
) -> dict[str, Any]:
    """One attribute's numbers on one set: rows, positives, ROC-AUC (with its bootstrap interval),
    macro-F1 at the threshold (when there is one) and ECE, rounded as eval.json holds them."""
    out: dict[str, Any] = {"n": len(y), "positives": int(y.sum()), "roc_auc": r4(auc(y, p))}
    if bootstrap:
        ci = bootstrap_auc_ci(y, p)
        out["ci95"] = [r4(ci[0]), r4(ci[1])] if ci else None
    if threshold is not None:
        out["threshold"] = threshold
        out["macro_f1"] = r4(macro_f1(y, p, threshold))
    out["ece"] = r4(ece(p, y))
    return out
