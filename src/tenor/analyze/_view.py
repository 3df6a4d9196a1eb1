"""What the HTML report and the review UI both draw from a page: marked words and the thread
tree. Pure functions over the `tenor analyze --json` shapes; escaping is the renderer's job."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

__all__ = ["MARK_LEVELS", "ThreadNode", "highlight_segments", "layered_segments", "mark_level", "thread_tree"]


MARK_LEVELS = 4  # intensities a mark is drawn in (CSS classes m1..m4), by the span's score


def mark_level(score: float | None) -> int:
    """1..MARK_LEVELS for a span's score: a mark is drawn as strong as the model is sure of it
    (0-0.25 -> 1, ..., 0.75-1 -> 4); a span without a score (a foreign producer) at full strength."""
    if score is None:
        return MARK_LEVELS
    return 1 + min(MARK_LEVELS - 1, max(0, int(float(score) * MARK_LEVELS)))


def highlight_segments(
    text: str, spans: Mapping[str, Sequence[Mapping[str, Any]]] | None
) -> list[tuple[str, int]]:
    """The text cut into (piece, level) pairs: level 0 where no attribute's span covers it, else
    the mark_level of the highest score among the spans merged there (overlapping and touching
    spans merged, out-of-range spans ignored)."""
    ranges = sorted(
        (s["begin"], s["end"], mark_level(s.get("score")))
        for ss in (spans or {}).values()
        for s in ss
        if 0 <= s["begin"] < s["end"] <= len(text)
    )
    merged: list[list[int]] = []
    for begin, end, level in ranges:
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = max(merged[-1][2], level)
        else:
            merged.append([begin, end, level])
    out: list[tuple[str, int]] = []
    pos = 0
    for begin, end, level in merged:
        if begin > pos:
            out.append((text[pos:begin], 0))
        out.append((text[begin:end], level))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], 0))
    return out


def layered_segments(
    text: str, spans: Sequence[Mapping[str, Any]], begin: int = 0, end: int | None = None
) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """text[begin:end] cut at every span boundary into (piece, covering, ending): the indices into
    `spans` of the spans covering the piece, and of those that end with it. Unlike
    highlight_segments nothing is merged, so overlapping spans of different kinds (technique spans
    cross and nest freely) keep their identities. Spans are clipped to the window; empty or
    out-of-range ones are ignored."""
    end = len(text) if end is None else end
    clipped = [
        (i, max(s["begin"], begin), min(s["end"], end))
        for i, s in enumerate(spans) if 0 <= s["begin"] < s["end"] <= len(text) and s["begin"] < end and s["end"] > begin
    ]  # fmt: skip
    cuts = sorted({begin, end, *(b for _, b, _ in clipped), *(e for _, _, e in clipped)})
    out: list[tuple[str, tuple[int, ...], tuple[int, ...]]] = []
    for a, b in pairwise(cuts):
        covering = tuple(i for i, sb, se in clipped if sb <= a and b <= se)
        out.append((text[a:b], covering, tuple(i for i in covering if spans[i]["end"] == b)))
    return out or [("", (), ())]


@dataclass
class ThreadNode:
    comment: Any
    replies: list[ThreadNode] = field(default_factory=list)


def thread_tree(
    comments: Sequence[Any], key: Callable[[Any], str], parent: Callable[[Any], str | None]
) -> list[ThreadNode]:
    """Top-level comments with their replies nested, in input order. A reply to a comment that is
    not on the page (or to itself, or in a cycle) is shown at the top level, never dropped."""
    ids = {key(c) for c in comments}
    children: dict[str | None, list[Any]] = {}
    for c in comments:
        p = parent(c)
        children.setdefault(p if p in ids and p != key(c) else None, []).append(c)
    placed: set[str] = set()

    def build(p: str | None) -> list[ThreadNode]:
        nodes = []
        for c in children.get(p, []):
            if key(c) in placed:
                continue
            placed.add(key(c))
            nodes.append(ThreadNode(c, build(key(c))))
        return nodes

    roots = build(None)
    # comments whose parents form a cycle never hang from the top: show them there
    roots += [ThreadNode(c, []) for c in comments if key(c) not in placed]
    return roots
