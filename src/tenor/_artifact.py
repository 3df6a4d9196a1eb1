"""Model folders on disk: where they live, their checksums, and reading one of a given kind.

Every model tenor ships or trains is a folder:

    models/<version>/
        manifest.json      kind, format, version, and what the model's loader needs
        weights.npz        numpy arrays only (loaded with allow_pickle=False: no code runs)
        MODEL_CARD.md
        ...                any other file a model kind needs (model.onnx, tokenizer.json, ...)
        SHA256SUMS         sha256 of every other file, verified at every load

A folder with a file that SHA256SUMS does not list is refused: an unchecked file would be read
unchecked. The manifest's `kind` names the model kind (tenor.engines registers a loader per
comment-scoring kind); the first comment model's manifest predates kinds and has none, which
reads as NGRAM_KIND.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import ModelIntegrityError, ModelNotFoundError

__all__ = [
    "ARTIFACT_FILES", "NGRAM_KIND", "artifact_kind", "model_folder", "models_dir", "read_artifact", "read_manifest",
    "verify_checksums", "write_checksums",
]  # fmt: skip

ARTIFACT_FILES = ("manifest.json", "weights.npz", "MODEL_CARD.md")  # every model has these, in this order
CHECKSUMS = "SHA256SUMS"
NGRAM_KIND = "ngram"  # the kind of a manifest without one (en-2026.11.0 and models trained like it)

# manifest kind -> what a message calls it
_KIND_NAMES = {NGRAM_KIND: "comment", "techniques": "technique", "multilingual": "multilingual"}


def models_dir() -> Path:
    """The folder of the models shipped inside the package."""
    return Path(__file__).parent / "models"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _payload_files(folder: Path) -> list[str]:
    """The files a checksum covers: the standard three first (the order SHA256SUMS has always had),
    then any other file in name order."""
    others = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != CHECKSUMS and p.name not in ARTIFACT_FILES
    )
    return [*ARTIFACT_FILES, *others]


def write_checksums(folder: Path) -> None:
    """Write SHA256SUMS over every file of the folder."""
    lines = [f"{_sha256(folder / name)}  {name}\n" for name in _payload_files(folder)]
    (folder / CHECKSUMS).write_text("".join(lines), encoding="utf-8")


def verify_checksums(folder: Path) -> None:
    """Every file listed in SHA256SUMS exists and matches; no other file is in the folder."""
    sums = folder / CHECKSUMS
    if not sums.is_file():
        raise ModelIntegrityError(
            f"{sums} is missing: the model folder is incomplete; reinstall tenor or retrain."
        )
    expected: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            expected[name] = digest
    for name in ARTIFACT_FILES:
        if name not in expected:
            raise ModelIntegrityError(f"{sums} does not list {name}: reinstall tenor or retrain the model.")
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            raise ModelIntegrityError(f"{path} is missing: reinstall tenor or retrain the model.")
        if digest != _sha256(path):
            raise ModelIntegrityError(
                f"{path} does not match its checksum in SHA256SUMS: the file is corrupt or was "
                "edited. Reinstall tenor, or retrain with `tenor train`."
            )
    unlisted = [name for name in _payload_files(folder) if name not in expected and (folder / name).is_file()]
    if unlisted:
        raise ModelIntegrityError(
            f"{folder} holds {', '.join(unlisted)}, which SHA256SUMS does not list: an unchecked file is "
            "not read. Remove it, or rewrite the folder with `tenor train`."
        )


# short names for shipped versions ("fast" -> the n-gram model): tenor.engines fills it in
MODEL_ALIASES: dict[str, str] = {}


def model_folder(
    name_or_path: str | Path, *, kind: str = "model", train_command: str = "tenor train"
) -> Path:
    """The folder of a model given as a folder path, as the version name of a shipped model, or
    as an alias of one (MODEL_ALIASES); ModelNotFoundError, listing the shipped versions and
    aliases, when it is none of these."""
    if isinstance(name_or_path, str) and name_or_path in MODEL_ALIASES and not Path(name_or_path).is_dir():
        name_or_path = MODEL_ALIASES[name_or_path]
    folder = Path(name_or_path)
    if not folder.is_dir():
        folder = models_dir() / str(name_or_path)
    if not folder.is_dir():
        shipped = (
            sorted(p.name for p in models_dir().iterdir() if p.is_dir()) if models_dir().is_dir() else []
        )
        raise ModelNotFoundError(
            f"No {kind} {str(name_or_path)!r}: give a folder made by `{train_command}` or one of the "
            f"shipped versions: {', '.join(shipped) or 'none'}"
            + (
                f" (or an alias: {', '.join(f'{a} = {v}' for a, v in sorted(MODEL_ALIASES.items()))})."
                if MODEL_ALIASES
                else "."
            )
        )
    return folder


def artifact_kind(manifest: dict[str, Any]) -> str:
    return str(manifest.get("kind") or NGRAM_KIND)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a model folder, after every checksum was verified."""
    verify_checksums(folder)
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def read_artifact(
    folder: Path, *, kind: str, format: int, train_command: str
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, weight arrays) of a model folder: checksums verified first, then the manifest's
    kind and format checked against what the caller reads. Arrays load without pickle: no code runs."""
    manifest = read_manifest(folder)
    found = artifact_kind(manifest)
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
