"""`tenor train --techniques`: the persuasion-technique model, cross-validated then fitted on all
of the SemEval-2023 English train split, written as a checksummed model folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ..._errors import TrainingDataError
from ...datasets.techniques import load_technique_split
from ...techniques._context import CONTEXT_FEATURES
from ...techniques._inventory import TECHNIQUES
from ...techniques._model import FORMAT, KIND
from ..artifact import write_artifact
from .card import technique_card
from .data import build_data, data_root
from .fit import TechniqueConfig, cross_validate, fit_final

__all__ = ["KIND", "QUICK", "SETTINGS", "run"]

SETTINGS = TechniqueConfig()
QUICK = TechniqueConfig(folds=2, max_features=1 << 14)


@threadpool_limits.wrap(limits=1)  # one BLAS thread: fixed summation order, byte-identical weights
def run(
    data_dirs: list[Path],
    out_dir: Path,
    *,
    version: str,
    quick: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """Train the technique model from semeval2023_task3_en/train under `data_dirs` and write it to
    `out_dir` (deterministic folds and solvers: there is no seed to vary)."""
    root = data_root([Path(d) for d in data_dirs])
    if root is None:
        raise TrainingDataError(
            "semeval2023_task3_en/train not found under the data folders: stage ../shared/data/semeval2023_task3_en "
            "(see its README) or pass --data."
        )
    config = QUICK if quick else SETTINGS
    corpus = load_technique_split(root, "train")  # the dev split is for `tenor eval` only
    if quick:
        keep = sorted(corpus.articles)[:60]
        corpus = type(corpus)(
            {a: corpus.articles[a] for a in keep},
            {k: v for k, v in corpus.paragraphs.items() if k[0] in keep},
            tuple(s for s in corpus.spans if s.article in keep),
        )
    data = build_data(corpus)
    log(
        f"techniques: {len(data.article_ids)} train articles, {len(data.paragraph_texts)} paragraphs, "
        f"{len(data.sentence_labels)} sentences, {int(data.sentence_labels.sum())} sentence-technique pairs"
    )
    log(f"{config.folds}-fold cross-validation, grouped by article ...")
    cv = cross_validate(data, config, log=log)
    log("fitting the final heads on all of train ...")
    arrays = fit_final(data, config, cv)
    arrays["coef"] = arrays["coef"].astype(np.float16)
    arrays["idf"] = arrays["idf"].astype(np.float16)
    names = list(cv.techniques)
    manifest = {
        "format": FORMAT,
        "kind": KIND,
        "name": "tenor-techniques-en",
        "version": version,
        "languages": ["en"],
        "taxonomy": "SemEval-2023 Task 3 subtask 3 (23 techniques)",
        "techniques": names,
        "thresholds": {t: round(float(v), 2) for t, v in zip(names, cv.thresholds)},
        "span_alpha": {t: float(v) for t, v in zip(names, cv.span_alpha)},
        "context_features": list(CONTEXT_FEATURES),
        "training": {
            "settings": asdict(config),
            "data": "semeval2023_task3_en/train (its dev split is never read by training)",
            "articles": len(data.article_ids),
            "paragraphs": len(data.paragraph_texts),
            "sentences": len(data.sentence_labels),
            "vocabulary": len(cv.features.featurizer.vocabulary),
            "positive_sentences": {
                t: int(n) for t, n in zip(TECHNIQUES, data.sentence_labels.sum(axis=0)) if n
            },
        },
        "cross_validation": _rounded(cv.report),
        "notice": "Research use: see MODEL_CARD.md for the data and its terms.",
    }
    out_dir = Path(out_dir)
    write_artifact(out_dir, manifest, arrays, technique_card(manifest))
    log(f"wrote {out_dir}")
    return out_dir


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value
