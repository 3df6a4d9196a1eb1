"""The comment model on the hate-speech test sets: the Gab Hate Corpus test (DEHUMANIZATION,
CALL_FOR_VIOLENCE, IDENTITY_ATTACK), EDOS test (sexism), DynaHate dev and test and HatemojiBuild
test (IDENTITY_ATTACK), each scored through a tenor.Scorer and reported per set and attribute.

    data    one loader per set (texts and 0/1 labels by tenor attribute)
    run     evaluate_hate_sets; the registry's interface (find_data, missing_reason, load_model,
            unavailable_reason, measure) for `tenor eval`
    report  markdown_table and its section of docs/evaluation.md

For measuring only: never train, tune or pick a threshold on these sets.
"""

from __future__ import annotations

from .data import LOADERS, RELATIVE, is_staged
from .report import markdown_table, section
from .run import (
    BAR,
    DESCRIPTION,
    FLOORS,
    LOG_NAME,
    SET_NAME,
    evaluate_hate_sets,
    evaluate_set,
    find_data,
    load_model,
    measure,
    meets_bar,
    missing_reason,
    score_texts,
    unavailable_reason,
)  # fmt: skip

__all__ = [
    "BAR", "DESCRIPTION", "FLOORS", "LOADERS", "LOG_NAME", "RELATIVE", "SET_NAME", "evaluate_hate_sets", "evaluate_set",
    "find_data", "is_staged", "load_model", "markdown_table", "measure", "meets_bar", "missing_reason", "score_texts",
    "section", "unavailable_reason",
]  # fmt: skip
