"""Train-only cross-validation of the shipped technique model's alternatives (issue 9).

    python benchmarks/experiments/techniques_model_cv.py VARIANT [VARIANT ...]

VARIANT is one or more of shipped, C=0.5, C=1, per_technique_threshold, no_paragraph_rows, nb,
comment_logits, cross_technique, no_token_max joined by "+" (e.g. C=1+no_token_max+nb: the rows of
the technique model card's "Alternatives tried" table are C=1+no_token_max[+X], no_token_max,
shipped and cross_technique). Each runs `tenor.train.techniques.fit.cross_validate`
(5 folds grouped by article, SemEval-2023 English train only; the dev split is never read) with
one change from the shipped settings, and prints one JSON line: sentence and paragraph micro-F1
and span F1 of the out-of-fold predictions. About 3-4 minutes per variant on 2 cores.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

import tenor.train.techniques.fit as T
from tenor import load_model
from tenor.techniques._context import CONTEXT_FEATURES
from tenor.datasets.techniques import load_technique_split
from tenor.train.techniques.data import TechniqueData, build_data

ROOT = Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval2023_task3_en"
CONFIG = {
    "shipped": {}, "C=0.5": {"C": 0.5}, "C=1": {"C": 1.0}, "per_technique_threshold": {"per_technique_threshold": True},
    "no_paragraph_rows": {"with_paragraph_rows": False}, "nb": {"nb": True},
}  # fmt: skip


def _extend_context(data: TechniqueData, changes: set[str]) -> None:
    """Changes that add to (or remove from) the second stage's features."""
    original = T._context
    if "comment_logits" in changes:  # the comment model's six head logits of the sentence
        model = load_model()
        rows = [model.featurizer.features(s) for s in data.sentence_texts]
        extra = np.array([d.unique_value @ model.coef[d.unique_index] + model.intercept for d in rows]) / 4.0
    column = CONTEXT_FEATURES.index("token_max")

    def context(data_: TechniqueData, logits: np.ndarray, tmax: np.ndarray, docs: list) -> np.ndarray:  # type: ignore[type-arg]
        F = original(data_, logits, tmax, docs)
        n, k = logits.shape
        if "no_token_max" in changes:
            F = F.copy()
            F[:, :, column] = 0.0
        if "comment_logits" in changes:
            F = np.concatenate([F, np.broadcast_to(extra[:, None, :], (n, k, extra.shape[1]))], axis=2)
        if "cross_technique" in changes:  # every technique's logit and word maximum, for every head
            both = np.hstack([logits, tmax]) / 4.0
            F = np.concatenate([F, np.broadcast_to(both[:, None, :], (n, k, both.shape[1]))], axis=2)
        return F

    T._context = context


def main() -> None:
    corpus = load_technique_split(ROOT, "train")
    for variant in sys.argv[1:] or ["shipped"]:
        data = build_data(corpus)
        original = T._context
        changes = set(variant.split("+"))
        _extend_context(data, changes - set(CONFIG))
        settings = {k: v for change in changes & set(CONFIG) for k, v in CONFIG[change].items()}
        config = dataclasses.replace(T.TechniqueConfig(), **settings)
        cv = T.cross_validate(data, config, log=lambda _: None)
        T._context = original
        print(json.dumps({
            "variant": variant, "sentence_micro_f1": round(cv.report["sentence"]["micro_f1"], 4),
            "paragraph_micro_f1": round(cv.report["paragraph"]["micro_f1"], 4),
            "span_f1": round(cv.report["span"]["all"]["f1"], 4), "threshold": float(cv.thresholds[0]),
        }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
