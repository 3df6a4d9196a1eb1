"""The shipped model artifact: a folder with a manifest, weights and a model card, checksummed.

    models/<version>/
        manifest.json      version, attributes, calibration, thresholds, training summary
        weights.npz        numpy arrays only (loaded with allow_pickle=False: no code runs)
        MODEL_CARD.md
        SHA256SUMS         sha256 of the three files above, verified at every load
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import ModelIntegrityError, ModelNotFoundError
from ._features import Featurizer

__all__ = [
    "ARTIFACT_FILES", "DEFAULT_MODEL", "Model", "load_model", "model_folder", "models_dir", "read_artifact",
    "verify_checksums", "write_checksums",
]  # fmt: skip

ARTIFACT_FILES = ("manifest.json", "weights.npz", "MODEL_CARD.md")
DEFAULT_MODEL = "en-2026.11.0"
FORMAT = 1


def models_dir() -> Path:
    return Path(__file__).parent / "models"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_checksums(folder: Path) -> None:
    lines = [f"{_sha256(folder / name)}  {name}\n" for name in ARTIFACT_FILES]
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def verify_checksums(folder: Path) -> None:
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise ModelIntegrityError(f"{sums} is missing: the model folder is incomplete; reinstall tenor or retrain.")
    expected = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        expected[name] = digest
    for name in ARTIFACT_FILES:
        path = folder / name
        if not path.is_file():
            raise ModelIntegrityError(f"{path} is missing: reinstall tenor or retrain the model.")
        if expected.get(name) != _sha256(path):
            raise ModelIntegrityError(
                f"{path} does not match its checksum in SHA256SUMS: the file is corrupt or was "
                "edited. Reinstall tenor, or retrain with `tenor train`."
            )


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


def model_folder(name_or_path: str | Path, *, kind: str = "model", train_command: str = "tenor train") -> Path:
    """The folder of a model given as a folder path or as the version name of a shipped model;
    ModelNotFoundError, listing the shipped versions, when it is neither."""
    folder = Path(name_or_path)
    if not folder.is_dir():
        folder = models_dir() / str(name_or_path)
    if not folder.is_dir():
        shipped = sorted(p.name for p in models_dir().iterdir() if p.is_dir()) if models_dir().is_dir() else []
        raise ModelNotFoundError(
            f"No {kind} {str(name_or_path)!r}: give a folder made by `{train_command}` or one of the "
            f"shipped versions: {', '.join(shipped) or 'none'}."
        )
    return folder


# manifest "kind" -> what a message calls it; the comment model's manifest has no kind
_KIND_NAMES = {None: "comment", "techniques": "technique", "multilingual": "multilingual"}


def read_artifact(
    folder: Path, *, kind: str | None, format: int, train_command: str
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, weight arrays) of a model folder: checksums verified first, then the manifest's
    kind and format checked against what the caller reads. Arrays load without pickle: no code runs."""
    verify_checksums(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    found = manifest.get("kind")
    if found != kind:
        raise ModelIntegrityError(
            f"{folder} holds a {_KIND_NAMES.get(found, found)} model, not a {_KIND_NAMES.get(kind, kind)} model: "
            f"pass a folder written by `{train_command}`."
        )
    if manifest.get("format") != format:
        raise ModelIntegrityError(
            f"{folder} has model format {manifest.get('format')}, this tenor reads format {format}: "
            f"upgrade tenor or retrain with `{train_command}`."
        )
    with np.load(folder / "weights.npz", allow_pickle=False) as w:
        arrays = {k: w[k] for k in w.files}
    return manifest, arrays


def load_model(name_or_path: str | Path | None = None) -> Model:
    """Load a model by version name (from the models shipped in the package) or folder path,
    verifying every file's checksum first."""
    folder = model_folder(DEFAULT_MODEL if name_or_path is None else name_or_path)
    manifest, arrays = read_artifact(folder, kind=None, format=FORMAT, train_command="tenor train")
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
