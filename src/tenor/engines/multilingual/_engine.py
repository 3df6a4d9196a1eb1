"""The multilingual model as an Engine (kind "multilingual")."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from ..._results import AttributeScore
from .._base import EngineInfo
from ._encoder import Encoder
from ._model import MultilingualModel, load_multilingual_model
from ._score import score_texts

__all__ = ["COST_MS", "MultilingualEngine", "load_multilingual_engine"]

COST_MS = 30.0  # measured: tens of milliseconds a comment on one core (benchmarks/multilingual_speed.py)
KIND = "multilingual"


class MultilingualEngine:
    """Scores text in the languages of a MultilingualModel (the encoder loads on the first text)."""

    def __init__(self, model: MultilingualModel) -> None:
        self.model = model
        self._warm = False
        self._info = EngineInfo(
            kind=KIND,
            version=model.version,
            attributes=model.attributes,
            languages=dict(model.languages),
            thresholds=dict(model.thresholds),
            span_kind="sentences",
            cost_ms=COST_MS,
            path=model.path,
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    @property
    def threads(self) -> int | None:
        return self.model.encoder.threads

    @property
    def loaded(self) -> bool:
        """Whether the encoder runs in this process (its OpenMP pool does not survive a fork)."""
        return self.model.encoder.loaded

    def warm(self) -> None:
        """Load the encoder now (once): its first text costs it a load, 0.05 s on an idle machine,
        seconds on a busy one."""
        if not self._warm:
            self.model.probabilities(["This sentence only loads the encoder before the first request."])
            self._warm = True

    def with_threads(self, threads: int | None) -> MultilingualEngine:
        """An encoder of `threads` OpenMP threads (embeddings are the same for any count)."""
        if self.model.encoder.threads == threads:
            return self
        encoder = Encoder(threads, expected_version=self.model.encoder.expected_version)
        return MultilingualEngine(dataclasses.replace(self.model, encoder=encoder))

    def score(
        self, texts: Sequence[str], attributes: Sequence[str], *, spans: bool = False, sentences: bool = False
    ) -> list[dict[str, AttributeScore]]:
        return score_texts(self.model, texts, attributes, with_spans=spans, with_sentences=sentences)


def load_multilingual_engine(
    name_or_path: str | Path | None = None, *, threads: int | None = None
) -> MultilingualEngine:
    """The engine of a multilingual model folder or shipped version (default: the shipped one)."""
    return MultilingualEngine(load_multilingual_model(name_or_path, threads=threads))
