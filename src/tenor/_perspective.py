"""Perspective API wire format: library results in, the JSON dicts Google sent out.

Pure functions, no I/O, so the CLI's `--json` output and the HTTP service emit byte-for-byte
the same shapes. The field names, defaults and messages follow the compatibility spec
(shared/spec/perspective-api.md, sections 2 and 4); where a client depends on a quirk, the
comment next to it says which.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._errors import (
    InputError,
    LanguageNotSupportedError,
    NoRequestedAttributesError,
    ScoreTypeNotSupportedError,
)
from ._scorer import AttributeScore, ScoreResult

__all__ = [
    "ERROR_DETAIL_TYPE",
    "AttributeRequest",
    "analyze_response",
    "error_response",
    "google_error",
    "parse_requested_attributes",
    "utf16_length",
    "utf16_offset",
]

ERROR_DETAIL_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
_PROBABILITY = "PROBABILITY"
_UNSPECIFIED = "SCORE_TYPE_UNSPECIFIED"


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset of code-point `index` in `text`.

    Perspective's span offsets are UTF-16 units (what JavaScript and Java slice by), so an
    astral character such as an emoji counts 2. A lone surrogate (JSON can carry one) counts 1.
    """
    if index < 0 or index > len(text):
        raise IndexError(f"index {index} is outside the text (length {len(text)})")
    head = text[:index]
    if head.isascii():
        return index
    return len(head.encode("utf-16-le", errors="surrogatepass")) // 2


def utf16_length(text: str) -> int:
    return utf16_offset(text, len(text))


@dataclass(frozen=True, slots=True)
class AttributeRequest:
    """One entry of `requestedAttributes`, validated."""

    score_type: str = _PROBABILITY
    threshold: float | None = None


def _score_type(raw: Any, attribute: str) -> str:
    if raw is None or raw == "":
        return _PROBABILITY
    name = str(raw).strip().upper()  # n8n sends "probability" in lower case
    if name in (_PROBABILITY, _UNSPECIFIED):
        return _PROBABILITY
    raise ScoreTypeNotSupportedError(name, attribute)


def _threshold(raw: Any, attribute: str) -> float | None:
    if raw is None:
        return None
    # proto3 JSON accepts floats as numbers or numeric strings; bool is an int in Python, not here.
    value: float | None = None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw)
        except ValueError:
            value = None
    if value is None or math.isnan(value):
        raise InputError(
            f"Invalid value for requestedAttributes.{attribute}.scoreThreshold: {raw!r}; give a number in [0, 1]."
        )
    return value


def parse_requested_attributes(
    requested: Mapping[str, Mapping[str, Any] | None] | Sequence[str],
) -> dict[str, AttributeRequest]:
    """Validate `requestedAttributes` (or a plain list of names) into {ATTRIBUTE: AttributeRequest},
    in request order, names upper-cased. Raises an InputError the service can answer with.

    Whether an attribute exists is the scorer's call (`Scorer.resolve_attributes`), not this one's.
    """
    if isinstance(requested, str):
        requested = [requested]
    if not requested:
        raise NoRequestedAttributesError()
    out: dict[str, AttributeRequest] = {}
    if isinstance(requested, Mapping):
        for name, params in requested.items():
            attribute = str(name).strip().upper()
            params = params or {}
            if not isinstance(params, Mapping):
                raise InputError(
                    f"Invalid value for requestedAttributes.{attribute}: expected an object such as {{}}."
                )
            out[attribute] = AttributeRequest(
                _score_type(params.get("scoreType"), attribute),
                _threshold(params.get("scoreThreshold"), attribute),
            )
    else:
        for name in requested:
            out.setdefault(str(name).strip().upper(), AttributeRequest())
    return out


def _score(value: float, score_type: str) -> dict[str, Any]:
    # PyPerspective reads score["type"] without a default: always emit it.
    return {"value": value, "type": score_type}


