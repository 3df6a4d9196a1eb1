"""The two official measures of persuasion-technique detection, as pure functions.

- `paragraph_f1`: SemEval-2023 Task 3 subtask 3. Every gold (article, line) row is a multi-label
  instance over the 23 techniques; micro-F1 pools true/false positives and negatives over all
  techniques, macro-F1 averages the per-technique F1. As in the organisers' scorer (sklearn's
  f1_score with zero_division=1), a technique with no gold and no predicted row scores F1 = 1, which
  lifts macro-F1 for the four techniques absent from the English data: `macro_present` leaves them out.
- `span_f1`: SemEval-2020 Task 11 span identification. Spans are sets of character offsets; within
  one article a predicted span s earns |s ∩ t| / |s| of precision against each gold span t and
  |s ∩ t| / |t| of recall; precision averages over predicted spans, recall over gold spans.
  Overlapping spans of one side (and one technique) are merged first, so a span annotated twice
  does not count twice. Per technique: the same on the spans of that technique.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["paragraph_f1", "span_f1", "span_f1_by_technique"]


def _f1(tp: int, fp: int, fn: int) -> float:
    denominator = 2 * tp + fp + fn
    return 1.0 if denominator == 0 else 2 * tp / denominator


def paragraph_f1(
    gold: Mapping[tuple[str, int], Iterable[str]],
    predicted: Mapping[tuple[str, int], Iterable[str]],
    techniques: Sequence[str],
) -> dict[str, Any]:
    """Scores over the gold rows; a gold row missing from `predicted` counts as predicting nothing,
    and predicted rows that are not gold rows are ignored (the official scorer refuses them)."""
    counts = {t: [0, 0, 0] for t in techniques}  # tp, fp, fn
    for key, gold_labels in gold.items():
        g, p = set(gold_labels), set(predicted.get(key, ()))
        for t in techniques:
            if t in g and t in p:
                counts[t][0] += 1
            elif t in p:
                counts[t][1] += 1
            elif t in g:
                counts[t][2] += 1
    per = {
        t: {"f1": _f1(tp, fp, fn), "support": tp + fn, "predicted": tp + fp,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0}
        for t, (tp, fp, fn) in counts.items()
    }  # fmt: skip
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    present = [t for t in techniques if per[t]["support"]]
    return {
        "micro_f1": _f1(tp, fp, fn),
        "micro_precision": tp / (tp + fp) if tp + fp else 1.0,
        "micro_recall": tp / (tp + fn) if tp + fn else 1.0,
        "macro_f1": sum(per[t]["f1"] for t in techniques) / len(techniques),
        "macro_present": sum(per[t]["f1"] for t in present) / len(present) if present else 1.0,
        "rows": len(gold),
        "per_technique": per,
    }


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for begin, end in sorted(ranges):
        if out and begin <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([begin, end])
    return [(b, e) for b, e in out]


def _span_sums(
    gold: Iterable[tuple[str, int, int]], predicted: Iterable[tuple[str, int, int]]
) -> tuple[float, float, int, int]:
    """(precision numerator, recall numerator, predicted spans, gold spans) after merging."""
    by_article: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = defaultdict(lambda: ([], []))
    for article, b, e in gold:
        by_article[article][0].append((b, e))
    for article, b, e in predicted:
        by_article[article][1].append((b, e))
    precision_sum = recall_sum = 0.0
    n_pred = n_gold = 0
    for gold_ranges, pred_ranges in by_article.values():
        g, p = _merged(gold_ranges), _merged(pred_ranges)
        n_gold, n_pred = n_gold + len(g), n_pred + len(p)
        for pb, pe in p:
            for gb, ge in g:
                overlap = min(pe, ge) - max(pb, gb)
                if overlap > 0:
                    precision_sum += overlap / (pe - pb)
                    recall_sum += overlap / (ge - gb)
    return precision_sum, recall_sum, n_pred, n_gold


def _prf(precision_sum: float, recall_sum: float, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = precision_sum / n_pred if n_pred else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "gold_spans": n_gold,
        "predicted_spans": n_pred,
    }


def span_f1(
    gold: Iterable[tuple[str, int, int]], predicted: Iterable[tuple[str, int, int]]
) -> dict[str, float]:
    """(article, begin, end) spans, end exclusive; technique-agnostic (SemEval-2020 subtask SI)."""
    return _prf(*_span_sums(gold, predicted))


def span_f1_by_technique(
    gold: Iterable[tuple[str, str, int, int]],
    predicted: Iterable[tuple[str, str, int, int]],
    techniques: Sequence[str],
) -> dict[str, Any]:
    """From (article, technique, begin, end) spans: `span_f1` per technique, and "all", where a
    predicted span earns credit only against gold spans of its own technique (the sums of every
    technique over the counts of every technique)."""
    gold, predicted = list(gold), list(predicted)
    sums = {
        t: _span_sums(
            [(a, b, e) for a, tt, b, e in gold if tt == t],
            [(a, b, e) for a, tt, b, e in predicted if tt == t],
        )
        for t in techniques
    }
    total = tuple(sum(s[i] for s in sums.values()) for i in range(4))
    return {"all": _prf(*total), "per_technique": {t: _prf(*s) for t, s in sums.items()}}  # type: ignore[arg-type]
