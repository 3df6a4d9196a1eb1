"""tenor: a self-hosted, offline replacement for Perspective API's comment scores."""

from __future__ import annotations

from ._attributes import MAX_TEXT_BYTES, PERSPECTIVE_ATTRIBUTES
from ._errors import (
    EmptyTextError,
    InputError,
    LanguageNotSupportedError,
    ModelError,
    ModelIntegrityError,
    ModelNotFoundError,
    NoRequestedAttributesError,
    ScoreTypeNotSupportedError,
    TenorError,
    TextTooLongError,
    TrainingDataError,
    UnknownAttributeError,
)
from ._scorer import AttributeScore, Scorer, ScoreResult, Span
from .engines import DEFAULT_MODEL
from .engines.ngram import Model, load_model

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MODEL",
    "MAX_TEXT_BYTES",
    "PERSPECTIVE_ATTRIBUTES",
    "AttributeScore",
    "EmptyTextError",
    "InputError",
    "LanguageNotSupportedError",
    "Model",
    "ModelError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "NoRequestedAttributesError",
    "ScoreResult",
    "ScoreTypeNotSupportedError",
    "Scorer",
    "Span",
    "TenorError",
    "TextTooLongError",
    "TrainingDataError",
    "UnknownAttributeError",
    "__version__",
    "load_model",
]
