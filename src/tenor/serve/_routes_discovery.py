"""What a server says about itself: Google's discovery document (two paths), tenor's attribute x
language table, the OpenAPI document (/openapi.json, rendered at /docs) and /healthz."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import Response

from .. import __version__
from ._discovery import discovery_document, languages_document, root_url
from ._http import GoogleJSONResponse
from ._openapi import LANGUAGES_PATH, openapi_document
from ._service import Service

READY_PATH = "/readyz"
READY_TIMEOUT_S = 2.0

__all__ = ["DISCOVERY_PATHS", "add_openapi", "discovery_router", "health_router"]

DISCOVERY_PATHS = ("/$discovery/rest", "/discovery/v1/apis/commentanalyzer/v1alpha1/rest")


def add_openapi(app: FastAPI, service: Service) -> None:
    """/openapi.json is the hand-written document of _openapi.py (the handlers read raw JSON, so
    FastAPI could not derive their schemas); /docs renders it."""
    techniques = service.techniques
    document = openapi_document(
        service.version, __version__, techniques.version if techniques else None,
        [engine.info for engine in service.scorer.engines[1:]],
    )  # fmt: skip

    def openapi() -> dict[str, Any]:
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def discovery_router(service: Service) -> APIRouter:
    router = APIRouter()
    public_url = service.options.public_url

    async def discovery(request: Request) -> Response:
        service.access.key(request, required=False)  # a wrong key fails here too, as perspective.py expects
        root = root_url(public_url, request.url.scheme, request.headers)
        return GoogleJSONResponse(discovery_document(root))

    for path in DISCOVERY_PATHS:
        router.add_api_route(path, discovery, methods=["GET"])

    language_table = languages_document(service.scorer)

    @router.get(LANGUAGES_PATH)
    async def languages(request: Request) -> Response:
        service.access.key(request, required=False)  # as discovery: public, but a wrong key is refused
        return GoogleJSONResponse(language_table)

    return router


def health_router(service: Service) -> APIRouter:
    router = APIRouter()
    body = {
        "status": "ok",
        "modelVersion": service.version,
        "modelVersions": list(service.scorer.model_versions),
    }

    @router.get("/healthz")
    async def healthz() -> Response:
        """Liveness: the process answers. Never touches the database, so a database outage does
        not make an orchestrator restart servers that still score comments."""
        return GoogleJSONResponse(body)

    @router.get(READY_PATH)
    async def readyz() -> Response:
        """Readiness: the database answers a trivial query within READY_TIMEOUT_S (off the event
        loop: a hung database must not hang every other request). 503 with the reason if not."""
        try:
            await asyncio.wait_for(asyncio.to_thread(service.store.ping), READY_TIMEOUT_S)
        except TimeoutError:
            problem = f"no answer within {READY_TIMEOUT_S:g} s"
        except Exception as error:  # noqa: BLE001 (any database failure means "not ready")
            problem = f"{type(error).__name__}: {error}"
        else:
            return GoogleJSONResponse({**body, "status": "ready", "database": "ok"})
        return GoogleJSONResponse({**body, "status": "not ready", "database": problem}, status_code=503)

    return router
