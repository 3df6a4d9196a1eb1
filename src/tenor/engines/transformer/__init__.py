"""The transformer engine (kind "transformer"): a MiniLM encoder fine-tuned on tenor's labelled
data (tenor.train.transformer), with a head per attribute and a token head for the words that
carry a score, run through onnxruntime with a fast tokenizer (no torch at run time). Long texts
are scored in overlapping windows."""

from __future__ import annotations

from ._engine import COST_MS, TransformerEngine, load_transformer_engine
from ._model import DEFAULT_TRANSFORMER_MODEL, FORMAT, KIND, TransformerModel, load_transformer_model
from ._runtime import runtime_available

__all__ = [
    "COST_MS", "DEFAULT_TRANSFORMER_MODEL", "FORMAT", "KIND", "TransformerEngine", "TransformerModel",
    "load_transformer_engine", "load_transformer_model", "runtime_available",
]  # fmt: skip
