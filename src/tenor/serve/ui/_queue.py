"""The review queue: which stored comments need a reviewer, in what order. Pure functions over
the store's rows, so the rules are tested without a server or a browser."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["STATUSES", "QueueFilter", "QueueItem", "review_queue"]

STATUSES = ("open", "flagged", "decided", "all")


@dataclass(frozen=True)
class QueueFilter:
    attribute: str | None = None  # only this attribute counts (default: any)
    threshold: float | None = None  # instead of the community's (or the model's) thresholds
    page_id: int | None = None
    author: str | None = None  # exact, case-insensitive
    since: str | None = None  # YYYY-MM-DD, on the day the page was analyzed
    until: str | None = None
    status: str = (
        "open"  # open: no decision yet; flagged: the latest is a flag; decided: approved or rejected
    )


@dataclass(frozen=True)
class QueueItem:
    comment: Mapping[str, Any]  # a store.review_candidates() row
    attribute: str  # the attribute that puts it here (its highest score over threshold)
    score: float
    threshold: float
    over: tuple[str, ...]  # every attribute over its threshold
    decision: Mapping[str, Any] | None  # the latest one, if any


def _status_matches(status: str, decision: Mapping[str, Any] | None) -> bool:
    if status == "all":
        return True
    if status == "open":
        return decision is None
    if status == "flagged":
        return decision is not None and decision["action"] == "flag"
    return decision is not None and decision["action"] in ("approve", "reject")


def review_queue(
    candidates: Sequence[Mapping[str, Any]],
    decisions: Mapping[int, Mapping[str, Any]],
    thresholds_for: Callable[[str, str | None], Mapping[str, float]],
    f: QueueFilter,
) -> list[QueueItem]:
    """Comments over a threshold that match the filter, highest score first (ties: oldest first).
    `thresholds_for(community, model_version)` gives the community's thresholds, those of the
    model that scored the comment filled in. A comment has scores only for the attributes its
    model scores in its language (a companion engine may score TOXICITY only): the others never count."""
    out = []
    for c in candidates:
        if f.page_id is not None and c["page_id"] != f.page_id:
            continue
        if f.author and (c["author"] or "").casefold() != f.author.casefold():
            continue
        day = (c["page_received_at"] or "")[:10]
        if (f.since and day < f.since) or (f.until and day > f.until):
            continue
        decision = decisions.get(c["id"])
        if not _status_matches(f.status, decision):
            continue
        limits = thresholds_for(c["community"], c.get("model_version"))
        scores = c["attribute_scores"] or {}
        names = [f.attribute] if f.attribute else list(scores)
        over = tuple(
            a for a in names
            if a in scores and scores[a] >= (f.threshold if f.threshold is not None else limits.get(a, 1.01))
        )  # fmt: skip
        if not over:
            continue
        top = max(over, key=lambda a: scores[a])
        limit = f.threshold if f.threshold is not None else limits[top]
        out.append(QueueItem(c, top, float(scores[top]), float(limit), over, decision))
    out.sort(key=lambda item: (-item.score, item.comment["id"]))
    return out
