"""`tenor train`: the comment model (kind "ngram", tenor.engines.ngram) from the labelled data in
../shared/data*, cross-validated, then fitted on everything and written as a checksummed folder.

Deterministic: the same data and seed give a byte-identical artifact (single-threaded BLAS, fixed
fold seeds, no timestamps).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from ..._calibration import sigmoid
from ..._errors import TrainingDataError
from ..._features import Featurizer
from ...engines.ngram import FORMAT
from ..artifact import write_artifact
from ..calibration import best_threshold, platt
from ..data import heldout_texts, remove_test_overlap
from ..features import build_vocabulary, featurize
from .card import model_card
from .data import HEADS, load_span_posts, load_training
from .fit import (
    HeadConfig,
    fit_heads,
    folds,
    identity_columns,
    oof_report,
    out_of_fold_logits,
)
from .spans import choose_span_threshold, fit_span_head, token_matrix

__all__ = ["QUICK", "SETTINGS", "run"]

SETTINGS: dict[str, Any] = {
    "min_df": 3,
    "max_features": 500_000,
    "C": 8.0,
    "span_C": 1.0,
    "folds": 5,
}
QUICK = {**SETTINGS, "min_df": 1, "folds": 2}


@threadpool_limits.wrap(
    limits=1
)  # one BLAS thread: summation order, hence every bit of the weights, is fixed
def run(
    data_dirs: list[Path],
    out_dir: Path,
    *,
    version: str,
    seed: int = 0,
    quick: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """Train the comment model from the datasets found under `data_dirs` and write it to `out_dir`."""
    settings = QUICK if quick else SETTINGS
    dirs = [Path(d) for d in data_dirs]
    df = load_training(dirs)
    log(
        f"loaded {len(df)} training texts: "
        + ", ".join(f"{k} {v}" for k, v in df["source"].value_counts().sort_index().items())
    )
    tests = heldout_texts(dirs)
    log(
        f"removing texts that also appear in {len(tests)} test files (after normalising case, spaces, punctuation):"
    )
    keep = remove_test_overlap(df["text"].tolist(), tests, log)
    removed = df[~keep]["source"].value_counts().sort_index().to_dict()
    df = df[keep].reset_index(drop=True)
    log(f"  removed per training set: {removed or 'none'}")

    texts = df["text"].tolist()
    vocabulary, idf = build_vocabulary(
        texts, min_df=settings["min_df"], max_features=settings["max_features"]
    )
    featurizer = Featurizer(vocabulary, idf)
    log(f"vocabulary: {len(vocabulary)} hashed word, character and bigram features")
    X = featurize(featurizer, texts)
    identity_cols = identity_columns(featurizer, texts)
    log(f"  of which {len(identity_cols)} identity features, seen by IDENTITY_ATTACK only")
    config = HeadConfig(C=settings["C"])
    weights = df["weight"].to_numpy()

    fold = folds(df, settings["folds"], seed)
    log(f"{settings['folds']}-fold cross-validation on train ...")
    oof = out_of_fold_logits(X, df, fold, config, identity_cols)
    # calibrate on Jigsaw rows (re-weighted to the original prevalence): that population is the
    # closest to comments under articles and is the only one labelled on all six heads
    jig = (df["source"] == "jigsaw2018").to_numpy()
    if not jig.any():
        raise TrainingDataError("Calibration needs the Jigsaw 2018 train rows; none were found.")
    calibration = {}
    for h, head in enumerate(HEADS):
        y = df[head].to_numpy()[jig]
        calibration[head] = platt(oof[jig, h], y, weights[jig])
    probs = np.column_stack(
        [sigmoid(calibration[h][0] * oof[:, i] + calibration[h][1]) for i, h in enumerate(HEADS)]
    )
    thresholds = {}
    for h, head in enumerate(HEADS):
        y = df[head].to_numpy()
        known = ~np.isnan(y)
        thresholds[head] = best_threshold(
            probs[known, h], y[known], weights[known], df["source"].to_numpy()[known]
        )
    report = oof_report(df, probs, thresholds)
    for source, heads in report.items():
        log(f"  {source}: " + ", ".join(f"{h} auc {m['roc_auc']:.4f}" for h, m in heads.items()))

    log("fitting the final heads on all training data ...")
    coef, intercept = fit_heads(X, df, weights, config, identity_cols)
    coef16 = coef.astype(np.float16)

    span_report: dict[str, Any] = {}
    span_arrays: dict[str, np.ndarray] = {
        "span_coef": np.zeros((featurizer.n_features, 1), dtype=np.float16),
        "span_dense_coef": np.zeros((2 * len(HEADS) + 3, 1), dtype=np.float32),
        "span_intercept": np.zeros(1, dtype=np.float32),
    }
    span_threshold = 0.5
    posts = load_span_posts(dirs)
    if posts is not None:
        post_keep = remove_test_overlap(posts["text"].tolist(), tests, lambda _: None)
        posts = posts[post_keep].reset_index(drop=True)
        log(f"span model: {len(posts)} SemEval-2021 toxic-spans posts (train + trial)")
        Xs, ys, post_of_row, docs = token_matrix(featurizer, coef16.astype(np.float64), intercept, posts)
        span_threshold, cv_f1 = choose_span_threshold(
            Xs,
            ys,
            post_of_row,
            docs,
            list(posts["offsets"]),
            C=settings["span_C"],
            seed=seed,
            k=min(3, settings["folds"]),
        )
        log(f"  span threshold {span_threshold:.2f}: out-of-fold span F1 {cv_f1:.4f}")
        head = fit_span_head(Xs, ys, settings["span_C"])
        w = head.coef_[0]
        span_arrays = {
            "span_coef": w[: featurizer.n_features].reshape(-1, 1).astype(np.float16),
            "span_dense_coef": w[featurizer.n_features :].reshape(-1, 1).astype(np.float32),
            "span_intercept": head.intercept_.astype(np.float32),
        }
        span_report = {
            "posts": len(posts),
            "tokens": len(ys),
            "toxic_tokens": int(ys.sum()),
            "cv_span_f1": round(cv_f1, 4),
        }

    manifest = {
        "format": FORMAT,
        "name": "tenor-en",
        "version": version,
        "languages": ["en"],
        "attributes": list(HEADS),
        "unsupported": {
            "SEXUALLY_EXPLICIT": "no labelled data tenor may train on (SafeCity's owners ask for permission first)"
        },
        "calibration": {h: [round(a, 8), round(b, 8)] for h, (a, b) in calibration.items()},
        "thresholds": thresholds,
        "spans": {"attributes": ["TOXICITY"], "thresholds": {"TOXICITY": span_threshold}},
        "training": {
            "seed": seed,
            "settings": settings,
            "rows": {k: int(v) for k, v in df["source"].value_counts().sort_index().items()},
            "removed_test_overlap": {k: int(v) for k, v in removed.items()},
            "vocabulary": len(vocabulary),
        },
        "cross_validation": {"out_of_fold": report, "spans": span_report},
        "notice": "Research use: see MODEL_CARD.md for the data and its terms.",
    }
    arrays: dict[str, np.ndarray] = {
        "vocabulary": vocabulary,
        "idf": idf.astype(np.float16),
        "coef": coef16,
        "intercept": intercept.astype(np.float32),
        **span_arrays,
    }
    out_dir = Path(out_dir)
    write_artifact(out_dir, manifest, arrays, model_card(manifest))
    log(f"wrote {out_dir}")
    return out_dir
