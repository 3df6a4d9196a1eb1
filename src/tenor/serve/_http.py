"""HTTP plumbing shared by the endpoints: the JSON response class and Google's error bodies."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.responses import Response

from .._errors import InputError
from .._perspective import ERROR_DETAIL_TYPE, error_response, google_error

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "GoogleJSONResponse",
    "HTTPError",
    "add_routes",
    "error_json",
    "invalid_json",
    "invalid_key",
    "missing_key",
    "not_found",
    "quota_exceeded",
    "too_large",
]

# Google's front end refuses bodies over 10 MiB with this wording; Perspective allowed context
# entries of up to 1 MB each, so a smaller cap would refuse requests Google accepted.
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024

_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
_SERVICE = "commentanalyzer.googleapis.com"


class GoogleJSONResponse(Response):
    """JSON as Google sends it: `application/json; charset=UTF-8`. Non-ASCII is escaped, so a
    lone surrogate a client sent (JSON can carry one) is echoed back instead of failing to encode."""

    media_type = "application/json; charset=UTF-8"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


class HTTPError(Exception):
    """An error answered with a ready-made status and body (bad key, bad JSON, too large)."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(body["error"]["message"])
        self.status = status
        self.body = body
        self.headers = headers


def error_json(error: Exception) -> GoogleJSONResponse:
    """Any exception as Google's error envelope: InputError -> 400, HTTPError as given, else 500."""
    if isinstance(error, HTTPError):
        return GoogleJSONResponse(error.body, status_code=error.status, headers=error.headers)
    status, body = error_response(error)
    return GoogleJSONResponse(body, status_code=status)


def _invalid_request(message: str) -> HTTPError:
    detail = {"@type": ERROR_DETAIL_TYPE, "errorType": InputError.error_type}
    return HTTPError(400, google_error(400, "INVALID_ARGUMENT", message, [detail]))


def invalid_json(why: str) -> HTTPError:
    return _invalid_request(f"Invalid JSON payload received. {why}")


def too_large(limit: int) -> HTTPError:
    return _invalid_request(f"Request payload size exceeds the limit: {limit} bytes.")


def _error_info(reason: str) -> dict[str, Any]:
    return {
        "@type": _ERROR_INFO,
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": _SERVICE},
    }


def invalid_key() -> HTTPError:
    detail = _error_info("API_KEY_INVALID")
    return HTTPError(
        400,
        google_error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [detail]),
    )


def missing_key() -> HTTPError:
    detail = _error_info("CONSUMER_INVALID")
    message = (
        "Method doesn't allow unregistered callers (callers without established identity)."
        " Please use API Key or other form of API consumer identity to call this API."
    )
    return HTTPError(403, google_error(403, "PERMISSION_DENIED", message, [detail], reason="forbidden"))


def not_found(path: str) -> HTTPError:
    detail = {
        "@type": _ERROR_INFO,
        "reason": "NOT_FOUND",
        "domain": "tenor",
        "metadata": {"path": path[:200]},
    }
    message = f"The requested URL {path[:200]} was not found on this server."
    return HTTPError(404, google_error(404, "NOT_FOUND", message, [detail], reason="notFound"))


def quota_exceeded(consumer: str, limit: int, retry_after: int) -> HTTPError:
    """429 RESOURCE_EXHAUSTED as Google sent it (spec section 4.2, a 2022 capture): clients retry
    429s with backoff, and some read the ErrorInfo reason. Retry-After says when to come back."""
    metric = "Analysis requests (AnalyzeComment)"
    message = (
        f"Quota exceeded for quota metric '{metric}' and limit '{metric} per minute' of service"
        f" '{_SERVICE}' for consumer '{consumer}'."
    )
    details: list[dict[str, Any]] = [
        {
            "@type": _ERROR_INFO,
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "quota_limit_value": str(limit),
                "quota_limit": "AnalyzeRequestsPerMinutePerProject",
                "consumer": consumer,
                "service": _SERVICE,
                "quota_location": "global",
                "quota_metric": "CommentAnalyzerService/analyze_requests",
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [
                {
                    "description": "Request a higher quota limit: the operator of this tenor server sets it"
                    " with `tenor serve --rate-limit`.",
                    "url": "https://cloud.google.com/docs/quotas/help/request_increase",
                }
            ],
        },
    ]
    body = google_error(429, "RESOURCE_EXHAUSTED", message, details, reason="rateLimitExceeded")
    return HTTPError(429, body, headers={"Retry-After": str(retry_after)})


def add_routes(target: FastAPI | APIRouter, router: APIRouter) -> None:
    """Add the routes a concern's APIRouter declares to `target` (an app, or a router with a
    prefix) one by one, as `include_router` did before FastAPI 0.16x: `app.routes` then lists every
    route, and a request is matched by one flat scan, not a walk through nested routers (~15 µs
    a request, measured on FastAPI 0.165)."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"add_routes takes plain API routes, not {type(route).__name__}")
        target.add_api_route(
            route.path, route.endpoint, methods=sorted(route.methods or ()), name=route.name,
            include_in_schema=route.include_in_schema,
        )  # fmt: skip
