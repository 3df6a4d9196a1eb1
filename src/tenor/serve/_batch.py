"""tenor's own `POST /tenor/v1/comments:batchAnalyze`: up to 100 comments scored in one call.

One request carries the options every comment shares (`requestedAttributes`, `spanAnnotations`,
`languages`, `doNotStore`, `dropUnsupportedAttributes`) and a list of `{"text": ..., "clientToken"?: ...}`.
The reply holds, in request order, one AnalyzeCommentResponse per comment, or `{"error": {...}}`
(Google's envelope, as `comments:analyze` would have answered that comment alone) for a comment that
cannot be scored. A bad comment never fails the batch; a bad shared option (an unknown attribute, a
malformed `languages`) or more than 100 comments is a 400 for the whole request.

Comments in several languages may share a batch: each is scored by the model for its language (its
`modelVersion` says which), and with `dropUnsupportedAttributes` each keeps the attributes its own
language supports (the English comments INSULT, say, the Spanish ones TOXICITY only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._errors import InputError, LanguageNotSupportedError
from .._perspective import analyze_response, error_response
from .._scorer import Scorer
from ._analyze import (
    _flag,
    _optional_string,
    _requested,
    comment_text,
    known_attributes,
    languages_only,
    plan_text,
    request_languages,
)

__all__ = ["MAX_BATCH_COMMENTS", "BatchRequest", "batch_analyze", "batch_comments"]

MAX_BATCH_COMMENTS = 100


class BatchRequest:
    """A batch body, validated at the request level: `comments` is the raw list (1..100 entries)."""

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.comments = batch_comments(body)
        self.requested = _requested(body)
        self.languages = request_languages(body)
        self.span_annotations = _flag(body, "spanAnnotations")
        self.do_not_store = _flag(body, "doNotStore")
        self.drop = _flag(body, "dropUnsupportedAttributes")


def batch_comments(body: Mapping[str, Any]) -> list[Any]:
    """`comments`, checked as a list of 1 to 100 entries (each entry is checked on its own later)."""
    comments = body.get("comments")
    if comments is None:
        raise InputError('comments must not be empty: send up to 100 objects such as {"text": "..."}.')
    if not isinstance(comments, list):
        raise InputError('Invalid value for comments: expected a list of objects such as {"text": "..."}.')
    if not comments:
        raise InputError('comments must not be empty: send up to 100 objects such as {"text": "..."}.')
    if len(comments) > MAX_BATCH_COMMENTS:
        raise InputError(
            f"Too many comments: {len(comments)}; a batch holds at most {MAX_BATCH_COMMENTS}. Split it."
        )
    return comments


def _item(entry: Any, max_bytes: int) -> tuple[str, str | None]:
    """(text, clientToken) of one comment; raises an InputError for this comment only."""
    if not isinstance(entry, Mapping):
        raise InputError('Invalid value for a comments entry: expected an object such as {"text": "..."}.')
    client_token = _optional_string(entry, "clientToken")
    return comment_text({"comment": entry}, max_bytes), client_token


def _error_item(error: Exception) -> dict[str, Any]:
    return error_response(error)[1]


def batch_analyze(
    scorer: Scorer, request: BatchRequest
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The batch response, and (text, item response) for every comment answered (for storage).

    Request-level errors (an unknown attribute) raise an InputError; per-comment errors become
    `{"error": ...}` entries. The scoreable comments go through one `Scorer.score_batch` call (one
    per set of attributes left, with dropUnsupportedAttributes), which routes each to its model."""
    requested = known_attributes(scorer, request.requested, request.drop)  # a typo fails the whole batch
    results: list[dict[str, Any] | None] = [None] * len(request.comments)
    scored: list[tuple[int, str, dict[str, Any]]] = []
    groups: dict[tuple[str, ...], list[tuple[int, str, str | None]]] = {}
    for i, entry in enumerate(request.comments):
        try:
            text, token = _item(entry, scorer.max_bytes)
            attributes = tuple(requested)
            if request.drop:
                plan = plan_text(scorer, text, requested, request.languages, drop=True, client_token=token)
                if plan.reply is not None:  # nothing left to score for this comment's language
                    results[i] = plan.reply
                    scored.append((i, text, plan.reply))
                    continue
                attributes = tuple(plan.attributes)
        except InputError as error:
            results[i] = _error_item(error)
            continue
        groups.setdefault(attributes, []).append((i, text, token))
    for attributes, pending in groups.items():
        wanted = {name: requested[name] for name in attributes}
        batch = scorer.score_batch(
            [text for _, text, _ in pending],
            attributes=list(attributes),
            sentence_scores=request.span_annotations,
            languages=request.languages,
        )
        for (i, text, token), result in zip(pending, batch, strict=True):
            try:
                if request.drop and isinstance(result.error, LanguageNotSupportedError):
                    item = languages_only(scorer, text, request.languages or result.error.languages, token)
                else:
                    item = analyze_response(
                        result,
                        requested=wanted,
                        span_annotations=request.span_annotations,
                        client_token=token,
                    )
            except InputError as error:
                results[i] = _error_item(error)
                continue
            results[i] = item
            scored.append((i, text, item))
    scored.sort(key=lambda entry: entry[0])  # request order, for storage
    return {"results": results, "modelVersion": scorer.model_version}, [
        (text, item) for _, text, item in scored
    ]
