"""`comments:analyze` and `comments:suggestscore` request handling, without HTTP: a parsed
JSON body in, a response body out (or an InputError raised). See the spec's sections 2 and 3."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._attributes import PERSPECTIVE_ATTRIBUTES
from .._errors import EmptyTextError, InputError, LanguageNotSupportedError, TextTooLongError
from .._language import detect_language, primary_subtag
from .._perspective import analyze_response, parse_requested_attributes
from .._scorer import Scorer
from ..engines import Engine

__all__ = [
    "KNOWN_ATTRIBUTES",
    "OFFLOAD_COST_MS",
    "AnalyzeRequest",
    "Plan",
    "analyze",
    "answer",
    "checked_text",
    "comment_text",
    "is_slow",
    "known_attributes",
    "languages_only",
    "parse_analyze",
    "plan_text",
    "request_languages",
    "stored_request",
    "validate_suggestion",
]

# Attribute names Perspective served (spec section 5). With dropUnsupportedAttributes, one of these
# that the model does not score is left out; any other name (a typo) is still an error.
KNOWN_ATTRIBUTES = frozenset(PERSPECTIVE_ATTRIBUTES) | frozenset(
    """FLIRTATION TOXICITY_EXPERIMENTAL SEVERE_TOXICITY_EXPERIMENTAL IDENTITY_ATTACK_EXPERIMENTAL
    INSULT_EXPERIMENTAL PROFANITY_EXPERIMENTAL THREAT_EXPERIMENTAL TOXICITY_FAST ATTACK_ON_AUTHOR
    ATTACK_ON_COMMENTER ATTACK_ON_PUBLISHER INCOHERENT INFLAMMATORY LIKELY_TO_REJECT OBSCENE SPAM
    UNSUBSTANTIAL OFF_TOPIC AFFINITY_EXPERIMENTAL COMPASSION_EXPERIMENTAL CURIOSITY_EXPERIMENTAL
    NUANCE_EXPERIMENTAL PERSONAL_STORY_EXPERIMENTAL REASONING_EXPERIMENTAL RESPECT_EXPERIMENTAL
    CONSTRUCTIVE_EXPERIMENTAL ALIENATION_EXPERIMENTAL FEARMONGERING_EXPERIMENTAL
    GENERALIZATION_EXPERIMENTAL MORAL_OUTRAGE_EXPERIMENTAL POWER_APPEAL_EXPERIMENTAL
    SCAPEGOATING_EXPERIMENTAL""".split()
)

_PLAIN_TYPES = frozenset({"", "PLAIN_TEXT", "TEXT_TYPE_UNSPECIFIED"})


def _flag(body: Mapping[str, Any], name: str) -> bool:
    value = body.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", ""):
        return value.strip().lower() == "true"
    raise InputError(f"Invalid value for {name}: {value!r}; expected true or false.")


def _optional_string(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"Invalid value for {name}: expected a string.")


def comment_text(body: Mapping[str, Any], max_bytes: int) -> str:
    """`comment.text`, checked: present, non-empty, PLAIN_TEXT, within the byte limit."""
    comment = body.get("comment")
    if comment is None:
        raise EmptyTextError()
    if not isinstance(comment, Mapping):
        raise InputError('Invalid value for comment: expected an object such as {"text": "..."}.')
    text_type = comment.get("type")
    if text_type is not None:
        name = str(text_type).strip().upper()
        if name == "HTML":
            raise InputError("Currently, only 'PLAIN_TEXT' comments are supported")
        if name not in _PLAIN_TYPES:
            raise InputError("Unknown text type")
    return checked_text(
        comment.get("text"), "comment.text", max_bytes, empty=EmptyTextError, too_long=TextTooLongError
    )


def checked_text(
    text: Any,
    name: str,
    max_bytes: int,
    *,
    empty: Callable[[], InputError],
    too_long: Callable[[int, int], InputError],
    expected: str = "a string",
) -> str:
    """A request's text field, checked: present, a string, not blank, valid UTF-8, within the
    byte limit. `empty` and `too_long` build the endpoint's own errors for those two cases."""
    if text is None:
        raise empty()
    if not isinstance(text, str):
        raise InputError(f"Invalid value for {name}: expected {expected}.")
    if not text.strip():
        raise empty()
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise InputError(f"Invalid value for {name}: it holds a lone UTF-16 surrogate.") from None
    if size > max_bytes:
        raise too_long(size, max_bytes)
    return text


def request_languages(body: Mapping[str, Any]) -> list[str] | None:
    """`languages`: None when absent or empty; a bare string (n8n sends one) is one language."""
    raw = body.get("languages")
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        raise InputError('Invalid value for languages: expected a list of language codes such as ["en"].')
    codes = [code.strip() for code in raw if code.strip()]
    return codes or None


def _check_context(body: Mapping[str, Any]) -> None:
    context = body.get("context")
    if isinstance(context, Mapping) and context.get("entries") and context.get("articleAndParentComment"):
        raise InputError(
            "Context can have either entries or article_and_parent_comment, but both fields were populated."
        )


