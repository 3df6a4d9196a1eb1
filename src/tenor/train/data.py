"""What every model's training data shares: finding a staged file under the data folders, and
the texts of every staged test/ file, which training must never see."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import TrainingDataError
from .._text import dedup_key

__all__ = ["TEST_TEXT_COLUMNS", "find", "heldout_texts", "remove_test_overlap"]

# Columns that hold the text in the staged test/ files (used to remove train/test overlap).
TEST_TEXT_COLUMNS = ("comment_text", "text", "comment", "Text", "tweet", "content", "Description")


def find(dirs: Iterable[Path], relative: str) -> Path | None:
    for d in dirs:
        if (d / relative).exists():
            return d / relative
    return None


def heldout_texts(dirs: list[Path]) -> dict[str, list[str]]:
    """Every text in every staged test/ folder, by file (relative path)."""
    out: dict[str, list[str]] = {}
    for d in dirs:
        for path in sorted(d.glob("**/test/*")):
            if path.suffix not in (".csv", ".tsv"):
                continue
            sep = "\t" if path.suffix == ".tsv" else ","
            try:
                df = pd.read_csv(path, sep=sep, quoting=3 if sep == "\t" else 0, dtype=str)
            except (pd.errors.ParserError, UnicodeDecodeError) as error:
                raise TrainingDataError(f"Cannot read test file {path}: {error}") from error
            cols = [c for c in TEST_TEXT_COLUMNS if c in df.columns]
            if cols:
                out[f"{d.name}/{path.relative_to(d)}"] = df[cols[0]].dropna().astype(str).tolist()
    return out


def remove_test_overlap(
    train_texts: list[str], tests: dict[str, list[str]], log: Callable[[str], None]
) -> np.ndarray:
    """Boolean mask of training texts to keep; logs how many each test file removed."""
    keys = np.array([dedup_key(t) for t in train_texts], dtype=object)
    keep = np.ones(len(keys), dtype=bool)
    for name, texts in sorted(tests.items()):
        test_keys = {k for k in (dedup_key(t) for t in texts) if k}
        hit = np.array([k in test_keys for k in keys], dtype=bool)
        log(
            f"  {name}: {int(hit.sum())} training texts removed ({int((hit & keep).sum())} not matched by an earlier file)"
        )
        keep &= ~hit
    return keep
