"""Training the comment model (kind "ngram", read by tenor.engines.ngram): hashed word, character
and bigram TF-IDF, one logistic head per attribute, Platt calibration, a token-level span head.

    data    the labelled datasets, each mapped onto tenor's attributes (NaN: says nothing)
    fit     heads, folds, out-of-fold logits, thresholds, the out-of-fold report
    spans   the span head (SemEval-2021 toxic spans)
    card    MODEL_CARD.md from the manifest
    run     `tenor train`: the whole pipeline, written as a checksummed model folder
"""

from __future__ import annotations

from .run import QUICK, SETTINGS, run

__all__ = ["QUICK", "SETTINGS", "run"]
