"""`tenor eval`: every held-out set, tenor beside the runnable peers, and each registered model on
its own set; the CI quality gate.

    ngram         the comment model on the held-out toxicity sets, beside the peers (every run)
    techniques    the technique model on the SemEval-2023 English dev split
    multilingual  the multilingual model on the Jigsaw multilingual 2020 test rows
    EVALUATIONS   the registry of the models measured on a set of their own (techniques,
                  multilingual), which run_eval, run_gate, remeasure, the gate and the report use
    shared        metrics, sets (the held-out toxicity sets), gate, report, peers

Needs the `eval` extra (scikit-learn, scipy, pandas). product.md §5 is the protocol; nothing here
reads a training file or feeds anything back into training, and nothing here imports tenor.train
(the measures both use live in tenor.metrics, the technique corpus reader in tenor.datasets).
"""

from ._api import (
    FloorsLoweredError,
    remeasure,
    remeasure_speed,
    run_eval,
    run_gate,
    write_results,
)  # fmt: skip
from ._registry import EVALUATIONS, ModelEvaluation
from .gate import FLOOR_KEYS, check_history, violations
from .multilingual import evaluate_multilingual
from .techniques import evaluate_techniques

__all__ = [
    "EVALUATIONS", "FLOOR_KEYS", "FloorsLoweredError", "ModelEvaluation", "check_history", "evaluate_multilingual",
    "evaluate_techniques", "remeasure", "remeasure_speed", "run_eval",
    "run_gate", "violations", "write_results",
]  # fmt: skip