def _requested(body: Mapping[str, Any]) -> dict[str, Any]:
    raw = body.get("requestedAttributes")
    if raw is None:
        raw = {}
    if isinstance(raw, list) and all(isinstance(name, str) for name in raw):
        raw = {name: {} for name in raw}
    if not isinstance(raw, Mapping):
        raise InputError(
            'Invalid value for requestedAttributes: expected an object such as {"TOXICITY": {}}.'
        )
    parse_requested_attributes(raw)  # validates: non-empty, scoreType, scoreThreshold
    return {str(name).strip().upper(): params for name, params in raw.items()}


# An engine whose comment costs more than this (EngineInfo.cost_ms, on one core) scores off the
# event loop, in a thread of its own; a cheaper one scores on the loop, where a comment costs less
# than the hand-off to a thread (the n-gram model: ~0.5 ms; the multilingual encoder: tens of ms).
OFFLOAD_COST_MS = 5.0


def is_slow(engine: Engine) -> bool:
    """Whether `engine` scores off the event loop (see OFFLOAD_COST_MS)."""
    return engine.info.cost_ms > OFFLOAD_COST_MS


@dataclass(frozen=True, slots=True)
class Plan:
    """What one text of a request gets, decided before any scoring (cheap: validation and a cached
    language detection). `attributes`: the requested attributes to score, in request order, after
    dropUnsupportedAttributes; empty means nothing is scored and `reply` is the whole answer (the
    languages-only reply). `offload`: the version of the slow engine (`is_slow`) that scores the
    text, which then runs off the event loop; None when a cheap one does (or nothing is scored)."""

    attributes: dict[str, Any]
    reply: dict[str, Any] | None = None
    offload: str | None = None


def _model_version_for(scorer: Scorer, used: Sequence[str]) -> str:
    """The version of the engine that scores text in `used` (the default engine's when none does)."""
    engine = scorer.engine_for(used)
    if {primary_subtag(code) for code in used} <= set(engine.info.all_languages):
        return engine.info.version
    return scorer.model_version


def _offload(engine: Engine) -> str | None:
    return engine.info.version if is_slow(engine) else None


def languages_only(
    scorer: Scorer,
    text: str,
    used: Sequence[str],
    client_token: str | None,
    detected: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The reply when every requested attribute was dropped: Perspective's languages and
    detectedLanguages (proto3 JSON drops the empty attributeScores map), and the version of the
    model that would have scored the text."""
    if detected is None:
        detected = (detect_language(text, scorer.languages)[0],)
    body: dict[str, Any] = {"languages": list(used), "detectedLanguages": list(detected)}
    if client_token is not None:
        body["clientToken"] = client_token
    body["modelVersion"] = _model_version_for(scorer, used)
    return body


def known_attributes(scorer: Scorer, requested: Mapping[str, Any], drop: bool) -> dict[str, Any]:
    """The request's attributes, checked: an unknown name (a typo) raises. With `drop`, a
    Perspective attribute that no model here scores (FLIRTATION, ...) is left out first."""
    if drop:
        requested = {
            name: params
            for name, params in requested.items()
            if name in scorer.attributes or name not in KNOWN_ATTRIBUTES
        }
    if requested:
        scorer.resolve_attributes(list(requested))
    return dict(requested)


def plan_text(
    scorer: Scorer,
    text: str,
    requested: Mapping[str, Any],
    languages: list[str] | None,
    *,
    drop: bool,
    client_token: str | None = None,
) -> Plan:
    """Which of `requested` (already through `known_attributes`) `text` is scored on, and by which
    model. With `drop`, an attribute that does not support the text's language (the request's
    `languages`, else the detected one) is left out. Without it nothing is dropped here: an
    unsupported attribute x language is the Scorer's LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE error."""
    if not drop and len(scorer.engines) == 1:  # one engine: the Scorer does all the checking
        return Plan(dict(requested), offload=_offload(scorer.default_engine))
    try:
        used, detected = scorer.languages_of(text, languages)
    except LanguageNotSupportedError as error:
        if not drop:  # the Scorer raises it again, naming the first requested attribute
            return Plan(dict(requested))
        return Plan({}, languages_only(scorer, text, languages or error.languages, client_token))
    supported = scorer.attributes_for(used)
    if drop:
        requested = {name: params for name, params in requested.items() if name in supported}
        if not requested:
            return Plan({}, languages_only(scorer, text, used, client_token, detected))
    # an attribute the language lacks fails before any engine is reached: no need to leave the loop
    offload = _offload(scorer.engine_for(used)) if all(name in supported for name in requested) else None
    return Plan(dict(requested), offload=offload)


@dataclass(frozen=True, slots=True)
class AnalyzeRequest:
    """A comments:analyze body, validated, with its plan (see `parse_analyze`)."""

    text: str
    plan: Plan
    languages: list[str] | None
    span_annotations: bool
    drop: bool
    client_token: str | None


