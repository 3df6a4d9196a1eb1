"""The multilingual model (tenor.engines.multilingual) on the Jigsaw multilingual 2020 test rows:
the "multilingual" entry of eval.json, its per-language gate floors and its section of
docs/evaluation.md.

    run      reading the rows, scoring each language through tenor.Scorer, the measures, routing
    report   its section of docs/evaluation.md
"""

from __future__ import annotations

from .report import multilingual_section, section
from .run import (
    ATTRIBUTE,
    BAR,
    DESCRIPTION,
    FLOORS,
    LANGUAGES,
    LOG_NAME,
    RELATIVE,
    SET_NAME,
    evaluate_multilingual,
    find_file,
    load_model,
    load_rows,
    measure,
    missing_reason,
    routing,
    run_multilingual,
    score_rows,
    tier_of,
    unavailable_reason,
)  # fmt: skip

__all__ = [
    "ATTRIBUTE", "BAR", "DESCRIPTION", "FLOORS", "LANGUAGES", "LOG_NAME", "RELATIVE", "SET_NAME", "evaluate_multilingual",
    "find_file", "load_model", "load_rows", "measure", "missing_reason", "multilingual_section", "routing",
    "run_multilingual", "score_rows", "section", "tier_of", "unavailable_reason",
]  # fmt: skip