def _span_scores(
    text: str, score: AttributeScore, request: AttributeRequest, span_annotations: bool
) -> list[dict[str, Any]]:
    # Every attribute carries spanScores, even without spanAnnotations: PyPerspective iterates
    # them unconditionally. Without sentence scores, one span covers the whole text.
    sentences = score.sentences if span_annotations else ()
    if not sentences:
        return [{"begin": 0, "end": utf16_length(text), "score": _score(score.value, request.score_type)}]
    return [
        {
            "begin": utf16_offset(text, span.begin),
            "end": utf16_offset(text, span.end),
            "score": _score(span.score, request.score_type),
        }
        for span in sentences
        if request.threshold is None or span.score >= request.threshold
    ]


def analyze_response(
    result: ScoreResult,
    *,
    requested: Mapping[str, Mapping[str, Any] | None] | Sequence[str],
    span_annotations: bool,
    client_token: str | None = None,
) -> dict[str, Any]:
    """The AnalyzeCommentResponse body for one scored text.

    `requested` is the request's `requestedAttributes` map (or a list of names); keys come out
    in its order. An attribute whose summary is below its `scoreThreshold` is left out, and so
    are its spans below it (kept at exactly the threshold); when nothing is left,
    `attributeScores` is omitted, as proto3 JSON drops empty maps. `modelVersion` is tenor's
    addition: clients ignore unknown fields, researchers need it to reproduce scores.

    A result that carries an error raises that error; answer it with `error_response`.
    """
    if result.error is not None:
        raise result.error
    attribute_scores: dict[str, Any] = {}
    for attribute, request in parse_requested_attributes(requested).items():
        score = result.scores.get(attribute)
        if score is None:
            raise ValueError(
                f"{attribute} was requested but the result has no score for it; score it first or "
                "leave it out of `requested`."
            )
        if request.threshold is not None and score.value < request.threshold:
            continue
        attribute_scores[attribute] = {
            "spanScores": _span_scores(result.text, score, request, span_annotations),
            "summaryScore": _score(score.value, request.score_type),
        }
    body: dict[str, Any] = {}
    if attribute_scores:
        body["attributeScores"] = attribute_scores
    # PyPerspective reads both language fields without a default: always emit them.
    body["languages"] = list(result.languages)
    body["detectedLanguages"] = list(result.detected_languages)
    if client_token is not None:
        body["clientToken"] = client_token
    body["modelVersion"] = result.model_version
    return body


def _error_body(
    code: int, status: str, message: str, reason: str, details: list[dict[str, Any]]
) -> dict[str, Any]:
    # `errors` is the old v1 shape Jigsaw's demo code read; cheap insurance beside `details`.
    return {
        "error": {
            "code": code,
            "message": message,
            "status": status,
            "details": details,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
        }
    }


def google_error(
    code: int, status: str, message: str, details: list[dict[str, Any]], *, reason: str = "badRequest"
) -> dict[str, Any]:
    """Google's error envelope for errors that are not tenor InputErrors (bad key, quota, 404).
    `details` must not be empty: PyPerspective reads `details[0]` on every error."""
    if not details:
        raise ValueError("details must hold at least one entry; clients read details[0].")
    return _error_body(code, status, message, reason, details)


def error_response(error: Exception) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) in Google's error envelope.

    Input errors are 400 INVALID_ARGUMENT with Perspective's own message, byte for byte
    (clients string-match it) and an `errorType` detail. Anything else is a 500 whose message
    reveals nothing about the server. `details` is never empty: PyPerspective reads
    `details[0]` on every error.
    """
    if isinstance(error, InputError):
        detail: dict[str, Any] = {"@type": ERROR_DETAIL_TYPE, "errorType": error.error_type}
        if isinstance(error, LanguageNotSupportedError):
            # Clients read either key to find what to drop and retry; which one Google filled
            # depended on whether the request named languages, so both carry the same list.
            detail["languageNotSupportedByAttributeError"] = {
                "detectedLanguages": list(error.languages),
                "requestedLanguages": list(error.languages),
                "attribute": error.attribute,
            }
        return 400, _error_body(400, "INVALID_ARGUMENT", error.perspective_message, "badRequest", [detail])
    detail = {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INTERNAL", "domain": "tenor"}
    return 500, _error_body(500, "INTERNAL", "Internal error encountered.", "backendError", [detail])
