"""What every comment-scoring model offers tenor: the Engine interface and its read-only info.

An engine scores a batch of texts on some attributes and says what it is (kind, version), what
it scores (attributes x languages), where its operating thresholds are, what its spans mean and
roughly what a text costs. tenor.Scorer routes each text to one engine by language and attribute
and assembles the results; it holds no model math. Adding a model is a package with a class that
satisfies Engine and a loader registered for its manifest kind (tenor.engines.register_engine).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from .._results import AttributeScore

__all__ = ["Engine", "EngineInfo", "SpanKind"]

# "words": spans are the words that carry a score; "sentences": spans are the sentences whose own
# score is at or over the threshold (an engine with no word-level attribution)
SpanKind = Literal["words", "sentences"]


@dataclass(frozen=True)
class EngineInfo:
    """What an engine is and scores; fixed for the life of the engine."""

    kind: str  # the manifest kind its loader is registered under
    version: str  # returned with every score it makes
    attributes: tuple[str, ...]
    languages: Mapping[str, tuple[str, ...]]  # attribute -> the languages it is scored in
    thresholds: Mapping[str, float]  # attribute -> operating threshold (a probability)
    span_kind: SpanKind
    cost_ms: float  # rough milliseconds per comment on one core; slow engines run off the event loop
    path: Path | None = None  # the model folder it was loaded from, if any
    unsupported: Mapping[str, str] = field(default_factory=dict)  # attribute it declines -> why (may be '')
    # the attributes scored when a request names none (None: all); the others only when asked for,
    # so Perspective clients see Perspective's attributes
    default_attributes: tuple[str, ...] | None = None
    # whether score() may run on several threads at once, each call on a core of its own (one
    # onnxruntime session: run() is thread-safe and releases the GIL); `tenor serve` then scores
    # that many requests side by side instead of one at a time
    concurrent_calls: bool = False

    @property
    def defaults(self) -> tuple[str, ...]:
        """The attributes scored when a request names none."""
        return self.attributes if self.default_attributes is None else self.default_attributes

    @property
    def all_languages(self) -> tuple[str, ...]:
        """Every language some attribute supports, in first-seen order."""
        seen: dict[str, None] = {}
        for attribute in self.attributes:
            seen.update(dict.fromkeys(self.languages.get(attribute, ())))
        return tuple(seen)

    def supports(self, attribute: str, language: str) -> bool:
        """Whether `attribute` is scored in `language` (a primary subtag such as 'en')."""
        return language in self.languages.get(attribute, ())


@runtime_checkable
class Engine(Protocol):
    """A comment-scoring model behind one interface."""

    @property
    def info(self) -> EngineInfo: ...

    @property
    def threads(self) -> int | None:
        """The threads one call may use (None: the engine's default, often every core)."""
        ...

    def score(
        self, texts: Sequence[str], attributes: Sequence[str], *, spans: bool = False, sentences: bool = False
    ) -> list[dict[str, AttributeScore]]:
        """For each text (already checked: non-empty, within the size limit), a score per
        attribute of `attributes` (a subset of info.attributes, in that order). `spans`: what
        carries each score (info.span_kind); `sentences`: every sentence scored on its own.
        Raises ModelError when the engine cannot score at all (a missing runtime package)."""
        ...

    def warm(self) -> None:
        """Load whatever loads lazily, so the first real text pays nothing; raises ModelError
        when the engine cannot score."""
        ...

    def with_threads(self, threads: int | None) -> Engine:
        """The same model limited to `threads` (scores are identical for any thread count)."""
        ...
