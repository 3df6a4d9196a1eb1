"""Issue 10: does more English data help the multilingual tier's head? Validation.csv only.

The tier's English sample grows in blocks of 8,000 rows (20 % toxic; tenor.train.multilingual.data),
so the first 8,000 of a 40,000-row sample are the shipped model's. For the first 8,000, 16,000 and
40,000 English rows: leave-one-language-out AUC (English + two of es / it / tr, the third scored
as an unseen language), English-only zero-shot AUC, and 5-fold CV AUC on validation.csv (the
shipped head: LR C=3, in-language rows x3). No test/ file is read.

    python benchmarks/experiments/multilingual_english_size.py --cache DIR
(embeds 40,000 English texts when DIR is cold: about 30 minutes on 2 cores)
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from tenor.engines.multilingual import Encoder
from tenor.train.multilingual.data import MultilingualConfig, embed_cached, load_data
from tenor.train.multilingual.fit import in_language_folds as _folds

SHARED = Path(__file__).resolve().parents[3] / "shared"
SIZES = (8000, 16000, 40000)
HELD = ("es", "it", "tr")


def head(x, y, w):
    return LogisticRegression(C=3.0, max_iter=2000).fit(x, y, sample_weight=w)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args()
    config = replace(MultilingualConfig(), n_english=max(SIZES))
    everything, keep = load_data([SHARED / "data", SHARED / "data2", SHARED / "data3"], config)
    n_en = int((~everything.in_language).sum())
    enc = Encoder()
    x = np.vstack([embed_cached(everything.texts[:n_en], enc, args.cache),
                   embed_cached(everything.texts[n_en:], enc, args.cache)]).astype(np.float64)[keep]
    data = everything.subset(keep)
    y, lang, inl = data.toxic, data.language, data.in_language
    weight = np.where(inl, 3.0, 1.0)
    with threadpool_limits(1):
        folds = _folds(data, config)
        for size in SIZES:
            english = np.flatnonzero(~inl)[:size]
            rows = np.zeros(len(y), bool)
            rows[english] = True
            rows |= inl
            lolo = []
            for held in HELD:
                train = rows & (lang != held)
                lolo.append(roc_auc_score(y[lang == held], head(x[train], y[train], weight[train]).decision_function(x[lang == held])))
            zero = head(x[english], y[english], None)
            zero_shot = [roc_auc_score(y[lang == h], zero.decision_function(x[lang == h])) for h in HELD]
            oof = np.full(len(y), np.nan)
            for k in range(config.folds):
                train, test = rows & (folds != k), folds == k
                oof[test] = head(x[train], y[train], weight[train]).decision_function(x[test])
            cv = [roc_auc_score(y[lang == h], oof[lang == h]) for h in HELD]
            print(f"{size}: unseen {np.round(lolo, 4)} (mean {np.mean(lolo):.4f}); zero-shot {np.round(zero_shot, 4)} "
                  f"(mean {np.mean(zero_shot):.4f}); 5-fold CV {np.round(cv, 4)}", flush=True)


if __name__ == "__main__":
    main()
