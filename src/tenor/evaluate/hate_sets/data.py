"""The hate-speech test sets `tenor eval` reads for the comment model's hate attributes: one loader
per set, each turning the staged files into texts and 0/1 labels named by tenor attribute (the
EvalSet of tenor.evaluate.sets). Only test and dev files of sets staged for evaluation are read;
nothing here ever feeds training.

    gab_hate_corpus  Gab Hate Corpus test: hd -> DEHUMANIZATION, cv -> CALL_FOR_VIOLENCE,
                     hd or cv (the paper's "hate") -> IDENTITY_ATTACK
    edos             EDOS (SemEval-2023 Task 10) test: sexist -> IDENTITY_ATTACK, TOXICITY
    dynahate_dev     DynaHate dev (<= 44-word subset): hate -> IDENTITY_ATTACK
    dynahate_test    DynaHate test (<= 44-word subset): hate -> IDENTITY_ATTACK
    hatemoji         HatemojiBuild test: label_gold 1 -> IDENTITY_ATTACK

A label value other than the set's two is an EvalDataError, never read as either class.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..sets import EvalDataError, EvalSet, _csv, _find

__all__ = ["LOADERS", "RELATIVE", "dynahate_dev", "dynahate_test", "edos", "gab_hate_corpus", "hatemoji", "is_staged"]  # fmt: skip

# set -> its files under a data folder
RELATIVE: dict[str, tuple[str, ...]] = {
    "gab_hate_corpus": ("gab_hate_corpus/test/test.jsonl",),
    "edos": ("edos_sexism/test/edos_labelled_aggregated_test.csv",),
    "dynahate_dev": ("dynahate_partial_devtest/dev/db_dev.csv",),
    "dynahate_test": ("dynahate_partial_devtest/test/db_test.csv",),
    "hatemoji": ("hatemoji_build/test/test.csv",),
}


def is_staged(dirs: list[Path], name: str) -> bool:
    """Whether every file of set `name` is under one of `dirs`."""
    return all(any((d / relative).is_file() for d in dirs) for relative in RELATIVE[name])


def _binary(values: Iterable[object], positive: str, negative: str, path: Path, column: str) -> np.ndarray:
    """0/1 per row from a column holding `positive` or `negative` (compared as stripped strings)."""
    out = []
    for row, value in enumerate(values, 1):
        text = str(value).strip()
        if text not in (positive, negative):
            raise EvalDataError(
                f"{path}: row {row}: {column} is {value!r}, expected {positive!r} or {negative!r}"
            )
        out.append(text == positive)
    return np.array(out, dtype=int)


def _table(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    df = _csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise EvalDataError(f"{path}: no column {', '.join(missing)}")
    return df


def gab_hate_corpus(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, RELATIVE["gab_hate_corpus"][0])
    rows = []
    # split on newlines only: str.splitlines would also split inside texts at U+2028, U+0085 ...
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalDataError(f"{path}:{number}: not JSON ({error})") from error
        if not isinstance(row, dict) or not all(k in row for k in ("text", "hd", "cv")):
            raise EvalDataError(f"{path}:{number}: expected an object with text, hd and cv")
        rows.append(row)
    hd = _binary((r["hd"] for r in rows), "1", "0", path, "hd")
    cv = _binary((r["cv"] for r in rows), "1", "0", path, "cv")
    return EvalSet(
        "gab_hate_corpus",
        "Gab Hate Corpus test (Kennedy et al. 2022; majority labels: hd, assault on human dignity ->"
        " DEHUMANIZATION; cv, call for violence -> CALL_FOR_VIOLENCE; hd or cv -> IDENTITY_ATTACK)",
        [path],
        [str(r["text"]) for r in rows],
        {"IDENTITY_ATTACK": hd | cv, "DEHUMANIZATION": hd, "CALL_FOR_VIOLENCE": cv},
    )


def edos(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, RELATIVE["edos"][0])
    df = _table(path, ("text", "label_sexist"))
    y = _binary(df["label_sexist"], "sexist", "not sexist", path, "label_sexist")
    return EvalSet(
        "edos",
        "EDOS test (SemEval-2023 Task 10, Gab and Reddit; sexist -> IDENTITY_ATTACK, TOXICITY)",
        [path],
        df["text"].tolist(),
        {"IDENTITY_ATTACK": y, "TOXICITY": y},
    )


def _dynahate(dirs: list[Path], name: str, split: str) -> EvalSet:
    path = _find(dirs, RELATIVE[name][0])
    df = _table(path, ("text", "label"))
    y = _binary(df["label"], "hate", "nothate", path, "label")
    return EvalSet(
        name,
        f"DynaHate {split} (Vidgen et al. 2021, adversarial, rounds 1-4; the <= 44-word subset staged;"
        " hate -> IDENTITY_ATTACK)",
        [path],
        df["text"].tolist(),
        {"IDENTITY_ATTACK": y},
    )


def dynahate_dev(dirs: list[Path]) -> EvalSet:
    return _dynahate(dirs, "dynahate_dev", "dev")


def dynahate_test(dirs: list[Path]) -> EvalSet:
    return _dynahate(dirs, "dynahate_test", "test")


def hatemoji(dirs: list[Path]) -> EvalSet:
    path = _find(dirs, RELATIVE["hatemoji"][0])
    df = _table(path, ("text", "label_gold"))
    y = _binary(df["label_gold"], "1", "0", path, "label_gold")
    return EvalSet(
        "hatemoji",
        "HatemojiBuild test (Kirk et al. 2022, adversarial emoji-based hate, DynaHate rounds 5-7;"
        " hateful -> IDENTITY_ATTACK)",
        [path],
        df["text"].tolist(),
        {"IDENTITY_ATTACK": y},
    )


LOADERS: dict[str, Callable[[list[Path]], EvalSet]] = {
    "gab_hate_corpus": gab_hate_corpus,
    "edos": edos,
    "dynahate_dev": dynahate_dev,
    "dynahate_test": dynahate_test,
    "hatemoji": hatemoji,
}
