"""The FastAPI application: Perspective's endpoints over a Scorer, tenor's own (batches, article
techniques, the language table), /healthz and the review UI, each concern a router of its own
(_routes_*.py, ui/) over one shared Service (_service.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .._language import detect_language
from .._scorer import Scorer
from ._fast import ModelVersionMiddleware
from ._http import DEFAULT_MAX_BODY_BYTES, HTTPError, add_routes, error_json, not_found
from ._routes_comments import comments_router
from ._routes_discovery import add_openapi, discovery_router, health_router
from ._routes_suggest import suggest_router
from ._routes_techniques import techniques_router
from ._service import ServeOptions, Service
from ._techniques import TechniqueFinder

__all__ = ["ServeOptions", "build_app", "create_app", "warm"]

access_log = logging.getLogger("tenor.serve.access")
log = logging.getLogger("tenor.serve")


def create_app(
    scorer: Scorer | None = None,
    *,
    public_url: str | None = None,
    db_path: str | None = None,
    api_key: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    rate_limit_per_minute: int | None = None,
    rate_limit_window_s: float = 60.0,
    store_requests: bool = False,
    clock: Callable[[], float] = time.monotonic,
    ui: bool = True,
    import_dirs: Sequence[str | Path] = (),
    techniques: TechniqueFinder | None = None,
) -> FastAPI:
    """A Perspective-compatible ASGI app.

    `scorer`: defaults to the shipped model. `public_url`: the base URL clients reach this server
    at, put in the discovery document (default: taken from each request). `db_path`: the SQLite
    file for suggestions, API keys and stored requests (default ':memory:', lost on exit; `tenor
    serve` defaults to ./tenor.db). Keys: a Perspective call must carry a key when `api_key` is
    set or the database holds any active key (`tenor keys create`); either kind is accepted. With
    neither, no key is needed and any key sent is ignored. `rate_limit_per_minute`: analyze
    requests allowed per key (per client IP when keyless) in any `rate_limit_window_s` seconds
    (60 by default, Perspective's unit; 1 for a per-second quota), a batch of N comments
    (`/tenor/v1/comments:batchAnalyze`) counting as N; None (default) for no limit.
    `store_requests`: keep each analyze request (text, attributes, scores) unless it says
    `doNotStore`; off by default. `clock`: monotonic seconds for the rate limit (tests inject one).
    `ui`: the review UI under /ui (tenor.serve.ui), on the same store; `import_dirs`: server
    folders its reviewers may import page files from (none by default: upload only).
    `techniques`: a persuasion-technique model (tenor.techniques.load_technique_model()) for
    `articles:techniques` and for pages uploaded in the UI; None (default): that endpoint
    answers 501 and pages are stored without techniques.

    Each comment is scored by the scorer's engine for its language (`scorer.engine_for`;
    `Scorer(model, multilingual=False)` keeps a server to the default engine); a slow engine's
    comments one at a time on a thread of its own (_routes_comments.py). `GET /tenor/v1/languages`
    lists which attribute supports which language, and which model scores each language.
    """
    options = ServeOptions(
        public_url=public_url, db_path=db_path, api_key=api_key, max_body_bytes=max_body_bytes,
        rate_limit_per_minute=rate_limit_per_minute, rate_limit_window_s=rate_limit_window_s,
        store_requests=store_requests, clock=clock, ui=ui, import_dirs=import_dirs,
    )  # fmt: skip
    return build_app(scorer if scorer is not None else Scorer(), options, techniques)


def warm(scorer: Scorer) -> None:
    """Load now what would load on the first request, past Coral's 500 ms client timeout:
    py3langid's model (~0.35 s) and whatever each engine loads lazily (an encoder: 0.05 s on an
    idle machine, seconds on a busy one). An engine that cannot score is logged; it then answers
    its texts with that error."""
    detect_language(
        "This sentence is only here to load the language model before the first request.", scorer.languages
    )
    kinds = {engine.info.version: engine.info.kind for engine in scorer.engines}
    for version, error in scorer.warm().items():
        log.warning("the %s tier cannot score: %s", kinds[version], error)


def build_app(scorer: Scorer, options: ServeOptions, techniques: TechniqueFinder | None = None) -> FastAPI:
    """create_app, from its options as one value."""
    warm(scorer)
    service = Service.open(scorer, options, techniques)
    app = FastAPI(title="tenor", openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    add_openapi(app, service)
    app.state.scorer = scorer
    app.state.store = service.store
    app.state.techniques = techniques
    # One line per request: method, path, status, time; never the query or a body. Pure ASGI:
    # BaseHTTPMiddleware (@app.middleware) costs a task and a stream per request.
    app.add_middleware(ModelVersionMiddleware, version=scorer.model_version, logger=access_log)
    _add_error_handlers(app)
    for router in (comments_router, suggest_router, techniques_router, discovery_router):
        add_routes(app, router(service))
    if options.ui:
        from .ui import add_ui

        add_ui(app, service.store, scorer, [Path(d) for d in options.import_dirs], techniques)
    add_routes(app, health_router(service))
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Every error in Google's envelope: HTTPError as given, unknown paths and methods 404, the
    rest 500 (logged by type only: a message may quote comment text)."""

    async def http_error(request: Request, error: Exception) -> Response:
        return error_json(error)

    async def starlette_error(request: Request, error: Exception) -> Response:
        # Unknown paths and wrong methods: Google answers both with 404.
        return error_json(not_found(request.url.path))

    async def unexpected(request: Request, error: Exception) -> Response:
        log.error("internal error on %s: %s", request.url.path[:200], type(error).__name__)
        return error_json(error)

    app.add_exception_handler(HTTPError, http_error)
    app.add_exception_handler(StarletteHTTPException, starlette_error)
    app.add_exception_handler(Exception, unexpected)
