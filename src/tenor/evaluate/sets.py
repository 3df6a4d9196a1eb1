"""The held-out sets `tenor eval` reads: one loader per set, each turning the staged files into
texts and labels named by tenor attribute. Only `test/` files and the evaluation-only sets
(ETHOS, Ruddit) are read; nothing here ever feeds training."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import TenorError

JIGSAW_LABELS = {
    "toxic": "TOXICITY",
    "severe_toxic": "SEVERE_TOXICITY",
    "obscene": "PROFANITY",
    "threat": "THREAT",
    "insult": "INSULT",
    "identity_hate": "IDENTITY_ATTACK",
}


class EvalDataError(TenorError):
    """A held-out file is missing or unreadable."""


@dataclass
class EvalSet:
    name: str
    description: str
    files: list[Path]
    texts: list[str]
    labels: dict[str, np.ndarray]  # attribute -> 0/1 per text
    spans: list[frozenset[int]] | None = None  # gold character offsets (toxic spans)
    groups: dict[str, np.ndarray] = field(default_factory=dict)  # e.g. language per text
    continuous: dict[str, np.ndarray] = field(default_factory=dict)  # e.g. Ruddit's score in [-1, 1]
    gated: bool = False  # part of the CI quality gate


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _find(dirs: list[Path], relative: str) -> Path:
    for d in dirs:
        if (d / relative).is_file():
            return d / relative
    raise EvalDataError(
        f"{relative} not found under {', '.join(map(str, dirs))}: pass --data with the folders that hold it."
    )


def _csv(path: Path, **kwargs: object) -> pd.DataFrame:
    try:
        return pd.read_csv(path, **kwargs)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise EvalDataError(f"cannot read {path}: {error}") from error


def jigsaw2018(dirs: list[Path]) -> EvalSet:
    files = [
        _find(dirs, "jigsaw_toxic_2018_union/test/test_scored_with_text.csv"),
        _find(dirs, "jigsaw_toxic_2018_more/test/test_scored_with_text_more.csv"),
    ]
    df = pd.concat([_csv(p) for p in files], ignore_index=True)
    return EvalSet(
        "jigsaw2018",
        "Jigsaw 2018 test rows with text (both staged test files)",
        files,
        df["comment_text"].astype(str).tolist(),
        {attr: df[col].to_numpy(dtype=int) for col, attr in JIGSAW_LABELS.items()},
        gated=True,
    )


def wikipedia_toxicity(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "conversationai_bias_eval/test/toxicity_nonfuzzed_testset.csv")
    df = _csv(path)
    y = df["toxic"].astype(str).str.lower().eq("true").to_numpy(dtype=int)
    return EvalSet(
        "wikipedia_toxicity",
        "Wikipedia toxicity test (Dixon et al., non-fuzzed, whole; about 520 of its comments are in the full Jigsaw 2018 train set: tenor removes them before training, a peer trained on that full set, such as alt-profanity-check, has seen them)",
        [path],
        df["comment"].astype(str).tolist(),
        {"TOXICITY": y},
    )


def olid(dirs: list[Path]) -> EvalSet:
    text_path, label_path = (
        _find(dirs, "olid/test/testset-levela.tsv"),
        _find(dirs, "olid/test/labels-levela.csv"),
    )
    texts = _csv(text_path, sep="\t", quoting=3, dtype=str)
    labels = _csv(label_path, dtype=str)
    labels.columns = [c.strip() for c in labels.columns]
    df = texts.merge(labels, on="id")
    y = (df["label"].str.strip() == "OFF").to_numpy(dtype=int)
    # OLID's "offensive" is scored by TOXICITY (product.md §5)
    return EvalSet(
        "olid",
        "OLID 2019 test A (tweets; offensive scored by TOXICITY)",
        [text_path, label_path],
        df["tweet"].tolist(),
        {"TOXICITY": y},
        gated=True,
    )


def toxic_spans(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "toxic_spans/test/tsd_test.csv")
    df = _csv(path)
    gold = [frozenset(int(x) for x in s.strip("[]").split(",") if x.strip()) for s in df["spans"]]
    return EvalSet(
        "toxic_spans",
        "SemEval-2021 toxic spans test (span F1)",
        [path],
        df["text"].astype(str).tolist(),
        {},
        spans=gold,
        gated=True,
    )


def identity_templates(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "conversationai_bias_eval/test/bias_madlibs_77k.csv")
    df = _csv(path)
    y = (df["Label"] == "BAD").to_numpy(dtype=int)
    return EvalSet(
        "identity_templates",
        "Identity-term templates (bias_madlibs_77k)",
        [path],
        df["Text"].astype(str).tolist(),
        {"TOXICITY": y},
        gated=True,
    )


def stormfront(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "stormfront_hate_speech/test/sampled_test.csv")
    df = _csv(path)
    y = (df["label"] == "hate").to_numpy(dtype=int)
    # hate speech here is an attack on a group for its identity (the set's guidelines)
    return EvalSet(
        "stormfront",
        "Stormfront hate speech test (hate -> IDENTITY_ATTACK, TOXICITY)",
        [path],
        df["text"].astype(str).tolist(),
        {"IDENTITY_ATTACK": y, "TOXICITY": y},
    )


def ethos(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "ethos/Ethos_Dataset_Binary.csv")
    df = _csv(path, sep=";")
    # isHate is the share of raters who saw hate speech; the majority decides
    y = (df["isHate"].astype(float) >= 0.5).to_numpy(dtype=int)
    return EvalSet(
        "ethos",
        "ETHOS binary (evaluation only, GPL-3.0; majority hate -> IDENTITY_ATTACK, TOXICITY)",
        [path],
        df["comment"].astype(str).tolist(),
        {"IDENTITY_ATTACK": y, "TOXICITY": y},
    )


def ruddit(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "ruddit/ruddit_with_text.csv")
    df = _csv(path)
    body = df["comment_body"].fillna("").astype(str)
    df = df[~body.str.strip().isin(["", "[deleted]", "[removed]"])]
    score = df["offensiveness_score"].to_numpy(dtype=float)
    # scores run from -1 (supportive) to 1 (offensive); above 0 is read as offensive
    return EvalSet(
        "ruddit",
        "Ruddit (Reddit, evaluation only; offensiveness > 0 -> TOXICITY; Spearman on the score)",
        [path],
        df["comment_body"].astype(str).tolist(),
        {"TOXICITY": (score > 0).astype(int)},
        continuous={"TOXICITY": score},
    )


def jigsaw_sample(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "jigsaw_toxic_2018_sample/test/test_examples.csv")
    df = _csv(path)
    return EvalSet(
        "jigsaw_sample",
        "Jigsaw 2018 sample (lower-cased copy)",
        [path],
        df["comment_text"].astype(str).tolist(),
        {a: df[c].to_numpy(dtype=int) for c, a in JIGSAW_LABELS.items()},
    )


def multilingual(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, "jigsaw_multilingual_2020/test/test_ids_0-5999_with_labels.csv")
    df = _csv(path)
    return EvalSet(
        "multilingual",
        "Jigsaw multilingual 2020 test, 6 languages (scored as English: the shipped model is English-only)",
        [path],
        df["content"].astype(str).tolist(),
        {"TOXICITY": df["toxic"].to_numpy(dtype=int)},
        groups={"lang": df["lang"].astype(str).to_numpy()},
    )


LOADERS: dict[str, Callable[[list[Path]], EvalSet]] = {
    "jigsaw2018": jigsaw2018,
    "wikipedia_toxicity": wikipedia_toxicity,
    "olid": olid,
    "toxic_spans": toxic_spans,
    "identity_templates": identity_templates,
    "stormfront": stormfront,
    "ethos": ethos,
    "ruddit": ruddit,
    "jigsaw_sample": jigsaw_sample,
    "multilingual": multilingual,
}
GATED = ("jigsaw2018", "olid", "toxic_spans", "identity_templates")


def load_sets(dirs: list[Path], names: list[str] | None = None) -> list[EvalSet]:
    unknown = sorted(set(names or []) - set(LOADERS))
    if unknown:
        raise EvalDataError(f"unknown eval set(s) {', '.join(unknown)}; choose from {', '.join(LOADERS)}")
    return [LOADERS[n](dirs) for n in (names or list(LOADERS))]
