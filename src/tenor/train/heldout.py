"""One look at the held-out sets for the numbers a model card reports (issue 4 builds the full
`tenor eval` on top). Reads only ../shared/data*/**/test/ files and never feeds anything back
into training."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, roc_auc_score

from .._scorer import Scorer
from .datasets import find
from .fit import ece
from .spans import offsets, span_f1

JIGSAW_LABELS = {
    "toxic": "TOXICITY",
    "severe_toxic": "SEVERE_TOXICITY",
    "obscene": "PROFANITY",
    "threat": "THREAT",
    "insult": "INSULT",
    "identity_hate": "IDENTITY_ATTACK",
}

# The identity terms of the Dixon et al. templates, for measuring per-term bias. Kept apart
# from the model's own list (tenor._identity) on purpose: the evaluation must not depend on it.
BIAS_EVAL_TERMS = (
    "lesbian", "gay", "bisexual", "transgender", "trans", "queer", "lgbt", "lgbtq", "homosexual", "straight",
    "heterosexual", "male", "female", "nonbinary", "african american", "african", "black", "white", "european",
    "hispanic", "latino", "latina", "latinx", "mexican", "canadian", "american", "asian", "indian",
    "middle eastern", "chinese", "japanese", "christian", "muslim", "jewish", "buddhist", "catholic",
    "protestant", "sikh", "taoist", "old", "older", "young", "younger", "teenage", "millennial", "middle aged",
    "elderly", "blind", "deaf", "paralyzed",
)
_TERMS = sorted(BIAS_EVAL_TERMS, key=len, reverse=True)  # longest first: "african american" before "african"
_TERM_RE = re.compile(r"\b(" + "|".join(re.escape(t) for t in _TERMS) + r")\b")


def bootstrap_auc(y: np.ndarray, p: np.ndarray, *, n: int = 1000, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        if 0 < y[idx].sum() < len(idx):
            values.append(roc_auc_score(y[idx], p[idx]))
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def _scores(scorer: Scorer, texts: list[str], spans: bool = False) -> list[Any]:
    return scorer.score_batch(texts, spans=spans, languages=["en"])


def jigsaw(scorer: Scorer, dirs: list[Path]) -> dict[str, Any]:
    parts = [
        find(dirs, "jigsaw_toxic_2018_union/test/test_scored_with_text.csv"),
        find(dirs, "jigsaw_toxic_2018_more/test/test_scored_with_text_more.csv"),
    ]
    df = pd.concat([pd.read_csv(p) for p in parts if p is not None], ignore_index=True)
    results = _scores(scorer, df["comment_text"].astype(str).tolist())
    out: dict[str, Any] = {"n": len(df), "failed": sum(not r.ok for r in results)}
    aucs = []
    for label, attr in JIGSAW_LABELS.items():
        y = df[label].to_numpy()
        p = np.array([r[attr] if r.ok else 0.0 for r in results])
        auc = roc_auc_score(y, p)
        aucs.append(auc)
        low, high = bootstrap_auc(y, p)
        out[attr] = {
            "positives": int(y.sum()),
            "roc_auc": round(float(auc), 4),
            "ci95": [round(low, 4), round(high, 4)],
            "macro_f1": round(float(f1_score(y, p >= scorer.model.thresholds[attr], average="macro")), 4),
            "ece": round(ece(p, y.astype(float)), 4),
        }
    out["mean_roc_auc"] = round(float(np.mean(aucs)), 4)
    return out


def olid(scorer: Scorer, dirs: list[Path]) -> dict[str, Any]:
    text_path, label_path = find(dirs, "olid/test/testset-levela.tsv"), find(dirs, "olid/test/labels-levela.csv")
    texts = pd.read_csv(text_path, sep="\t", quoting=3, dtype=str)
    labels = pd.read_csv(label_path, dtype=str)
    labels.columns = [c.strip() for c in labels.columns]
    df = texts.merge(labels, on="id")
    y = (df["label"].str.strip() == "OFF").to_numpy().astype(int)
    p = np.array([r["TOXICITY"] for r in _scores(scorer, df["tweet"].tolist())])
    t = scorer.model.thresholds["TOXICITY"]
    return {
        "n": len(df),
        "positives": int(y.sum()),
        "threshold": t,
        "macro_f1": round(float(f1_score(y, p >= t, average="macro")), 4),
        "roc_auc": round(float(roc_auc_score(y, p)), 4),
    }


def toxic_spans(scorer: Scorer, dirs: list[Path]) -> dict[str, Any]:
    df = pd.read_csv(find(dirs, "toxic_spans/test/tsd_test.csv"))
    gold = [frozenset(int(x) for x in s.strip("[]").split(",") if x.strip()) for s in df["spans"]]
    results = _scores(scorer, df["text"].astype(str).tolist(), spans=True)
    f1 = [
        span_f1(offsets([(s.begin, s.end, s.score) for s in r.scores["TOXICITY"].spans]) if r.ok else set(), g)
        for r, g in zip(results, gold)
    ]
    return {"n": len(df), "span_f1": round(float(np.mean(f1)), 4)}


def identity_bias(scorer: Scorer, dirs: list[Path]) -> dict[str, Any]:
    df = pd.read_csv(find(dirs, "conversationai_bias_eval/test/bias_madlibs_77k.csv"))
    p = np.array([r["TOXICITY"] for r in _scores(scorer, df["Text"].astype(str).tolist())])
    y = (df["Label"] == "BAD").to_numpy()
    terms = np.array([(m.group(1) if (m := _TERM_RE.search(t.lower())) else "") for t in df["Text"]])
    per_term = {}
    for term in sorted(set(terms) - {""}):
        sub = terms == term
        if sub.sum() < 20:
            continue
        per_term[term] = {
            "subgroup_auc": round(float(roc_auc_score(y[sub], p[sub])), 4),
            "bpsn_auc": round(float(roc_auc_score(y[(sub & ~y) | (~sub & y)], p[(sub & ~y) | (~sub & y)])), 4),
            "bnsp_auc": round(float(roc_auc_score(y[(sub & y) | (~sub & ~y)], p[(sub & y) | (~sub & ~y)])), 4),
        }
    worst = min(per_term.items(), key=lambda kv: kv[1]["bpsn_auc"])
    return {"n": len(df), "overall_auc": round(float(roc_auc_score(y, p)), 4), "worst_bpsn": {"term": str(worst[0]), **worst[1]}, "per_term": per_term}


def evaluate(scorer: Scorer, dirs: list[Path]) -> dict[str, Any]:
    return {
        "model_version": scorer.model_version,
        "jigsaw2018_test_with_text": jigsaw(scorer, dirs),
        "olid_test_a": olid(scorer, dirs),
        "toxic_spans_test": toxic_spans(scorer, dirs),
        "identity_templates": identity_bias(scorer, dirs),
    }
