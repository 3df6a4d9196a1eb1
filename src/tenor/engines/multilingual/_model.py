"""The multilingual tier's artifact and its scores.

    models/<version>/   (the same four files as the English model: tenor._model)
        manifest.json   kind "multilingual", encoder (package, version, chunking), attributes,
                        the attribute x language table, calibration, thresholds, training summary
        weights.npz     coef (384, n_attributes), intercept
        MODEL_CARD.md
        SHA256SUMS

A text's score for an attribute is the highest of its pieces' (text_chunks): a comment is as
toxic as its worst thousand characters. Heads are logistic over the raw unit-length embedding,
then a Platt step (slope, offset) fitted on out-of-fold in-language predictions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..._artifact import model_folder, read_artifact
from ..._calibration import calibrated
from ._encoder import CHUNK_CHARS, Encoder, text_chunks

__all__ = ["DEFAULT_MULTILINGUAL_MODEL", "FORMAT", "MultilingualModel", "load_multilingual_model"]

DEFAULT_MULTILINGUAL_MODEL = "multilingual-2026.11.0"
FORMAT = 1


@dataclass(frozen=True)
class MultilingualModel:
    version: str
    path: Path
    manifest: dict[str, Any]
    attributes: tuple[str, ...]
    languages: Mapping[str, tuple[str, ...]]  # attribute -> the languages it is declared for
    coef: np.ndarray  # (384, n_attributes)
    intercept: np.ndarray  # (n_attributes,)
    calibration: np.ndarray  # (n_attributes, 2): slope, offset on the logit
    thresholds: Mapping[str, float]
    chunk_chars: int = CHUNK_CHARS
    encoder: Encoder = field(default_factory=Encoder, compare=False, repr=False)

    @property
    def all_languages(self) -> tuple[str, ...]:
        """Every language some attribute supports, in first-seen order."""
        seen: dict[str, None] = {}
        for langs in self.languages.values():
            seen.update(dict.fromkeys(langs))
        return tuple(seen)

    def supports(self, attribute: str, language: str) -> bool:
        return language in self.languages.get(attribute, ())

    def embed_pieces(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Embeddings of every piece of every text, and the text each piece belongs to."""
        pieces, owner = [], []
        for i, text in enumerate(texts):
            chunks = text_chunks(text, self.chunk_chars)
            pieces.extend(chunks)
            owner.extend([i] * len(chunks))
        return self.encoder.embed(pieces), np.array(owner, dtype=np.int64)

    def probabilities_from_embeddings(
        self, embeddings: np.ndarray, owner: np.ndarray, n_texts: int
    ) -> np.ndarray:
        """(n_texts, n_attributes): per text, the highest calibrated probability of its pieces."""
        logits = embeddings.astype(np.float64) @ self.coef + self.intercept
        probs = calibrated(logits, self.calibration)
        out = np.zeros((n_texts, len(self.attributes)))
        np.maximum.at(out, owner, probs)
        return out

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n_attributes) calibrated probabilities; encodes every text (slow: tens
        of milliseconds per comment and core)."""
        embeddings, owner = self.embed_pieces(texts)
        return self.probabilities_from_embeddings(embeddings, owner, len(texts))


def load_multilingual_model(
    name_or_path: str | Path | None = None, *, threads: int | None = None
) -> MultilingualModel:
    """Load the tier by version name or folder, checksums first. The encoder itself loads on the
    first text (and needs the `multilingual` extra); `threads` sets its OpenMP threads (default:
    all cores)."""
    folder = model_folder(
        DEFAULT_MULTILINGUAL_MODEL if name_or_path is None else name_or_path,
        kind="multilingual model",
        train_command="tenor train --multilingual",
    )
    manifest, arrays = read_artifact(
        folder, kind="multilingual", format=FORMAT, train_command="tenor train --multilingual"
    )
    coef, intercept = arrays["coef"].astype(np.float64), arrays["intercept"].astype(np.float64)
    attrs = tuple(manifest["attributes"])
    encoder_info = manifest["encoder"]
    return MultilingualModel(
        version=manifest["version"],
        path=folder,
        manifest=manifest,
        attributes=attrs,
        languages={a: tuple(manifest["languages"][a]) for a in attrs},
        coef=coef,
        intercept=intercept,
        calibration=np.array([manifest["calibration"][a] for a in attrs], dtype=np.float64),
        thresholds={a: float(manifest["thresholds"][a]) for a in attrs},
        chunk_chars=int(encoder_info["chunk_chars"]),
        encoder=Encoder(threads, expected_version=encoder_info["version"]),
    )
