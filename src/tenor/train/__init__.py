"""`tenor train`: one package per model kind, each rebuilding its shipped model from the labelled
data in ../shared/data*, and the registry `tenor train` dispatches on.

    tenor.train.ngram          the comment model (tenor.engines.ngram)           tenor train
    tenor.train.techniques     the persuasion-technique model (tenor.techniques)  tenor train --techniques
    tenor.train.multilingual   the multilingual model (tenor.engines.multilingual) tenor train --multilingual
    tenor.train.transformer    the fine-tuned MiniLM (tenor.engines.transformer)    tenor train --transformer

Each package has the same shape (data, fit, card, run) and exports `run(data_dirs, out_dir, *,
version, quick=False, log=print, **options)`, which writes a checksummed model folder. Shared by
all: artifact (writing the folder byte for byte), calibration (the one Platt fit), data (finding
staged files; the test texts training must not see), features (hashed TF-IDF matrices).

The training packages need the `train` extra (scikit-learn, scipy, pandas); this module does not,
so the registry reads without it. Deterministic: the same data and seed give a byte-identical
artifact (single-threaded BLAS, fixed fold seeds, no timestamps). Nothing in tenor.train imports
tenor.evaluate, nor the reverse: what both need (the measures, the technique corpus reader) lives
in tenor.metrics and tenor.datasets.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .._artifact import NGRAM_KIND
from ..engines.multilingual import DEFAULT_MULTILINGUAL_MODEL
from ..engines.multilingual import KIND as MULTILINGUAL_KIND
from ..engines.ngram import DEFAULT_MODEL
from ..engines.transformer import DEFAULT_TRANSFORMER_MODEL
from ..engines.transformer import KIND as TRANSFORMER_KIND
from ..techniques import DEFAULT_TECHNIQUE_MODEL

__all__ = ["TRAINERS", "Runner", "Trainer"]

Runner = Callable[
    ..., Path
]  # run(data_dirs, out_dir, *, version, quick=False, log=print, **options) -> out_dir


@dataclass(frozen=True)
class Trainer:
    """How to train one model kind."""

    kind: str  # the manifest kind of the folder it writes
    package: str  # tenor.train.<package>, whose `run` trains it
    default_version: str  # the shipped version: the name a retrain gets unless told otherwise
    extras: tuple[str, ...]  # the pip extras its run needs
    options: tuple[str, ...] = ()  # keyword options its run takes beyond version, quick and log

    def load(self) -> Runner:
        """The package's `run`, imported now: a ModuleNotFoundError names the missing package of
        an extra (scikit-learn, ...)."""
        runner: Runner = importlib.import_module(f"{__name__}.{self.package}").run
        return runner


TRAINERS: dict[str, Trainer] = {
    trainer.kind: trainer
    for trainer in (
        Trainer(NGRAM_KIND, "ngram", DEFAULT_MODEL, ("train",), options=("seed",)),
        Trainer("techniques", "techniques", DEFAULT_TECHNIQUE_MODEL, ("train",)),
        Trainer(
            MULTILINGUAL_KIND,
            "multilingual",
            DEFAULT_MULTILINGUAL_MODEL,
            ("train", "multilingual"),
            options=("cache",),
        ),
        Trainer(
            TRANSFORMER_KIND,
            "transformer",
            DEFAULT_TRANSFORMER_MODEL,
            ("train",),
            options=("seed", "terms", "work"),
        ),
    )
}
