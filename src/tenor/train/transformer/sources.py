"""Every training source of the transformer engine, in merge-priority order, and the terms filter.

The readers live in sources_comments.py (Jigsaw, toxic spans, OLID, AbuseEval, Davidson,
Stormfront), sources_hate.py (Implicit Hate Corpus, ToxiGen annotated + seeds, HatEval, ISHate)
and sources_typed.py (Gab Hate Corpus, EDOS, HatemojiBuild); importing them registers them.

Never sources: anything under a test/ or dev/ folder, SBIC and DynaHate R1-4 (dev/test only),
ETHOS (GPL: evaluation only), Ruddit (third-party scraped bodies: evaluation only), SafeCity (its
owners ask for permission first), the Conversation AI bias templates and any other functional
test suite (HateCheck-like; HatemojiCheck was never staged), and the non-English data5 sets.
"""

from __future__ import annotations

from . import sources_comments, sources_hate, sources_typed  # noqa: F401  (registers the readers)
from .schema import SOURCES, TERMS_CLASSES, Source

__all__ = ["SOURCES", "TERMS", "select"]

# `terms` argument -> the terms classes it admits. "all" = the default model (research-only,
# non-commercial and unclear-terms sets train it, with the notice in the model card);
# "permissive" = only sets whose terms allow commercial use (docs/product.md section 4).
TERMS: dict[str, tuple[str, ...]] = {"all": TERMS_CLASSES, "permissive": ("permissive",)}


def select(terms: str = "all", names: list[str] | tuple[str, ...] | None = None) -> list[Source]:
    """The registered sources admitted by `terms` (and named in `names`, when given), in order."""
    if terms not in TERMS:
        raise ValueError(f"terms must be one of {sorted(TERMS)}, not {terms!r}")
    unknown = set(names or ()) - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown sources: {sorted(unknown)}; known: {list(SOURCES)}")
    return [s for s in SOURCES.values() if s.terms in TERMS[terms] and (names is None or s.name in names)]
