"""What every training source of the transformer engine produces, and the registry of sources.

A source reader turns one staged dataset into `Rows`: texts, a float32 target matrix with one
column per attribute in `ATTRIBUTES`, and base row weights. A target is a value in [0, 1]
(1 = the attribute is present; fractions are shares of raters) or NaN, the MASK: the dataset
says nothing about that attribute for that row, so the row is left out of that head's loss.
It is never read as a negative.

Each reader is registered with its terms class, read from the dataset's README / LICENSE:
  permissive     the licence allows commercial use (CC0, CC BY, CC BY-SA, MIT)
  research       released "for research purposes only", whatever the formal licence says
  noncommercial  a non-commercial licence (CC BY-NC*)
  unclear        no licence stated, unverified, or sources with mixed / unknown terms
`tenor train --data-terms permissive` keeps only the first class (docs/product.md section 4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..._attributes import CALL_FOR_VIOLENCE, DEHUMANIZATION, PERSPECTIVE_ATTRIBUTES, TENOR_ATTRIBUTES

__all__ = [
    "ATTRIBUTES",
    "CALL_FOR_VIOLENCE",
    "DEHUMANIZATION",
    "SOURCES",
    "TERMS_CLASSES",
    "Labels",
    "Rows",
    "Source",
    "find",
    "register",
]

# The heads, in a fixed order: the target matrix's columns.
ATTRIBUTES: tuple[str, ...] = (*PERSPECTIVE_ATTRIBUTES[:6], *TENOR_ATTRIBUTES)
INDEX = {name: i for i, name in enumerate(ATTRIBUTES)}

TERMS_CLASSES = ("permissive", "research", "noncommercial", "unclear")


def find(dirs: Iterable[Path], relative: str) -> Path | None:
    """The first of `dirs` that holds `relative`, joined; None when none does."""
    for d in dirs:
        if (Path(d) / relative).exists():
            return Path(d) / relative
    return None


class Labels:
    """A target matrix under construction: every cell starts masked (NaN)."""

    def __init__(self, n: int) -> None:
        self.values = np.full((n, len(ATTRIBUTES)), np.nan, dtype=np.float32)

    def set(self, attribute: str, value: float | np.ndarray, where: np.ndarray | None = None) -> None:
        """Set `attribute` to `value` (a scalar or one value per row) on the rows in `where`
        (a boolean mask; all rows when None)."""
        n = len(self.values)
        full = np.broadcast_to(np.asarray(value, dtype=np.float32), (n,))
        rows = np.ones(n, dtype=bool) if where is None else np.asarray(where, dtype=bool)
        self.values[rows, INDEX[attribute]] = full[rows]


@dataclass(frozen=True)
class Rows:
    """One source's training rows, before overlap removal and merging."""

    texts: list[str]
    targets: np.ndarray  # float32 (n, len(ATTRIBUTES)); NaN = masked
    weights: np.ndarray  # float32 (n,): base row weights (1 unless the source re-weights)
    notes: dict[str, int] = field(default_factory=dict)  # reader-specific counts for the report

    def __post_init__(self) -> None:
        n = len(self.texts)
        if self.targets.shape != (n, len(ATTRIBUTES)) or self.weights.shape != (n,):
            raise ValueError(
                f"Rows: {n} texts but targets {self.targets.shape}, weights {self.weights.shape}"
            )

    @classmethod
    def of(
        cls,
        texts: Sequence[str],
        labels: Labels,
        weights: float | np.ndarray = 1.0,
        notes: dict[str, int] | None = None,
    ) -> Rows:
        n = len(texts)
        w = np.broadcast_to(np.asarray(weights, dtype=np.float32), (n,)).copy()
        return cls([str(t) for t in texts], labels.values, w, dict(notes or {}))


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    folder: str  # staged folder(s), relative to a data dir, for the model card
    terms: str  # one of TERMS_CLASSES
    terms_reason: str  # the licence / terms as stated, and why that class
    read: Callable[[Sequence[Path]], Rows | None]


# Registration order is the merge priority: a text found in several sources is reported under
# the first one that holds it.
SOURCES: dict[str, Source] = {}


def register(
    name: str, *, title: str, folder: str, terms: str, terms_reason: str
) -> Callable[..., Callable[[Sequence[Path]], Rows | None]]:
    if terms not in TERMS_CLASSES:
        raise ValueError(f"{name}: terms {terms!r} is not one of {TERMS_CLASSES}")

    def wrap(read: Callable[[Sequence[Path]], Rows | None]) -> Callable[[Sequence[Path]], Rows | None]:
        SOURCES[name] = Source(name, title, folder, terms, terms_reason, read)
        return read

    return wrap
