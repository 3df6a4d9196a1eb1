"""Comment-scoring engines behind one interface, and the registry that loads them by kind.

    from tenor.engines import load_engine
    engine = load_engine("en-2026.11.0")          # or a folder; dispatches on the manifest's kind
    engine.info.version, engine.info.attributes
    engine.score(["you are an idiot"], ["TOXICITY"], spans=True)

Engines shipped: "ngram" (tenor.engines.ngram, the fast English model), "transformer"
(tenor.engines.transformer, the fine-tuned MiniLM run by onnxruntime) and "multilingual"
(tenor.engines.multilingual, attached beside the default when the `multilingual` extra is installed).
docs/architecture.md tells how to add one.
"""

from __future__ import annotations

from .._artifact import MODEL_ALIASES, NGRAM_KIND
from ._base import Engine, EngineInfo, SpanKind
from ._registry import (
    Companion,
    as_engine,
    companions,
    engine_kinds,
    load_engine,
    register_adapter,
    register_companion,
    register_engine,
)  # fmt: skip
from .multilingual import (
    DEFAULT_MULTILINGUAL_MODEL,
    MultilingualEngine,
    MultilingualModel,
    encoder_available,
    load_multilingual_engine,
)  # fmt: skip
from .multilingual import KIND as MULTILINGUAL_KIND
from .ngram import DEFAULT_MODEL as DEFAULT_NGRAM_MODEL
from .ngram import Model, NgramEngine, load_ngram_engine
from .transformer import (
    DEFAULT_TRANSFORMER_MODEL,
    TransformerEngine,
    TransformerModel,
    load_transformer_engine,
)
from .transformer import KIND as TRANSFORMER_KIND

__all__ = [
    "DEFAULT_MODEL", "FAST_MODEL", "Companion", "Engine", "EngineInfo", "SpanKind", "as_engine", "companions", "engine_kinds",
    "load_engine", "register_adapter", "register_companion", "register_engine",
]  # fmt: skip

# The default engine's shipped version: what Scorer(), tenor score, analyze, serve and batch use
# when no --model is given: the fine-tuned transformer (issue 18), which reads meaning.
DEFAULT_MODEL = DEFAULT_TRANSFORMER_MODEL
# The `fast` engine: the n-gram model, about ten times faster on a core and word-deep.
FAST_MODEL = DEFAULT_NGRAM_MODEL
MODEL_ALIASES.update({"fast": FAST_MODEL, "transformer": DEFAULT_TRANSFORMER_MODEL, "default": DEFAULT_MODEL})

register_engine(NGRAM_KIND, load_ngram_engine)
register_engine(MULTILINGUAL_KIND, load_multilingual_engine)
register_engine(TRANSFORMER_KIND, load_transformer_engine)
register_adapter(Model, NgramEngine)
register_adapter(MultilingualModel, MultilingualEngine)
register_adapter(TransformerModel, TransformerEngine)
register_companion(
    Companion(
        kind=MULTILINGUAL_KIND,
        default_version=DEFAULT_MULTILINGUAL_MODEL,
        available=encoder_available,
        install_hint="pip install 'tenor[multilingual]'",
        runtime="encoder",
        train_command="tenor train --multilingual",
    )
)
