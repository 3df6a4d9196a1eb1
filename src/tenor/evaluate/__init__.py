"""`tenor eval`: every held-out set, tenor beside the runnable peers, the CI quality gate.

Needs the `eval` extra (scikit-learn, scipy, pandas). product.md §5 is the protocol; nothing here
reads a training file or feeds anything back into training.
"""

from ._api import FloorsLoweredError, remeasure_speed, run_eval, run_gate, write_results
from .gate import FLOOR_KEYS, check_history, violations

__all__ = ["FLOOR_KEYS", "FloorsLoweredError", "check_history", "remeasure_speed", "run_eval", "run_gate", "violations", "write_results"]
