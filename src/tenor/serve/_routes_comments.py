"""The scoring endpoints: Perspective's `comments:analyze` and tenor's `comments:batchAnalyze`.

Where each comment is scored: validation and routing (a language detection, cached for the
scorer's second look) run on the event loop. A comment for a slow engine (`is_slow`: its
EngineInfo.cost_ms is tens of milliseconds) is then scored one call at a time on a thread of that
engine's own (one per core for an engine whose calls may run side by side: EngineInfo.
concurrent_calls), never on the event loop, so comments for a cheap engine keep their
sub-millisecond path; any other engine would serialise its calls anyway. A comment for a cheap engine is scored on the
loop itself, unless it asks for sentence spans (a pass per sentence) or the server stores requests
(a database write): those go to the shared thread pool, as every batch does.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .._machine import usable_cores
from ..engines import Engine
from ._analyze import AnalyzeRequest, answer, is_slow, parse_analyze, stored_request
from ._batch import BatchRequest, batch_analyze
from ._http import GoogleJSONResponse, error_json
from ._openapi import BATCH_PATH
from ._service import Service

__all__ = ["ANALYZE_PATH", "comments_router"]

ANALYZE_PATH = "/v1alpha1/comments:analyze"


def _pool_for(engine: Engine) -> ThreadPoolExecutor:
    """The threads that score a slow engine's requests: one per core where its calls may run side
    by side (the transformer: 70 -> 135 comments/s on 2 cores, one comment per call), else one."""
    threads = usable_cores() if engine.info.concurrent_calls else 1
    return ThreadPoolExecutor(threads, thread_name_prefix=f"tenor-{engine.info.kind}")


class _Comments:
    """Scoring and storing, with a thread pool per slow engine (by version)."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.pools = {
            engine.info.version: _pool_for(engine) for engine in service.scorer.engines if is_slow(engine)
        }

    def analyze_and_store(self, body: dict[str, Any], parsed: AnalyzeRequest) -> dict[str, Any]:
        service = self.service
        response = answer(service.scorer, parsed)
        if service.options.store_requests:
            record = stored_request(body, response)
            if record is not None:
                service.store.add_request(
                    model_version=response.get("modelVersion", service.version), **record
                )
        return response

    async def reply(self, body: dict[str, Any], parsed: AnalyzeRequest) -> Response:
        """The analyze response, scored where the module docstring says."""
        if parsed.plan.offload is not None:
            run = partial(self.analyze_and_store, body, parsed)
            reply = await asyncio.get_running_loop().run_in_executor(self.pools[parsed.plan.offload], run)
            # the header names the model that scored this reply (the middleware keeps it)
            version = reply.get("modelVersion", self.service.version)
            return GoogleJSONResponse(reply, headers={"X-Tenor-Model-Version": version})
        # A cheap engine on the event loop: a comment takes ~0.5 ms (8 ms at the 20,480-byte limit),
        # less than the thread-pool hand-off and the GIL contention it causes (p99 at 10
        # connections 50 -> 15 ms).
        if not parsed.span_annotations and not self.service.options.store_requests:
            return GoogleJSONResponse(self.analyze_and_store(body, parsed))
        return GoogleJSONResponse(await run_in_threadpool(self.analyze_and_store, body, parsed))

    def batch_and_store(self, batch: BatchRequest) -> dict[str, Any]:
        service = self.service
        response, scored = batch_analyze(service.scorer, batch)
        if service.options.store_requests and not batch.do_not_store:
            for text, item in scored:
                service.store.add_request(
                    model_version=item.get("modelVersion", service.version), text=text,
                    requested_attributes=list(batch.requested),
                    attribute_scores=item.get("attributeScores"), languages=item.get("languages"),
                )  # fmt: skip
        return response


def comments_router(service: Service) -> APIRouter:
    router = APIRouter()
    comments = _Comments(service)
    access = service.access

    @router.post(ANALYZE_PATH)
    async def comments_analyze(request: Request) -> Response:
        access.metered(request)
        body = await service.body(request)
        try:
            return await comments.reply(body, parse_analyze(service.scorer, body))
        except Exception as error:  # noqa: BLE001 (InputError -> 400 in Google's shape, else 500)
            return error_json(error)

    @router.post(BATCH_PATH)
    async def comments_batch_analyze(request: Request) -> Response:
        # A batch of N comments costs N analyze requests: one now, before the body is read (as for
        # analyze), and N - 1 once the body says N. A batch refused there still cost its first one.
        consumer = access.metered(request)
        body = await service.body(request)
        try:
            batch = BatchRequest(body)
            access.batch_quota(request, consumer, len(batch.comments))
            return GoogleJSONResponse(await run_in_threadpool(comments.batch_and_store, batch))
        except Exception as error:  # noqa: BLE001 (InputError -> 400, HTTPError (429) as given)
            return error_json(error)

    return router