def parse_analyze(scorer: Scorer, body: Mapping[str, Any]) -> AnalyzeRequest:
    """Validate a comments:analyze body and plan its scoring, without scoring (cheap enough for the
    event loop). Raises InputError for a bad request, as `analyze` would."""
    text = comment_text(body, scorer.max_bytes)  # first, so an empty body is COMMENT_EMPTY
    requested = _requested(body)
    _check_context(body)
    languages = request_languages(body)
    span_annotations = _flag(body, "spanAnnotations")
    drop = _flag(body, "dropUnsupportedAttributes")
    _flag(body, "doNotStore")  # validated here; see stored_request
    client_token = _optional_string(body, "clientToken")
    _optional_string(body, "sessionId")
    _optional_string(body, "communityId")
    requested = known_attributes(scorer, requested, drop)
    plan = plan_text(scorer, text, requested, languages, drop=drop, client_token=client_token)
    return AnalyzeRequest(text, plan, languages, span_annotations, drop, client_token)


def answer(scorer: Scorer, request: AnalyzeRequest) -> dict[str, Any]:
    """The AnalyzeCommentResponse for a parsed request (scores it); raises InputError."""
    plan = request.plan
    if plan.reply is not None:
        return dict(plan.reply)
    result = scorer.score_batch(
        [request.text],
        attributes=list(plan.attributes),
        sentence_scores=request.span_annotations,
        languages=request.languages,
    )[0]
    if request.drop and isinstance(result.error, LanguageNotSupportedError):
        # the union table said yes but the model that takes the text does not score that pair
        return languages_only(
            scorer, request.text, request.languages or result.error.languages, request.client_token
        )
    return analyze_response(
        result,
        requested=plan.attributes,
        span_annotations=request.span_annotations,
        client_token=request.client_token,
    )


def analyze(scorer: Scorer, body: Mapping[str, Any]) -> dict[str, Any]:
    """The AnalyzeCommentResponse for a parsed request body; raises InputError for a bad request."""
    return answer(scorer, parse_analyze(scorer, body))


def stored_request(body: Mapping[str, Any], response: Mapping[str, Any]) -> dict[str, Any] | None:
    """What `--store-requests` keeps of an analyze request that `analyze` answered, or None when
    the request asked for `doNotStore` (which always wins: spec section 7)."""
    if _flag(body, "doNotStore"):
        return None
    return {
        "text": body["comment"]["text"],
        "requested_attributes": list(_requested(body)),
        "attribute_scores": response.get("attributeScores"),
        "languages": response.get("languages"),
        "community_id": _optional_string(body, "communityId"),
        "session_id": _optional_string(body, "sessionId"),
    }


def _check_score(where: str, score: Any) -> None:
    if not isinstance(score, Mapping):
        raise InputError(f'Invalid value for {where}: expected an object such as {{"value": 0.5}}.')
    value = score.get("value", 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"Invalid value for {where}.value: expected a number.")
    kind = score.get("type")
    if kind is not None and str(kind).strip().upper() not in ("PROBABILITY", "SCORE_TYPE_UNSPECIFIED"):
        raise InputError(f"Requested score type {str(kind).upper()} is not supported for {where}.")


def validate_suggestion(body: Mapping[str, Any], max_bytes: int) -> dict[str, Any]:
    """The fields of a SuggestCommentScoreRequest worth keeping, validated (spec section 3)."""
    text = comment_text(body, max_bytes)
    _check_context(body)
    scores = body.get("attributeScores")
    if not isinstance(scores, Mapping) or not scores:
        raise InputError("attribute_scores must not be empty.")
    out: dict[str, Any] = {}
    for name, entry in scores.items():
        attribute = str(name).strip().upper()
        if not isinstance(entry, Mapping) or not entry:
            raise InputError(f"attribute_scores[{attribute}] must not be empty.")
        if "summaryScore" in entry:
            _check_score(f"attributeScores.{attribute}.summaryScore", entry["summaryScore"])
        spans = entry.get("spanScores", [])
        if not isinstance(spans, list):
            raise InputError(f"Invalid value for attributeScores.{attribute}.spanScores: expected a list.")
        for i, span in enumerate(spans):
            where = f"attributeScores.{attribute}.spanScores[{i}]"
            if not isinstance(span, Mapping) or not all(
                isinstance(span.get(k), int) and not isinstance(span.get(k), bool) for k in ("begin", "end")
            ):
                raise InputError(f"{where} must have both begin and end.")
            _check_score(f"{where}.score", span.get("score", {}))
        out[attribute] = dict(entry)
    return {
        "text": text,
        "attribute_scores": out,
        "context": body.get("context"),
        "languages": request_languages(body),
        "community_id": _optional_string(body, "communityId"),
        "client_token": _optional_string(body, "clientToken"),
        "session_id": _optional_string(body, "sessionId"),
    }
