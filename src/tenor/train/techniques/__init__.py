"""Training the persuasion-technique model (kind "techniques", read by tenor.techniques) on the
SemEval-2023 Task 3 English train split (tenor.datasets.techniques; its dev split is never read).

    data      sentences and paragraph rows with their labels
    features  the featuriser, the sentence and paragraph matrices, the per-token rows
    fit       the two stages, their cross-validation, the final fit
    report    the span rule per technique and the out-of-fold report
    card      MODEL_CARD.md from the manifest
    run       `tenor train --techniques`: the whole pipeline, written as a checksummed model folder
"""

from __future__ import annotations

from .run import KIND, QUICK, SETTINGS, run

__all__ = ["KIND", "QUICK", "SETTINGS", "run"]
