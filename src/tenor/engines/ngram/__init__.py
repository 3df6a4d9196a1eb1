"""The n-gram linear engine (kind "ngram"): tenor's first English model, fast on one core.

Hashed word, character and bigram TF-IDF features with a logistic head per attribute, Platt
calibration, and a token-level span head. Trained by tenor.train.ngram.
"""

from __future__ import annotations

from ._engine import COST_MS, NgramEngine, load_ngram_engine
from ._model import DEFAULT_MODEL, FORMAT, Model, load_model

__all__ = ["COST_MS", "DEFAULT_MODEL", "FORMAT", "Model", "NgramEngine", "load_model", "load_ngram_engine"]
