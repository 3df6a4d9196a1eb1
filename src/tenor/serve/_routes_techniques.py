"""tenor's `articles:techniques` route: the checks of _techniques.py, the app's technique model,
the key, quota and error envelope of comments:analyze."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from fastapi import APIRouter, Request
from starlette.responses import Response

from ._analyze import request_languages
from ._http import GoogleJSONResponse, error_json
from ._service import Service
from ._techniques import ARTICLE_MAX_BYTES, TECHNIQUES_PATH, not_loaded, technique_request

__all__ = ["techniques_router"]


def techniques_router(service: Service) -> APIRouter:
    router = APIRouter()
    # An article takes far longer than a comment: one at a time, on a thread of their own, so a
    # burst of articles never holds the shared pool that comments:analyze (spans, storage) uses.
    pool = ThreadPoolExecutor(1, thread_name_prefix="tenor-techniques")

    @router.post(TECHNIQUES_PATH)
    async def articles_techniques(request: Request) -> Response:
        service.access.metered(request)
        techniques = service.techniques
        if techniques is None:
            raise not_loaded()
        body = await service.body(request)
        try:
            text, paragraphs = technique_request(body, ARTICLE_MAX_BYTES)
            languages = request_languages(body)  # declared: skips detection, as in comments:analyze
            find = partial(techniques.find, text, paragraphs=paragraphs, languages=languages)
            found = await asyncio.get_running_loop().run_in_executor(pool, find)
            return GoogleJSONResponse(found.to_dict())
        except Exception as error:  # noqa: BLE001 (InputError -> 400 in Google's shape, else 500)
            return error_json(error)

    return router
