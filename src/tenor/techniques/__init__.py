"""Persuasion techniques in an article (SemEval-2023 Task 3 taxonomy): spans and paragraph labels.

model = load_technique_model()            # the shipped model, checksums verified
found = model.find(text, paragraphs=None)  # ArticleTechniques; paragraphs: (begin, end) pairs
"""

from __future__ import annotations

from ._inventory import TECHNIQUE_DESCRIPTIONS, TECHNIQUE_LABELS, TECHNIQUES
from ._model import DEFAULT_TECHNIQUE_MODEL, TechniqueModel, load_technique_model
from ._types import ArticleTechniques, ParagraphTechniques, TechniqueFinder, TechniqueSpan

__all__ = [
    "DEFAULT_TECHNIQUE_MODEL", "TECHNIQUES", "TECHNIQUE_DESCRIPTIONS", "TECHNIQUE_LABELS", "ArticleTechniques",
    "ParagraphTechniques", "TechniqueFinder", "TechniqueModel", "TechniqueSpan", "load_technique_model",
]  # fmt: skip
