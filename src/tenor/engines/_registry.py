"""The engine registry: a model folder's manifest kind -> the loader that makes its Engine.

    register_engine("my-kind", load_my_engine)        # in the engine's package, or a test
    load_engine("path/to/folder")                      # dispatches on manifest.json's "kind"

Kinds may also be *companions*: engines that tenor.Scorer attaches beside the default one when
their runtime is installed (the multilingual engine, for the languages the default lacks).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._artifact import artifact_kind, model_folder, read_manifest
from .._errors import ModelError, ModelIntegrityError
from ._base import Engine

__all__ = [
    "Companion", "as_engine", "companions", "engine_kinds", "load_engine", "register_adapter", "register_companion", "register_engine",
]  # fmt: skip

Loader = Callable[[Path], Engine]

_LOADERS: dict[str, Loader] = {}


@dataclass(frozen=True)
class Companion:
    """An engine kind attached by default beside the default engine, when `available()`."""

    kind: str
    default_version: str  # the shipped model attached by default
    available: Callable[[], bool]  # its runtime is installed (checked without importing it)
    install_hint: str  # what to run when it is not, e.g. "pip install 'tenor[multilingual]'"
    runtime: str = "runtime"  # what its runtime is called in messages ("encoder")
    train_command: str = "tenor train"  # what makes a folder of its kind


_COMPANIONS: dict[str, Companion] = {}
_ADAPTERS: dict[type, Callable[[Any], Engine]] = {}


def register_engine(kind: str, loader: Loader) -> None:
    """Make `load_engine` read folders whose manifest has this kind with `loader(folder)`."""
    _LOADERS[kind] = loader


def register_adapter(model_type: type, wrap: Callable[[Any], Engine]) -> None:
    """Let `as_engine` accept a loaded model object of `model_type` (e.g. an n-gram Model)."""
    _ADAPTERS[model_type] = wrap


def as_engine(model: object) -> Engine:
    """`model` itself when it is an Engine, else its registered adapter's Engine around it."""
    if isinstance(model, Engine):
        return model
    for model_type, wrap in _ADAPTERS.items():
        if isinstance(model, model_type):
            return wrap(model)
    raise ModelError(
        f"{type(model).__name__} is not a tenor engine: pass an Engine, a model folder or a shipped version name."
    )


def register_companion(companion: Companion) -> None:
    _COMPANIONS[companion.kind] = companion


def engine_kinds() -> tuple[str, ...]:
    return tuple(sorted(_LOADERS))


def companions() -> tuple[Companion, ...]:
    return tuple(_COMPANIONS.values())


def _peek_kind(folder: Path) -> str:
    """The manifest's kind, read without hashing the folder (the loader verifies every checksum);
    a folder whose manifest cannot be read is verified here, which names what is wrong."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        read_manifest(folder)  # raises: missing or corrupt files
        raise
    if not isinstance(manifest, dict):
        raise ModelIntegrityError(
            f"{folder / 'manifest.json'} is not a JSON object: retrain with `tenor train`."
        )
    return artifact_kind(manifest)


def load_engine(
    name_or_path: str | Path, *, noun: str = "model", train_command: str = "tenor train"
) -> Engine:
    """The engine of a model folder (or shipped version name), checksums verified first.
    `noun` and `train_command` word the error for a name that is neither."""
    folder = model_folder(name_or_path, kind=noun, train_command=train_command)
    kind = _peek_kind(folder)
    loader = _LOADERS.get(kind)
    if loader is None:
        raise ModelIntegrityError(
            f"{folder} holds a model of kind {kind!r}, which no engine reads (known: {', '.join(engine_kinds())}): "
            "upgrade tenor, or install the package that registers that engine."
        )
    engine = loader(folder)
    if not isinstance(engine, Engine):
        raise ModelError(f"the loader for kind {kind!r} returned {type(engine).__name__}, not an Engine.")
    return engine
