"""What a server says about itself: Google's discovery document (two paths), tenor's attribute x
language table, the OpenAPI document (/openapi.json, rendered at /docs) and /healthz."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import Response

from .. import __version__
from ._discovery import discovery_document, languages_document, root_url
from ._http import GoogleJSONResponse
from ._openapi import LANGUAGES_PATH, openapi_document
from ._service import Service

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
        return GoogleJSONResponse(body)

    return router
