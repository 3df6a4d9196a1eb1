"""tenor's functional test suite: hand-written cases per functionality, structured after the
HateCheck taxonomy (Röttger et al. 2021) plus tenor's own news-comment functionalities, scored
through a tenor.Scorer and reported per functionality.

    run          load_suite, evaluate_functional, markdown_table; the registry's interface (find_suite,
                 missing_reason, load_model, unavailable_reason, measure, section) for `tenor eval`
    suite.jsonl  the cases: one JSON object a line (id, functionality, text, target, hateful, expect)

For measuring only: never train, tune or pick a threshold on these cases (nor on HateCheck).
"""

from __future__ import annotations

from .run import (
    ACCURACY_BAR,
    ATTRIBUTE,
    DEFAULT_THRESHOLD,
    DESCRIPTION,
    EXPECT_ATTRIBUTES,
    FLOORS,
    FUNCTIONALITIES,
    FUNCTIONALITY_BAR,
    SET_NAME,
    Case,
    evaluate_functional,
    find_suite,
    load_model,
    load_suite,
    markdown_table,
    measure,
    meets_bar,
    missing_reason,
    section,
    suite_files,
    unavailable_reason,
)  # fmt: skip

__all__ = [
    "ACCURACY_BAR", "ATTRIBUTE", "DEFAULT_THRESHOLD", "DESCRIPTION", "EXPECT_ATTRIBUTES", "FLOORS", "FUNCTIONALITIES",
    "FUNCTIONALITY_BAR", "SET_NAME", "Case", "evaluate_functional", "find_suite", "load_model", "load_suite",
    "markdown_table", "measure", "meets_bar", "missing_reason", "section", "suite_files", "unavailable_reason",
]  # fmt: skip
