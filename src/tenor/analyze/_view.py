"""What the HTML report and the review UI both draw from a page: marked words and the thread
tree. Pure functions over the `tenor analyze --json` shapes; escaping is the renderer's job."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ThreadNode", "highlight_segments", "thread_tree"]


def highlight_segments(text: str, spans: Mapping[str, Sequence[Mapping[str, Any]]] | None) -> list[tuple[str, bool]]:
    """The text cut into (piece, marked) pairs: marked where any attribute's span covers it,
    overlapping and touching spans merged, out-of-range spans ignored."""
    ranges = sorted(
        (s["begin"], s["end"]) for ss in (spans or {}).values() for s in ss if 0 <= s["begin"] < s["end"] <= len(text)
    )
    merged: list[list[int]] = []
    for begin, end in ranges:
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    out: list[tuple[str, bool]] = []
    pos = 0
    for begin, end in merged:
        if begin > pos:
            out.append((text[pos:begin], False))
        out.append((text[begin:end], True))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], False))
    return out


@dataclass
class ThreadNode:
    comment: Any
    replies: list[ThreadNode] = field(default_factory=list)


def thread_tree(comments: Sequence[Any], key: Callable[[Any], str], parent: Callable[[Any], str | None]) -> list[ThreadNode]:
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
