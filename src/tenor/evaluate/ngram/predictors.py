"""What `tenor eval` scores the toxicity sets with: tenor's own Scorer (its default engine, the
comment model), or a peer (tenor.evaluate.peers), behind one small interface so every set is
measured the same way for each of them."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from ..._results import ScoreResult
from ..._scorer import Scorer

__all__ = ["PeerPredictor", "Predictor", "TenorPredictor", "comments_per_sec_per_core"]


class Predictor(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def attributes(self) -> tuple[str, ...]: ...

    @property
    def thresholds(self) -> dict[str, float]: ...

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]: ...


@dataclass
class TenorPredictor:
    scorer: Scorer

    @property
    def name(self) -> str:
        return "tenor"

    @property
    def version(self) -> str:
        return self.scorer.model_version

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(self.scorer.default_engine.info.defaults)  # what a request naming none gets

    @property
    def thresholds(self) -> dict[str, float]:
        return self.scorer.thresholds  # the default engine's

    def _score(self, texts: list[str], spans: bool) -> list[ScoreResult]:
        # every set is scored as English: the shipped model is English-only, and the
        # multilingual set is reported for what an English model does there
        return self.scorer.score_batch(texts, spans=spans, languages=["en"])

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        results = self._score(texts, spans=False)
        # a text the scorer refuses (over 20,480 bytes) counts as scored 0: it is not hidden
        return {a: np.array([r[a] if r.ok else 0.0 for r in results]) for a in self.attributes}

    def marks_below_threshold(self, texts: list[str]) -> dict[str, Any]:
        """Of the texts with every attribute under its operating threshold, how many still carry
        marked words (issue 19: a mark on a comment judged clean misleads; the goal is 0)."""
        thresholds = self.thresholds
        below = marked = 0
        for r in self._score(texts, spans=True):
            if not r.ok or any(s.value >= thresholds.get(a, 1.0) for a, s in r.scores.items()):
                continue
            below += 1
            marked += any(s.spans for s in r.scores.values())
        return {
            "below_every_threshold": below,
            "with_marks": marked,
            "share": round(marked / below, 4) if below else None,
        }

    def predict_spans(self, texts: list[str]) -> list[set[int]]:
        out = []
        for r in self._score(texts, spans=True):
            spans = r.scores["TOXICITY"].spans if r.ok else []
            out.append({i for s in spans for i in range(s.begin, s.end)})
        return out


@dataclass
class PeerPredictor:
    """A peer from tenor.evaluate.peers behind the Predictor interface; 0.5 is its threshold."""

    peer: Any
    name: str = field(init=False)
    version: str = field(init=False)
    attributes: tuple[str, ...] = field(init=False)
    thresholds: dict[str, float] = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.peer.spec.name
        self.version = self.peer.version
        self.attributes = tuple(self.peer.spec.attributes)
        self.thresholds = {a: 0.5 for a in self.attributes}

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        return {a: np.asarray(v, dtype=float) for a, v in self.peer.predict(texts).items()}


def comments_per_sec_per_core(scorer: Scorer, texts: list[str], repeats: int = 5) -> float:
    """All attributes and spans, one core, the best of `repeats` passes after a full warm-up pass
    (the first pass of a process fills the per-word caches and runs at about half speed). The best
    pass, not the median: on a shared virtual machine a pass only gets slower through interference,
    and the fastest one is the figure that repeats from run to run."""
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if affinity:
        os.sched_setaffinity(0, {min(affinity)})
    try:
        scorer.score_batch(texts, spans=True)
        rates = []
        for _ in range(repeats):
            start = time.perf_counter()
            scorer.score_batch(texts, spans=True)
            rates.append(len(texts) / (time.perf_counter() - start))
        return float(max(rates))
    finally:
        if affinity:
            os.sched_setaffinity(0, affinity)
