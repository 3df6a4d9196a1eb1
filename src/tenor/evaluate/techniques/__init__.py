"""The technique model (tenor.techniques) on the SemEval-2023 Task 3 English dev split: the
"techniques" entry of eval.json, its gate floors and its section of docs/evaluation.md.

    run      reading the dev split, asking the model, the official measures
    report   its section of docs/evaluation.md
"""

from __future__ import annotations

from .report import section, techniques_section
from .run import (
    DESCRIPTION,
    FLOORS,
    SET_NAME,
    evaluate_techniques,
    files_read,
    find_root,
    load_model,
    measure,
    missing_reason,
    run_techniques,
)  # fmt: skip

__all__ = [
    "DESCRIPTION", "FLOORS", "SET_NAME", "evaluate_techniques", "files_read", "find_root", "load_model", "measure",
    "missing_reason", "run_techniques", "section", "techniques_section",
]  # fmt: skip
