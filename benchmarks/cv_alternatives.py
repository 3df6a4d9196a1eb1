"""Cross-validated comparison of document-model alternatives on train folds (never test/).

    python benchmarks/cv_alternatives.py VARIANT [VARIANT ...]
    VARIANT: C4 | C8 | C16 | olid3 | nodav | jigonly | noclean | noclean_jigonly
             (all on Jigsaw + OLID + Davidson + Stormfront; nodav is the shipped data: Davidson
             left out; noclean* also drop the 4,484 lower-cased, punctuation-stripped Jigsaw rows)

Jigsaw AUCs are computed on the original-text Jigsaw rows only (since 2026-11-25): the test rows
are all original text, and the cleaned rows carry a style cue only train has.

3-fold CV with the training pipeline's own loaders, de-duplication and featuriser; prints one
JSON line per variant and appends it to benchmarks/results/cv-alternatives.jsonl. The numbers
in the model card's "Alternatives tried" table come from this script.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from threadpoolctl import threadpool_limits

from tenor._features import Featurizer
from tenor._calibration import sigmoid
from tenor.train.calibration import best_threshold, platt
from tenor.train.data import heldout_texts, remove_test_overlap
from tenor.train.features import build_vocabulary, featurize
from tenor.train.ngram import SETTINGS
from tenor.train.ngram.data import ALL_LOADERS, HEADS, prevalence_weights, load_training
from tenor.train.ngram.fit import HeadConfig, folds, identity_columns, out_of_fold_logits

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
OUT = Path(__file__).parent / "results" / "cv-alternatives.jsonl"


def jigsaw_weights(df):
    """Re-weight the Jigsaw rows that are left to the original prevalence (as load_jigsaw does)."""
    w = df["weight"].to_numpy().copy()
    jig = (df["source"] == "jigsaw2018").to_numpy()
    w[jig] = prevalence_weights(df["TOXICITY"].to_numpy()[jig])
    return w


def main(variants: list[str]) -> None:
    dirs = [SHARED / d for d in ("data", "data2", "data3")]
    base = load_training(dirs, ALL_LOADERS)
    base = base[remove_test_overlap(base["text"].tolist(), heldout_texts(dirs), lambda _: None)].reset_index(drop=True)
    vocabulary, idf = build_vocabulary(base["text"].tolist(), min_df=SETTINGS["min_df"], max_features=SETTINGS["max_features"])
    X_all = featurize(Featurizer(vocabulary, idf), base["text"].tolist())
    identity_cols = identity_columns(Featurizer(vocabulary, idf), base["text"].tolist())
    for variant in variants:
        df, X, C = base.copy(), X_all, SETTINGS["C"]
        if variant.startswith("C"):
            C = float(variant[1:])
        elif variant == "olid3":
            df.loc[df["source"] == "olid", "weight"] = 3.0
        elif variant in ("nodav", "jigonly", "noclean", "noclean_jigonly"):
            keep = df["source"] != "davidson"
            if variant.endswith("jigonly"):
                keep &= df["source"] == "jigsaw2018"
            if variant.startswith("noclean"):
                keep &= ~df["cleaned"]
            df, X = df[keep.to_numpy()].reset_index(drop=True), X[keep.to_numpy()]
            if variant.startswith("noclean"):
                df["weight"] = jigsaw_weights(df)
        start = time.time()
        with threadpool_limits(limits=1):
            oof = out_of_fold_logits(X, df, folds(df, 3, 0), HeadConfig(C=C), identity_cols)
        # scored on original-text Jigsaw rows only: the test rows are all original text, and the
        # lower-cased, punctuation-stripped copies carry a style cue that only train has
        jig = ((df["source"] == "jigsaw2018") & ~df["cleaned"]).to_numpy()
        w = df["weight"].to_numpy()
        aucs = {h: round(float(roc_auc_score(df[h].to_numpy()[jig], oof[jig, i])), 4) for i, h in enumerate(HEADS)}
        row = {"variant": variant, "secs": round(time.time() - start), "jigsaw_auc": aucs, "jigsaw_mean": round(float(np.mean(list(aucs.values()))), 4)}
        a, b = platt(oof[jig, 0], df["TOXICITY"].to_numpy()[jig], w[jig])
        p, y = sigmoid(a * oof[:, 0] + b), df["TOXICITY"].to_numpy()
        known = ~np.isnan(y)
        t = best_threshold(p[known], y[known], w[known])
        olid = (df["source"] == "olid").to_numpy()
        if olid.any():
            row["olid_auc"] = round(float(roc_auc_score(y[olid], p[olid])), 4)
            row["olid_macro_f1_at_threshold"] = round(float(f1_score(y[olid], p[olid] >= t, average="macro")), 4)
        print(json.dumps(row), flush=True)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        with OUT.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:] or ["C8"])
