"""`articles:techniques`, tenor's own endpoint: persuasion techniques in a news article
(SemEval-2023 Task 3 taxonomy, tenor.techniques). Request checking and the OpenAPI schemas, no
HTTP: _routes_techniques.py wires the route with the same key, quota and error envelope as
comments:analyze."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._errors import InputError
from .._perspective import google_error
from ..techniques import TECHNIQUES, TechniqueFinder
from ._analyze import checked_text
from ._http import HTTPError

__all__ = [
    "ARTICLE_MAX_BYTES",
    "TECHNIQUES_EXAMPLE",
    "TECHNIQUES_PATH",
    "TECHNIQUE_SCHEMAS",
    "TechniqueFinder",
    "not_loaded",
    "technique_request",
]

TECHNIQUES_PATH = "/v1alpha1/articles:techniques"
# A long feature runs to 60,000 characters; 256 KiB leaves room for any article and keeps one
# request well under a second of the technique thread (about 9 ms per 5,000 characters).
ARTICLE_MAX_BYTES = 256 * 1024


class ArticleEmptyError(InputError):
    # the errorTypes of comments (COMMENT_EMPTY, COMMENT_TOO_LONG), so clients that handle them
    # need nothing new; the messages name this request's field
    error_type = "COMMENT_EMPTY"

    def __init__(self) -> None:
        super().__init__('Article text must be non-empty: send {"text": "..."}.')


class ArticleTooLongError(InputError):
    error_type = "COMMENT_TOO_LONG"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"Article text was too many bytes. Value ({size}) exceeded limit ({limit})."
            " Send the article in parts (a few paragraphs each)."
        )


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _paragraphs(raw: Any, length: int) -> list[tuple[int, int]] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise InputError(
            'Invalid value for paragraphs: expected a non-empty list such as [{"begin": 0, "end": 120}];'
            " leave it out to take every non-empty line as a paragraph."
        )
    out: list[tuple[int, int]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping) or not _int(item.get("begin")) or not _int(item.get("end")):
            raise InputError(
                f'Invalid value for paragraphs[{i}]: expected {{"begin": integer, "end": integer}}.'
            )
        begin, end = item["begin"], item["end"]
        if not 0 <= begin < end <= length:
            raise InputError(
                f"Invalid value for paragraphs[{i}]: need 0 <= begin < end <= {length} (the text's length in"
                f" code points); got begin {begin}, end {end}."
            )
        if out and begin < out[-1][1]:
            raise InputError(
                f"Invalid value for paragraphs[{i}]: paragraphs must be sorted and must not overlap; it begins"
                f" at {begin}, before paragraphs[{i - 1}] ends ({out[-1][1]})."
            )
        out.append((begin, end))
    return out


def technique_request(body: Mapping[str, Any], max_bytes: int) -> tuple[str, list[tuple[int, int]] | None]:
    """(text, paragraphs or None) of a request body, checked; an InputError (400) says what is wrong."""
    text = checked_text(
        body.get("text"),
        "text",
        max_bytes,
        empty=ArticleEmptyError,
        too_long=ArticleTooLongError,
        expected="a string, the article's plain text",
    )
    return text, _paragraphs(body.get("paragraphs"), len(text))


def not_loaded() -> HTTPError:
    """501 UNIMPLEMENTED (Google's status for a method this server does not offer): the server
    runs without a technique model, which no retry will change."""
    detail = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "TECHNIQUES_NOT_LOADED",
        "domain": "tenor",
    }
    message = (
        "This server has no persuasion-technique model loaded (it was started with --no-techniques);"
        " restart `tenor serve` without --no-techniques to use articles:techniques."
    )
    return HTTPError(501, google_error(501, "UNIMPLEMENTED", message, [detail], reason="notImplemented"))


_OFFSET = {"type": "integer", "minimum": 0}

TECHNIQUE_SCHEMAS: dict[str, Any] = {
    "ArticleParagraph": {
        "type": "object",
        "description": "Code-point offsets into text, end exclusive.",
        "properties": {"begin": _OFFSET, "end": {"type": "integer", "minimum": 1}},
        "required": ["begin", "end"],
    },
    "ArticleTechniquesRequest": {
        "type": "object",
        "description": (
            "An article's plain text (non-empty, at most 262,144 UTF-8 bytes) and optionally its"
            " paragraphs: sorted, non-overlapping, 0 <= begin < end <= the text's length in code points."
            " Without paragraphs every non-empty line is one. Unknown fields are ignored."
        ),
        "properties": {
            "text": {"type": "string", "minLength": 1},
            "paragraphs": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ArticleParagraph"},
                "minItems": 1,
            },
            "languages": {
                "type": "array",
                "items": {"type": "string"},
                "description": 'The article\'s language (e.g. ["en"]): skips detection. Without it, an article'
                " detected in a language the model does not read is refused (LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE).",
            },
        },
        "required": ["text"],
    },
    "TechniqueSpan": {
        "type": "object",
        "description": "Words that use a technique. begin/end: code-point offsets into text (not UTF-16), end exclusive.",
        "properties": {
            "begin": _OFFSET,
            "end": _OFFSET,
            "technique": {"type": "string", "enum": list(TECHNIQUES)},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "required": ["begin", "end", "technique", "confidence"],
    },
    "ParagraphTechniques": {
        "type": "object",
        "description": "One paragraph (code-point offsets) and the techniques it uses, most confident first.",
        "properties": {
            "begin": _OFFSET,
            "end": _OFFSET,
            "techniques": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "technique": {"type": "string", "enum": list(TECHNIQUES)},
                        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                    "required": ["technique", "confidence"],
                },
            },
        },
        "required": ["begin", "end", "techniques"],
    },
    "ArticleTechniquesResponse": {
        "type": "object",
        "description": "Spans sorted by (begin, end, technique); every paragraph, in order, labelled or not.",
        "properties": {
            "model_version": {"type": "string"},
            "spans": {"type": "array", "items": {"$ref": "#/components/schemas/TechniqueSpan"}},
            "paragraphs": {"type": "array", "items": {"$ref": "#/components/schemas/ParagraphTechniques"}},
        },
        "required": ["model_version", "spans", "paragraphs"],
    },
}

TECHNIQUES_EXAMPLE = {
    "text": "Our brave nation will never surrender to these corrupt elites.\nEveryone knows they lie.",
    "paragraphs": [{"begin": 0, "end": 62}, {"begin": 63, "end": 87}],
}
