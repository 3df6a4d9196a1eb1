"""The second, short phase of fine-tuning: identity words must not carry TOXICITY on their own.

The first phase (run.py) trains on the whole sample with one-class labels at a small weight, so
hate that holds no insult is still called toxic. Measured on en-transformer-2026.12.2's first
phase alone: "I am a gay Muslim woman." scored TOXICITY 0.86 (IDENTITY_ATTACK 0.36), "I am a
proud black man" 0.37, "My neighbours are Jewish" 0.33: tens of thousands of hate posts labelled
toxic with no benign post about the same groups beside them outweigh 756 benign statements.

This phase continues from the first one's weights on a smaller sample (a fresh draw from the same
fine-tuning rows, never the calibration fold) in which:
- one-class labels are left out (weight 0, as 2026.12.1 did for the whole run);
- every benign statement about an identity group that the ToxiGen raters scored (ToxiGen
  annotated rated benign, ToxiGen neutral seed statements) is also a TOXICITY negative: a
  statement raters judged harmless towards the group it names is not toxic either. The sources
  map only IDENTITY_ATTACK (sources_hate.py); this phase adds TOXICITY = 0 to exactly those rows;
- the rows augment.py made (benign identity statements, counter-speech, misspellings) come again.
A lower learning rate keeps what the first phase learnt (Jigsaw, the hate sets) in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .schema import ATTRIBUTES

__all__ = ["BENIGN_IDENTITY_SOURCES", "SETTLE", "settle_rows"]

SETTLE: dict[str, Any] = {
    "examples": 30_000,  # rows drawn from the fine-tuning rows (about 12 minutes on 2 idle cores)
    "lr_encoder": 2e-5,
    "lr_heads": 5e-4,
}
BENIGN_IDENTITY_SOURCES = ("toxigen_annotated", "toxigen_seeds")
_TOX = ATTRIBUTES.index("TOXICITY")
_IA = ATTRIBUTES.index("IDENTITY_ATTACK")


def settle_rows(
    source_names: Sequence[str],
    sources: np.ndarray,
    targets: np.ndarray,
    cell_weights: np.ndarray,
    train_rows: np.ndarray,
    picked: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """(rows, their targets, their per-label weights, counts) for the settling phase: the drawn
    rows `picked` plus every benign identity statement of BENIGN_IDENTITY_SOURCES among
    `train_rows`, with one-class labels at weight 0 and those statements' TOXICITY set to 0."""
    benign_source = np.isin(
        sources, [source_names.index(s) for s in BENIGN_IDENTITY_SOURCES if s in source_names]
    )
    ia = targets[:, _IA]
    benign = benign_source & ~np.isnan(ia) & (ia <= 0.25)  # ToxiGen: mean rating <= 2.5 of 5
    extra = np.setdiff1d(train_rows[benign[train_rows]], picked)
    rows = np.concatenate([picked, extra])
    out_targets = targets[rows].copy()
    newly = benign[rows] & np.isnan(out_targets[:, _TOX])
    out_targets[newly, _TOX] = 0.0
    weights = np.where(cell_weights[rows] != 1.0, 0.0, 1.0).astype(np.float32)
    weights[newly, _TOX] = 1.0
    return rows, out_targets, weights, {"drawn": len(picked), "benign_identity_added": len(extra),
                                        "toxicity_negatives_from_benign_identity": int(newly.sum())}  # fmt: skip
