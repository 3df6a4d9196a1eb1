"""What scoring returns: a result per text, a score per attribute, spans in code points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._errors import InputError

__all__ = ["AttributeScore", "ScoreResult", "Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the text, in Unicode code points (end exclusive), with its score."""

    begin: int
    end: int
    score: float


@dataclass(frozen=True, slots=True)
class AttributeScore:
    attribute: str
    value: float  # calibrated probability that a reader perceives the text so
    spans: tuple[Span, ...] = ()  # the words that carry it (when spans were asked for)
    sentences: tuple[Span, ...] = ()  # each sentence scored alone (when sentence_scores were asked for)


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """One text's scores, or the error that stopped it (batches never raise per item)."""

    text: str
    model_version: str
    scores: Mapping[str, AttributeScore] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    detected_languages: tuple[str, ...] = ()
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __getitem__(self, attribute: str) -> float:
        return self.scores[attribute].value
