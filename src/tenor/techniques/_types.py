"""What the technique model finds in an article: spans and paragraph labels, JSON-ready."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ArticleTechniques", "ParagraphTechniques", "TechniqueFinder", "TechniqueSpan"]


@dataclass(frozen=True)
class TechniqueSpan:
    begin: int  # code-point offsets into the article text, end exclusive
    end: int
    technique: str  # a name from TECHNIQUES
    confidence: float  # the model's probability that the technique is used here, 0..1 (6 decimals)


@dataclass(frozen=True)
class ParagraphTechniques:
    begin: int  # the paragraph's code-point offsets in the article text
    end: int
    techniques: tuple[
        tuple[str, float], ...
    ]  # (technique, confidence) at or over threshold, most confident first


@dataclass(frozen=True)
class ArticleTechniques:
    model_version: str  # e.g. "techniques-en-2026.11.0"
    spans: tuple[TechniqueSpan, ...]  # sorted by (begin, end, technique)
    paragraphs: tuple[ParagraphTechniques, ...]  # every paragraph of the article, in order, labelled or not

    def to_dict(self) -> dict[str, object]:
        return {
            "model_version": self.model_version,
            "spans": [
                {"begin": s.begin, "end": s.end, "technique": s.technique, "confidence": s.confidence}
                for s in self.spans
            ],
            "paragraphs": [
                {
                    "begin": p.begin,
                    "end": p.end,
                    "techniques": [{"technique": t, "confidence": c} for t, c in p.techniques],
                }
                for p in self.paragraphs
            ],
        }


class TechniqueFinder(Protocol):
    """What analyze_page, the service and the UI need of a technique model (TechniqueModel, or a fake)."""

    @property
    def version(self) -> str: ...

    def find(
        self,
        text: str,
        paragraphs: Sequence[tuple[int, int]] | None = None,
        languages: Sequence[str] | None = None,
    ) -> ArticleTechniques: ...
