"""What a Scorer is built from and checks first: the engines to attach (the default one and its
companions, by version name, folder, Engine or loaded model), the text check every engine relies
on, and the request's language codes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ._artifact import model_folder, read_manifest
from ._attributes import MAX_TEXT_BYTES
from ._errors import EmptyTextError, InputError, ModelError, TextTooLongError
from .engines import DEFAULT_MODEL, Engine, as_engine, companions, load_engine

__all__ = ["as_default_engine", "check_text", "companion_engines", "requested_languages", "shipped_languages"]


@cache
def shipped_languages(version: str) -> frozenset[str]:
    """The languages a shipped model declares (its manifest reads without the model's runtime)."""
    try:
        declared = read_manifest(model_folder(version)).get("languages", ())
    except ModelError:
        return frozenset()
    if isinstance(declared, dict):  # attribute -> languages
        return frozenset(lang for langs in declared.values() for lang in langs)
    return frozenset(declared)


def requested_languages(languages: Sequence[str] | str | None) -> tuple[str, ...]:
    """Requested codes as given (Perspective echoes them); support is checked on the primary subtag."""
    if isinstance(languages, str):
        languages = [languages]
    for code in languages or ():
        if not isinstance(code, str):
            raise InputError(f"Language codes must be strings such as 'en' or 'pt-BR', got {code!r}.")
    return tuple(code.strip() for code in languages or () if code.strip())


def check_text(text: object, max_bytes: int = MAX_TEXT_BYTES) -> None:
    """Raise the InputError that says why `text` cannot be scored: not a string, empty, not
    valid Unicode, or over `max_bytes` UTF-8 bytes."""
    if not isinstance(text, str):
        raise InputError(f"Expected text as a string, got {type(text).__name__}.")
    if not text.strip():
        raise EmptyTextError()
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise InputError(
            f"Text is not valid Unicode: it holds a lone surrogate at position {error.start}."
            " Decode the input as UTF-8 (JSON surrogate pairs must come in pairs) and retry."
        ) from error
    if size > max_bytes:
        raise TextTooLongError(size, max_bytes)


def as_default_engine(model: str | Path | object | None) -> Engine:
    """An engine from a version name or folder (loaded by its kind), an Engine, or a loaded model
    that an engine package registered an adapter for (an n-gram Model, a MultilingualModel)."""
    if model is None or isinstance(model, (str, Path)):
        return load_engine(DEFAULT_MODEL if model is None else model)
    return as_engine(model)


def companion_engines(multilingual: str | Path | object | bool | None) -> list[Engine]:
    """None: every registered companion whose runtime is installed; True: all of them (an error
    when one cannot be used); False: none; a version name, folder or Engine: that one."""
    if multilingual is False:
        return []
    if isinstance(multilingual, (str, Path)):
        # a companion named by version or folder: its error names the companion's kind
        kind = companions()[0] if companions() else None
        return [load_engine(
            multilingual, noun=f"{kind.kind} model" if kind else "model",
            train_command=kind.train_command if kind else "tenor train",
        )]  # fmt: skip
    if multilingual is not None and multilingual is not True:
        return [as_engine(multilingual)]
    out = []
    for companion in companions():
        if companion.available():
            out.append(load_engine(companion.default_version))
        elif multilingual is True:
            raise ModelError(
                f"The {companion.kind} tier needs its {companion.runtime}: {companion.install_hint}."
            )
    return out
