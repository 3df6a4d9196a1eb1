"""The SemEval-2021 Task 5 (toxic spans) measure: F1 of one post's predicted character offsets."""

from __future__ import annotations

__all__ = ["span_f1"]


def span_f1(predicted: set[int] | frozenset[int], gold: set[int] | frozenset[int]) -> float:
    """SemEval-2021 Task 5 per-post F1 on character offsets (both empty counts as 1)."""
    if not gold and not predicted:
        return 1.0
    if not gold or not predicted:
        return 0.0
    overlap = len(set(predicted) & set(gold))
    return 2 * overlap / (len(predicted) + len(gold))
