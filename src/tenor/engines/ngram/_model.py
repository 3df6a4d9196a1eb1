"""The n-gram model's artifact (a model folder, tenor._artifact): hashed word, character and
bigram TF-IDF features (tenor._features), a logistic head per attribute, a Platt step per head,
and a token-level span head per span attribute (._spans).

    manifest.json   version, attributes, calibration, thresholds, spans, languages, training summary
    weights.npz     vocabulary, idf, coef, intercept, span_coef, span_dense_coef, span_intercept
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..._artifact import NGRAM_KIND, model_folder, read_artifact
from ..._features import Featurizer

__all__ = ["DEFAULT_MODEL", "FORMAT", "Model", "load_model"]

DEFAULT_MODEL = "en-2026.11.0"
FORMAT = 1


@dataclass(frozen=True)
class Model:
    version: str
    path: Path
    manifest: dict[str, Any]
    featurizer: Featurizer
    attributes: tuple[str, ...]
    coef: np.ndarray  # (n_features, n_attributes) float64
    intercept: np.ndarray  # (n_attributes,)
    calibration: np.ndarray  # (n_attributes, 2): slope, offset applied to the logit
    thresholds: dict[str, float]
    span_attributes: tuple[str, ...]
    span_coef: np.ndarray  # (n_features, n_span_heads)
    span_dense_coef: np.ndarray  # (n_dense, n_span_heads)
    span_intercept: np.ndarray
    span_thresholds: dict[str, float]
    languages: tuple[str, ...]
    unsupported: tuple[str, ...]


def load_model(name_or_path: str | Path | None = None) -> Model:
    """Load a model by version name (from the models shipped in the package) or folder path,
    verifying every file's checksum first."""
    folder = model_folder(DEFAULT_MODEL if name_or_path is None else name_or_path)
    manifest, arrays = read_artifact(folder, kind=NGRAM_KIND, format=FORMAT, train_command="tenor train")
    attrs = tuple(manifest["attributes"])
    return Model(
        version=manifest["version"],
        path=folder,
        manifest=manifest,
        featurizer=Featurizer(arrays["vocabulary"], arrays["idf"]),
        attributes=attrs,
        coef=arrays["coef"].astype(np.float64),
        intercept=arrays["intercept"].astype(np.float64),
        calibration=np.array([manifest["calibration"][a] for a in attrs], dtype=np.float64),
        thresholds={a: float(manifest["thresholds"][a]) for a in attrs},
        span_attributes=tuple(manifest["spans"]["attributes"]),
        span_coef=arrays["span_coef"].astype(np.float64),
        span_dense_coef=arrays["span_dense_coef"].astype(np.float64),
        span_intercept=arrays["span_intercept"].astype(np.float64),
        span_thresholds={a: float(t) for a, t in manifest["spans"]["thresholds"].items()},
        languages=tuple(manifest["languages"]),
        unsupported=tuple(manifest.get("unsupported", {})),
    )
