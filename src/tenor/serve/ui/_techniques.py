"""The page view's persuasion techniques: the stored `techniques` object of a page (the
ArticleTechniques.to_dict() shape) cut into what the template draws: paragraphs of pieces, each
piece with the techniques that cover it, per-paragraph chips, and a legend with counts.

The cutting is analyze._view.layered_segments (the HTML report's too), not highlight_segments:
that one merges overlapping spans into one yes/no mark, and here each technique keeps its colour
where spans overlap. No HTML here; the template escapes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...analyze._view import layered_segments
from ...techniques import TECHNIQUE_DESCRIPTIONS, TECHNIQUE_LABELS, TECHNIQUES

__all__ = ["Hit", "TechniqueView", "technique_view"]

_ORDER = {name: i for i, name in enumerate(TECHNIQUES)}


@dataclass(frozen=True)
class Hit:
    technique: str
    confidence: float

    @property
    def label(self) -> str:
        return TECHNIQUE_LABELS.get(self.technique, self.technique)

    @property
    def colour(self) -> str:
        """The CSS class suffix: the technique's place in the inventory, so a technique has the
        same colour on every page; "x" (grey) for a name outside the inventory."""
        return str(_ORDER[self.technique]) if self.technique in _ORDER else "x"


@dataclass(frozen=True)
class Piece:
    text: str
    hits: tuple[Hit, ...]  # the techniques covering this piece, most confident first; () when plain

    @property
    def title(self) -> str:
        return " · ".join(f"{h.label} {h.confidence:.2f}" for h in self.hits)


@dataclass(frozen=True)
class ParagraphView:
    pieces: tuple[Piece, ...]
    chips: tuple[Hit, ...]  # the paragraph's techniques, most confident first


@dataclass(frozen=True)
class LegendEntry:
    hit: Hit  # carries the name, label and colour; its confidence is the highest of any span
    description: str
    spans: int
    paragraphs: int


@dataclass(frozen=True)
class TechniqueView:
    model_version: str
    paragraphs: tuple[ParagraphView, ...]
    legend: tuple[LegendEntry, ...]
    span_count: int
    labelled_paragraphs: int


def _sort_key(hit: Hit) -> tuple[float, int, str]:
    return (-hit.confidence, _ORDER.get(hit.technique, len(_ORDER)), hit.technique)


def _pieces(
    text: str, begin: int, end: int, spans: Sequence[Mapping[str, Any]], hits: Sequence[Hit]
) -> tuple[Piece, ...]:
    """text[begin:end] cut at every span edge inside it; each piece lists the techniques over it
    (one per technique: two spans of one technique over a piece show the more confident)."""
    out: list[Piece] = []
    for piece, covering, _ in layered_segments(text, spans, begin, end):
        best: dict[str, Hit] = {}
        for h in (hits[i] for i in covering):
            if h.technique not in best or h.confidence > best[h.technique].confidence:
                best[h.technique] = h
        over = tuple(sorted(best.values(), key=_sort_key))
        if out and out[-1].hits == over:  # touching spans of one technique read as one mark
            out[-1] = Piece(out[-1].text + piece, over)
        elif piece:
            out.append(Piece(piece, over))
    return tuple(out)


def _hits(items: Any) -> tuple[Hit, ...]:
    return tuple(
        sorted(
            (Hit(str(t["technique"]), float(t["confidence"])) for t in items or () if isinstance(t, Mapping)),
            key=_sort_key,
        )
    )


def technique_view(text: str, stored: Mapping[str, Any] | None) -> TechniqueView | None:
    """What the page template draws; None for a page stored without techniques. Offsets that do
    not fit the text (a row edited by hand) are left out rather than drawn wrong."""
    if stored is None:
        return None
    spans = [
        s for s in stored.get("spans") or ()
        if isinstance(s.get("begin"), int) and isinstance(s.get("end"), int) and 0 <= s["begin"] < s["end"] <= len(text)
    ]  # fmt: skip
    hits = [Hit(str(s["technique"]), float(s["confidence"])) for s in spans]
    stored_paragraphs = [
        p for p in stored.get("paragraphs") or ()
        if isinstance(p.get("begin"), int) and isinstance(p.get("end"), int) and 0 <= p["begin"] <= p["end"] <= len(text)
    ]  # fmt: skip
    if not stored_paragraphs and text:
        stored_paragraphs = [{"begin": 0, "end": len(text), "techniques": []}]  # the spans still show
    paragraphs = tuple(
        ParagraphView(_pieces(text, p["begin"], p["end"], spans, hits), _hits(p.get("techniques")))
        for p in stored_paragraphs
        if text[p["begin"] : p["end"]].strip()
    )
    span_counts = Counter(h.technique for h in hits)
    paragraph_counts = Counter(h.technique for p in paragraphs for h in p.chips)
    strongest: dict[str, Hit] = {}
    for hit in hits + [h for p in paragraphs for h in p.chips]:
        if hit.technique not in strongest or hit.confidence > strongest[hit.technique].confidence:
            strongest[hit.technique] = hit
    legend = tuple(
        LegendEntry(hit, TECHNIQUE_DESCRIPTIONS.get(name, ""), span_counts[name], paragraph_counts[name])
        for name, hit in sorted(
            strongest.items(), key=lambda item: (_ORDER.get(item[0], len(_ORDER)), item[0])
        )
    )
    return TechniqueView(
        str(stored.get("model_version") or "unknown"),
        paragraphs,
        legend,
        len(spans),
        sum(1 for p in paragraphs if p.chips),
    )
