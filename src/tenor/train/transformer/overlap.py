"""Evaluation texts that training must never see, and their removal from training rows.

Every file under a `test/` or `dev/` folder (or `test_*` / `dev_*`, e.g. `test_unlabeled`) of
the data folders counts, plus the evaluation-only files listed in EXTRA_EVAL_FILES.

Two texts are the same when one of their `match_keys` agrees:
  * `tenor._text.dedup_key` (NFKC, case-folded, punctuation, symbols and spaces removed);
  * the same key after @mentions, links, [USER]/[URL] placeholders and HTML entities are taken
    out: copies of one tweet differ exactly there (TweetEval writes "@user" and drops links,
    ISHate keeps "@SpeakerRyan ... https://t.co/..."; without this, 909 ISHate copies of HatEval
    test tweets would pass);
  * for a text with no letters or digits ("🧕 = 🐖", whose dedup key is empty), `merge_key`,
    which keeps symbols and emoji.
The rule is deliberately coarse: two Hatemoji texts that differ only in their emoji share a
dedup key, so a training text whose emoji-free words equal an evaluation text's is removed too.
"""

from __future__ import annotations

import csv
import html
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..._errors import TrainingDataError
from ..._text import dedup_key

__all__ = [
    "EXTRA_EVAL_FILES",
    "TEXT_COLUMNS",
    "collect_eval_texts",
    "eval_index",
    "is_eval_path",
    "match_keys",
    "merge_key",
    "overlap_hits",
    "read_eval_file",
    "social_form",
]

# Punctuation, separators (spaces), control and format characters.
_DROP_CATEGORIES = frozenset({"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs", "Zl", "Zp", "Cc", "Cf"})


@lru_cache(maxsize=1)
def _drop_table() -> dict[int, None]:
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in _DROP_CATEGORIES}


def merge_key(text: str) -> str:
    """NFKC, case-folded, without punctuation, spaces or control characters, but with letters,
    digits, symbols and emoji: the key under which two training texts are one row."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_drop_table())


_MENTION = re.compile(r"@\w+")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\[(?:url|user)\]|\burl\b", re.IGNORECASE)


def social_form(text: str) -> str:
    """The text without @mentions, links, [USER]/[URL]/URL placeholders and HTML entities."""
    return _LINK.sub(" ", _MENTION.sub(" ", html.unescape(text)))


def match_keys(text: str) -> tuple[str, ...]:
    """The keys under which a text is compared with evaluation texts (see the module doc);
    empty when the text has nothing to compare."""
    keys = {dedup_key(text), dedup_key(social_form(text))} - {""}
    if not keys:
        fallback = merge_key(text)
        return ("\x00" + fallback,) if fallback else ()
    return tuple(sorted(keys))


# Evaluation-only files that sit outside test/ and dev/ folders (relative to a data folder).
EXTRA_EVAL_FILES: dict[str, str] = {
    "ethos/Ethos_Dataset_Binary.csv": "ETHOS is GPL-3.0: evaluation only (product.md)",
    "ethos/Ethos_Dataset_Multi_Label.csv": "ETHOS is GPL-3.0: evaluation only (product.md)",
    "ruddit/ruddit_with_text.csv": "Ruddit bodies are a third-party scrape: evaluation only (product.md)",
    "toxic_spans/tsd_trial.csv": "the SemEval-2021 'trial' set is that task's dev split",
    "safecity_sexual_harassment/dev.csv": "SafeCity's dev split (the set is not used at all)",
}

# Columns that hold the text, in order of preference (the first one present is read).
TEXT_COLUMNS = (
    "comment_text",
    "text",
    "comment",
    "Text",
    "tweet",
    "content",
    "post",
    "comment_body",
    "phrase",
    "Description",
)


def is_eval_path(relative: Path) -> bool:
    """True for a path with a folder named test or dev (or test_* / dev_*) above the file."""
    return any(p in ("test", "dev") or p.startswith(("test_", "dev_")) for p in relative.parts[:-1])


def _csv(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8", errors="replace") as f:
        header = f.readline()
    sep = ";" if ";" in header and "," not in header else ","
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)


def read_eval_file(path: Path) -> list[str] | None:
    """The texts in one evaluation file, or None when it holds no text (ids or labels only)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            if suffix == ".tsv":
                df = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)
            else:
                df = _csv(path)
            cols = [c for c in TEXT_COLUMNS if c in df.columns]
            return df[cols[0]].astype(str).tolist() if cols else None
        if suffix == ".jsonl":
            with path.open(encoding="utf-8") as f:
                rows = [json.loads(line) for line in f if line.strip()]
            cols = [c for c in TEXT_COLUMNS if rows and c in rows[0]]
            return [str(r.get(cols[0], "")) for r in rows] if cols else None
        if suffix == ".txt":
            if "label" in path.name.lower():
                return None  # one label per line (HatEval), or technique labels (SemEval)
            return [
                line
                for line in path.read_text(encoding="utf-8", errors="replace").split("\n")
                if line.strip()
            ]
    except (pd.errors.ParserError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TrainingDataError(f"Cannot read evaluation file {path}: {error}") from error
    return None  # .template, .out, .xlsx, ...: no text, or a copy of one held in another format


def collect_eval_texts(dirs: Sequence[Path], extra: Iterable[str] = EXTRA_EVAL_FILES) -> dict[str, list[str]]:
    """Every evaluation text under `dirs`, by file ("<data folder>/<relative path>")."""
    out: dict[str, list[str]] = {}
    for d in map(Path, dirs):
        if not d.is_dir():
            continue
        paths = sorted(p for p in d.rglob("*") if p.is_file() and is_eval_path(p.relative_to(d)))
        paths += [d / rel for rel in extra if (d / rel).is_file()]
        for path in paths:
            texts = read_eval_file(path)
            if texts is None:
                continue
            rel = path.relative_to(d)
            # One entry per folder of news articles (one file each), one per file otherwise.
            name = (
                f"{d.name}/{rel.parent.as_posix()}/article*.txt"
                if path.suffix == ".txt" and path.name.startswith("article")
                else f"{d.name}/{rel.as_posix()}"
            )
            out.setdefault(name, []).extend(texts)
    return out


def eval_index(texts_by_file: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """match key -> the evaluation files that hold a text with that key."""
    files_by_key: dict[str, list[str]] = {}
    for name in sorted(texts_by_file):
        for k in {k for text in texts_by_file[name] for k in match_keys(text)}:
            files_by_key.setdefault(k, []).append(name)
    return {k: tuple(v) for k, v in files_by_key.items()}


def overlap_hits(
    keys: Sequence[tuple[str, ...]], index: dict[str, tuple[str, ...]]
) -> tuple[np.ndarray, dict[str, int]]:
    """(rows to keep, training rows matched per evaluation file) for training texts given by
    their match keys; a row matched by several files counts once under each of them."""
    keep = np.ones(len(keys), dtype=bool)
    hits: dict[str, int] = {}
    for i, row_keys in enumerate(keys):
        files = {name for k in row_keys for name in index.get(k, ())}
        if files:
            keep[i] = False
            for name in files:
                hits[name] = hits.get(name, 0) + 1
    return keep, dict(sorted(hits.items()))
