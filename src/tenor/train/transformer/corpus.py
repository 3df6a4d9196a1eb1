"""The multi-task training corpus of the transformer engine: every usable English train split,
mapped onto ATTRIBUTES with per-attribute masks, cleaned of evaluation texts, merged by text and
weighted so that the big sets do not drown the small ones.

Order of operations in `load_corpus` (each step counted in `Corpus.report`):
  1. read every source admitted by `terms` (sources.py);
  2. drop empty texts and rows the source labels on no attribute (e.g. EDOS "not sexist");
  3. remove every row whose text matches a text of any evaluation file (overlap.py: dedup_key,
     also with @mentions and links taken out), counted per (source, evaluation file);
  4. optionally cap a source at `max_per_source` rows (a seeded random subset);
  5. weight: a row's weight is its source's base weight (Jigsaw's prevalence re-weighting) times
     n_source ** (balance - 1), so a source's total weight grows as n_source ** balance. With the
     default balance 0.5 (square-root sampling, as in multilingual pre-training mixes) Jigsaw's
     68k rows weigh about 3.8 times HatemojiBuild's 4.7k instead of 14 times; balance 1 weighs
     every row alike, balance 0 every source alike. Nothing is thrown away by default;
  6. merge rows whose texts are the same (`merge_key`: NFKC, case-folded, punctuation and spaces
     removed, but symbols and emoji kept so that Hatemoji's emoji-swap contrasts stay apart):
     one row per text, reported under the first source in SOURCES order that holds it; each
     attribute's target is the MEAN of the labelled values (NaN if none): sources that disagree
     give a soft target that says so, as a share of raters would, where MAX would turn every
     disagreement into a positive; the row's weight is the largest of the merged rows' weights;
  7. weights are scaled to mean 1.
Everything is deterministic: `seed` only drives the subsets of step 4.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..._errors import TrainingDataError
from .overlap import collect_eval_texts, eval_index, match_keys, merge_key, overlap_hits
from .schema import ATTRIBUTES, SOURCES, Source
from .sources import select

__all__ = ["ATTRIBUTES", "Corpus", "load_corpus"]

DEFAULT_BALANCE = 0.5
CONFLICT = 0.5  # merged labels this far apart count as a conflict in the report


@dataclass(frozen=True)
class Corpus:
    texts: list[str]
    targets: np.ndarray  # float32 (n, len(ATTRIBUTES)); NaN = masked for that head
    sources: np.ndarray  # int16 (n,): index into source_names of the source reported for the row
    source_names: tuple[str, ...]
    weights: np.ndarray  # float32 (n,), mean 1
    report: dict[str, Any] = field(repr=False)
    attributes: tuple[str, ...] = ATTRIBUTES

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def labelled(self) -> np.ndarray:
        """Boolean (n, n_attributes): where a target is known (the loss mask)."""
        return ~np.isnan(self.targets)

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(
            {
                "text": self.texts,
                "source": np.asarray(self.source_names, dtype=object)[self.sources],
                "weight": self.weights,
            }
        )
        for j, name in enumerate(self.attributes):
            df[name] = self.targets[:, j]
        return df


def _counts(targets: np.ndarray) -> tuple[dict[str, int], dict[str, int]]:
    labelled = ~np.isnan(targets)
    positive = np.nan_to_num(targets, nan=0.0) >= 0.5
    return (
        {a: int(labelled[:, j].sum()) for j, a in enumerate(ATTRIBUTES)},
        {a: int(positive[:, j].sum()) for j, a in enumerate(ATTRIBUTES)},
    )


def _cap(name: str, max_per_source: int | Mapping[str, int] | None) -> int | None:
    if isinstance(max_per_source, Mapping):
        return max_per_source.get(name)
    return max_per_source


def load_corpus(
    data_dirs: Sequence[str | Path],
    *,
    terms: str = "all",
    seed: int = 0,
    max_per_source: int | Mapping[str, int] | None = None,
    balance: float = DEFAULT_BALANCE,
    sources: Sequence[str] | None = None,
    eval_dirs: Sequence[str | Path] | None = None,
    log: Callable[[str], None] | None = None,
) -> Corpus:
    """Build the training corpus from the staged data folders (e.g. ../shared/data, data2,
    data3, data4). `terms`: "all" (default model) or "permissive" (only sets whose terms allow
    commercial use). `eval_dirs` (default: `data_dirs`) are scanned for test/ and dev/ texts to
    remove. `sources` restricts to the named sources."""
    say = log or (lambda _: None)
    dirs = [Path(d) for d in data_dirs]
    if not 0.0 <= balance <= 1.0:
        raise ValueError(f"balance must lie in [0, 1], not {balance}")
    chosen = select(terms, tuple(sources) if sources is not None else None)
    report: dict[str, Any] = {
        "terms": terms,
        "seed": seed,
        "balance": balance,
        "max_per_source": dict(max_per_source) if isinstance(max_per_source, Mapping) else max_per_source,
        "data_dirs": [str(d) for d in dirs],
        "excluded_by_terms": {
            s.name: s.terms
            for s in SOURCES.values()
            if s not in chosen and (sources is None or s.name in sources)
        },
        "missing": [],
        "sources": {},
    }
    eval_texts = collect_eval_texts([Path(d) for d in (eval_dirs if eval_dirs is not None else dirs)])
    index = eval_index(eval_texts)
    report["eval_files"] = {name: len(texts) for name, texts in sorted(eval_texts.items())}
    say(f"{len(eval_texts)} evaluation files, {len(index)} distinct normalised texts")

    pieces: list[tuple[Source, list[str], np.ndarray, np.ndarray]] = []
    for src in chosen:
        rows = src.read(dirs)
        if rows is None:
            report["missing"].append(src.name)
            say(f"{src.name}: not found, skipped")
            continue
        entry: dict[str, Any] = {
            "terms": src.terms,
            "terms_reason": src.terms_reason,
            "title": src.title,
            "folder": src.folder,
            "read": len(rows.texts),
        }
        texts = [t.strip() for t in rows.texts]
        keep = np.array([bool(t) for t in texts], dtype=bool)
        entry["empty"] = int((~keep).sum())
        has_label = ~np.isnan(rows.targets).all(axis=1)
        entry["unlabelled"] = int((keep & ~has_label).sum())
        keep &= has_label
        keys = [match_keys(t) if k else () for t, k in zip(texts, keep, strict=True)]
        not_eval, hits = overlap_hits(keys, index)
        entry["overlap_removed"] = int((keep & ~not_eval).sum())
        entry["overlap"] = hits
        keep &= not_eval
        idx = np.flatnonzero(keep)
        cap = _cap(src.name, max_per_source)
        entry["capped"] = 0
        if cap is not None and len(idx) > cap:
            rng = np.random.default_rng([seed, zlib.crc32(src.name.encode())])
            entry["capped"] = len(idx) - cap
            idx = np.sort(rng.choice(idx, size=cap, replace=False))
        entry["used"] = len(idx)
        entry["labelled"], entry["positives"] = _counts(rows.targets[idx])
        entry["notes"] = rows.notes
        report["sources"][src.name] = entry
        say(
            f"{src.name}: {entry['read']} read, {entry['overlap_removed']} in evaluation files, {entry['used']} used"
        )
        if len(idx):
            pieces.append(
                (src, [texts[i] for i in idx], rows.targets[idx], rows.weights[idx].astype(np.float64))
            )
    if not pieces:
        raise TrainingDataError(
            f"No training data found under {', '.join(map(str, dirs))} (terms={terms!r}): pass the folders that hold "
            "jigsaw_toxic_2018_union, olid, implicit_hate_corpus, gab_hate_corpus, ..."
        )

    # Step 5: source balance.
    for src, texts, _, weights in pieces:
        scale = len(texts) ** (balance - 1.0)
        weights *= scale
        report["sources"][src.name]["weight_per_row"] = float(scale)

    # Step 6: merge by text.
    names = tuple(src.name for src, *_ in pieces)
    all_texts = [t for _, texts, _, _ in pieces for t in texts]
    targets = np.concatenate([p[2] for p in pieces]).astype(np.float64)
    weights = np.concatenate([p[3] for p in pieces])
    source_ids = np.concatenate([np.full(len(p[1]), i, dtype=np.int16) for i, p in enumerate(pieces)])
    mkeys = [merge_key(t) for t in all_texts]
    nonempty = np.array([bool(k) for k in mkeys], dtype=bool)
    report["merge"] = {"no_content_dropped": int((~nonempty).sum())}
    codes, _ = pd.factorize(pd.Series(mkeys, dtype=object))
    codes = np.where(nonempty, codes, -1)
    valid = np.flatnonzero(codes >= 0)
    codes_v = codes[valid]
    n_groups = int(codes_v.max()) + 1 if len(codes_v) else 0
    first = np.full(n_groups, -1, dtype=np.int64)
    order = valid[::-1]  # assigning in reverse leaves the first occurrence in place
    first[codes[order]] = order
    size = np.bincount(codes_v, minlength=n_groups)
    labelled = ~np.isnan(targets[valid])
    sums = np.zeros((n_groups, len(ATTRIBUTES)))
    np.add.at(sums, codes_v, np.nan_to_num(targets[valid], nan=0.0))
    counts = np.zeros((n_groups, len(ATTRIBUTES)))
    np.add.at(counts, codes_v, labelled)
    lo = np.full((n_groups, len(ATTRIBUTES)), np.inf)
    hi = np.full((n_groups, len(ATTRIBUTES)), -np.inf)
    np.minimum.at(lo, codes_v, np.where(labelled, targets[valid], np.inf))
    np.maximum.at(hi, codes_v, np.where(labelled, targets[valid], -np.inf))
    with np.errstate(invalid="ignore", divide="ignore"):
        merged = np.where(counts > 0, sums / counts, np.nan)
    merged_weight = np.zeros(n_groups)
    np.maximum.at(merged_weight, codes_v, weights[valid])
    multi_source = np.zeros(n_groups, dtype=bool)
    owner = source_ids[first]
    multi_source[codes_v[source_ids[valid] != owner[codes_v]]] = True
    report["merge"].update(
        {
            "rule": "one row per merge_key; target = mean of the labelled values; weight = max; reported under the first source",
            "rows_in": len(all_texts),
            "rows_out": n_groups,
            "duplicate_rows_merged": int(len(valid) - n_groups),
            "texts_in_several_rows": int((size > 1).sum()),
            "texts_in_several_sources": int(multi_source.sum()),
            "conflicts": {a: int(((hi - lo)[:, j] >= CONFLICT).sum()) for j, a in enumerate(ATTRIBUTES)},
        }
    )
    merged_away = np.bincount(source_ids[valid], minlength=len(pieces)) - np.bincount(
        owner, minlength=len(pieces)
    )
    for i, name in enumerate(names):
        report["sources"][name]["merged_into_earlier_row"] = int(merged_away[i])
        report["sources"][name]["rows"] = int((owner == i).sum())

    # Step 7: weights with mean 1.
    merged_weight = merged_weight * (n_groups / merged_weight.sum()) if n_groups else merged_weight
    corpus = Corpus(
        texts=[all_texts[i] for i in first],
        targets=merged.astype(np.float32),
        sources=owner.astype(np.int16),
        source_names=names,
        weights=merged_weight.astype(np.float32),
        report=report,
    )
    labelled_total, positives_total = _counts(corpus.targets)
    report["total"] = {"rows": len(corpus), "labelled": labelled_total, "positives": positives_total}
    say(f"corpus: {len(corpus)} rows from {len(names)} sources")
    return corpus
