"""Perspective's `comments:suggestscore`: suggested scores, validated and kept in the store for
retraining (spec section 3). A key is checked as for analyze; no quota is counted."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .._language import detect_language
from ._analyze import validate_suggestion
from ._http import GoogleJSONResponse, error_json
from ._service import Service

__all__ = ["SUGGEST_PATH", "suggest", "suggest_router"]

SUGGEST_PATH = "/v1alpha1/comments:suggestscore"


def suggest(service: Service, body: dict[str, Any]) -> dict[str, Any]:
    """Store a SuggestCommentScoreRequest; its SuggestCommentScoreResponse. Raises InputError."""
    scorer = service.scorer
    fields = validate_suggestion(body, scorer.max_bytes)
    service.store.add(model_version=service.version, **fields)
    detected = detect_language(fields["text"], scorer.languages)[0]
    reply: dict[str, Any] = {}
    if fields["client_token"] is not None:
        reply["clientToken"] = fields["client_token"]
    reply["requestedLanguages"] = list(fields["languages"] or [])
    reply["detectedLanguages"] = [detected]
    return reply


def suggest_router(service: Service) -> APIRouter:
    router = APIRouter()

    @router.post(SUGGEST_PATH)
    async def comments_suggestscore(request: Request) -> Response:
        service.access.key(request)
        body = await service.body(request)
        try:
            return GoogleJSONResponse(await run_in_threadpool(suggest, service, body))
        except Exception as error:  # noqa: BLE001 (InputError -> 400 in Google's shape, else 500)
            return error_json(error)

    return router
