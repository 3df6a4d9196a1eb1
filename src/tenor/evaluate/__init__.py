"""`tenor eval`: every held-out set, tenor beside the runnable peers, the technique model on the
SemEval-2023 English dev split, the multilingual tier on the Jigsaw multilingual 2020 test rows,
the CI quality gate.

Needs the `eval` extra (scikit-learn, scipy, pandas). product.md §5 is the protocol; nothing here
reads a training file or feeds anything back into training.
"""

from ._api import (
    FloorsLoweredError, remeasure_multilingual, remeasure_speed, remeasure_techniques, run_eval, run_gate, write_results,
)  # fmt: skip
from .gate import FLOOR_KEYS, check_history, violations
from .multilingual import evaluate_multilingual
from .techniques import evaluate_techniques

__all__ = [
    "FLOOR_KEYS", "FloorsLoweredError", "check_history", "evaluate_multilingual", "evaluate_techniques",
    "remeasure_multilingual", "remeasure_speed", "remeasure_techniques", "run_eval", "run_gate", "violations", "write_results",
]  # fmt: skip
