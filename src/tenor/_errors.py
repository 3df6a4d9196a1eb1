"""tenor's exceptions: one small tree, messages that say what to do next.

    TenorError
    ├── InputError                  the caller's input cannot be scored as given
    │   ├── EmptyTextError          COMMENT_EMPTY
    │   ├── TextTooLongError        COMMENT_TOO_LONG
    │   ├── UnknownAttributeError   an attribute this model does not score
    │   ├── NoRequestedAttributesError  NO_REQUESTED_ATTRIBUTES
    │   ├── ScoreTypeNotSupportedError  a scoreType other than PROBABILITY
    │   └── LanguageNotSupportedError
    ├── ModelError                  the model artifact cannot be used
    │   ├── ModelNotFoundError
    │   └── ModelIntegrityError     a file is missing, corrupt or altered
    ├── TrainingDataError           training data is missing or malformed
    ├── PageFormatError             a page file (HTML, XML, WARC, JSON, dump) cannot be read
    └── BatchError                  a `tenor batch` run cannot start or continue as asked

Every InputError carries `error_type`, the Perspective API errorType it maps to, and
`perspective_message`, the message Perspective itself would have sent (clients string-match it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "BatchError",
    "EmptyTextError",
    "InputError",
    "LanguageNotSupportedError",
    "MissingDependencyError",
    "ModelError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "NoRequestedAttributesError",
    "PageFormatError",
    "ScoreTypeNotSupportedError",
    "TenorError",
    "TextTooLongError",
    "TrainingDataError",
    "UnknownAttributeError",
]


class TenorError(Exception):
    """Base class of every error tenor raises on purpose."""


class InputError(TenorError):
    """The input cannot be scored as given; fix the input and retry."""

    error_type = "INVALID_REQUEST"

    @property
    def perspective_message(self) -> str:
        return str(self)


class EmptyTextError(InputError):
    error_type = "COMMENT_EMPTY"

    def __init__(self) -> None:
        super().__init__("Comment must be non-empty.")


class TextTooLongError(InputError):
    error_type = "COMMENT_TOO_LONG"

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"Comment text was too many bytes. Value ({size}) exceeded limit ({limit})."
            " Split the text or score its paragraphs one by one."
        )

    @property
    def perspective_message(self) -> str:
        return f"Comment text was too many bytes. Value ({self.size}) exceeded limit ({self.limit})."


class UnknownAttributeError(InputError):
    def __init__(self, attribute: str, supported: Sequence[str], reason: str | None = None) -> None:
        self.attribute = attribute
        self.supported = tuple(supported)
        why = f" It is not supported: {reason}." if reason else ""
        super().__init__(
            f"Unknown requested attribute: {attribute}.{why} This model scores: {', '.join(self.supported)}."
        )

    @property
    def perspective_message(self) -> str:
        return f"Unknown requested attribute: {self.attribute}"


class NoRequestedAttributesError(InputError):
    error_type = "NO_REQUESTED_ATTRIBUTES"

    def __init__(self, supported: Sequence[str] = ()) -> None:
        self.supported = tuple(supported)
        hint = f": ask for at least one of {', '.join(self.supported)}" if self.supported else ""
        super().__init__(f"No attributes requested{hint}.")

    @property
    def perspective_message(self) -> str:
        return "Missing requested_attributes"


class ScoreTypeNotSupportedError(InputError):
    def __init__(self, score_type: str, attribute: str) -> None:
        self.score_type = score_type
        self.attribute = attribute
        super().__init__(
            f"Requested score type {score_type} is not supported by attribute {attribute}."
            " tenor returns PROBABILITY scores only: leave scoreType out or set it to PROBABILITY."
        )

    @property
    def perspective_message(self) -> str:
        return f"Requested score type {self.score_type} is not supported by attribute {self.attribute}"


class LanguageNotSupportedError(InputError):
    error_type = "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"

    def __init__(
        self,
        attribute: str,
        languages: Sequence[str],
        *,
        requested: bool,
        supported: Sequence[str] = ("en",),
        hint: str | None = None,
    ) -> None:
        self.attribute = attribute
        self.languages = tuple(languages)
        self.requested = requested
        how = "requested" if requested else "detected"
        advice = hint or (
            "If the text is in a supported language, pass it in languages (e.g. ['en']) to skip detection;"
            " with dropUnsupportedAttributes, attributes that do not support the language are left out."
        )
        super().__init__(
            f"Attribute {attribute} does not support request languages: {', '.join(self.languages)}"
            f" ({how}; supported: {', '.join(supported)}). {advice}"
        )

    @property
    def perspective_message(self) -> str:
        return f"Attribute {self.attribute} does not support request languages: {', '.join(self.languages)}"


class ModelError(TenorError):
    """The model artifact cannot be used."""


class ModelNotFoundError(ModelError):
    pass


class ModelIntegrityError(ModelError):
    pass


class TrainingDataError(TenorError):
    """Training data is missing or malformed."""


class PageFormatError(TenorError):
    """A page file cannot be read: the message names the file and the place in it."""

    def __init__(self, source: str, problem: str, where: str | None = None) -> None:
        self.source, self.problem, self.where = source, problem, where
        place = f"{source}, {where}" if where else source
        super().__init__(f"{place}: {problem}")


class MissingDependencyError(TenorError):
    """An optional package a feature needs is not installed (or installed without a part it
    imports); the message names the package and the pip command."""

    def __init__(self, package: str, extra: str, doing: str, detail: str = "") -> None:
        self.package, self.extra = package, extra
        why = f" ({detail})" if detail else ""
        super().__init__(
            f"{doing} needs {package}, which is not installed{why}: pip install 'tenor[{extra}]'"
        )


def import_optional(module: str, extra: str, doing: str) -> Any:
    """`importlib.import_module(module)`, with a missing package, or a package that imports a
    missing one (lxml >= 5.2 without lxml_html_clean under trafilatura), as MissingDependencyError."""
    import importlib
    import re

    try:
        return importlib.import_module(module)
    except ImportError as error:
        named = re.search(r"\b(lxml_html_clean|lxml\[html_clean\])", str(error))
        package = named.group(1) if named else (error.name or module).split(".")[0]
        raise MissingDependencyError(
            package, extra, doing, str(error).splitlines()[0] if named else ""
        ) from None


class BatchError(TenorError):
    """A `tenor batch` run cannot start or continue as asked (its inputs changed under a
    resumable run, the output exists, another run holds it); the message says what to do."""
