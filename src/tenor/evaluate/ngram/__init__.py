"""The comment model (the Scorer's default engine: the n-gram English model, tenor.engines.ngram,
unless `--model` names another folder) on the held-out toxicity sets (tenor.evaluate.sets), beside
the peers: what every `tenor eval` measures.

    predictors  tenor's Scorer and the peers behind one interface; the speed measurement
    run         the metrics of every set, the peer comparisons, identity bias
    report      its tables in docs/evaluation.md
"""

from __future__ import annotations

from .predictors import PeerPredictor, Predictor, TenorPredictor, comments_per_sec_per_core
from .report import sets_section
from .run import BIAS_EVAL_TERMS, MIN_POSITIVES_TO_COMPARE, compare, evaluate, evaluate_set, identity_bias

__all__ = [
    "BIAS_EVAL_TERMS",
    "MIN_POSITIVES_TO_COMPARE",
    "PeerPredictor",
    "Predictor",
    "TenorPredictor",
    "comments_per_sec_per_core",
    "compare",
    "evaluate",
    "evaluate_set",
    "identity_bias",
    "sets_section",
]  # fmt: skip
