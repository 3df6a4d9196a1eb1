"""HTTP plumbing shared by the endpoints: the JSON response class and Google's error bodies."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from .._errors import InputError
from .._perspective import ERROR_DETAIL_TYPE, error_response, google_error

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "GoogleJSONResponse",
    "HTTPError",
    "error_json",
    "invalid_json",
    "invalid_key",
    "missing_key",
    "not_found",
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

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body["error"]["message"])
        self.status = status
        self.body = body


def error_json(error: Exception) -> GoogleJSONResponse:
    """Any exception as Google's error envelope: InputError -> 400, HTTPError as given, else 500."""
    if isinstance(error, HTTPError):
        return GoogleJSONResponse(error.body, status_code=error.status)
    status, body = error_response(error)
    return GoogleJSONResponse(body, status_code=status)


def _invalid_request(message: str) -> HTTPError:
    detail = {"@type": ERROR_DETAIL_TYPE, "errorType": InputError.error_type}
    return HTTPError(400, google_error(400, "INVALID_ARGUMENT", message, [detail]))


def invalid_json(why: str) -> HTTPError:
    return _invalid_request(f"Invalid JSON payload received. {why}")


def too_large(limit: int) -> HTTPError:
    return _invalid_request(f"Request payload size exceeds the limit: {limit} bytes.")


def invalid_key() -> HTTPError:
    detail = {
        "@type": _ERROR_INFO,
        "reason": "API_KEY_INVALID",
        "domain": "googleapis.com",
        "metadata": {"service": _SERVICE},
    }
    return HTTPError(
        400, google_error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [detail])
    )


def missing_key() -> HTTPError:
    detail = {
        "@type": _ERROR_INFO,
        "reason": "CONSUMER_INVALID",
        "domain": "googleapis.com",
        "metadata": {"service": _SERVICE},
    }
    message = (
        "Method doesn't allow unregistered callers (callers without established identity)."
        " Please use API Key or other form of API consumer identity to call this API."
    )
    return HTTPError(403, google_error(403, "PERMISSION_DENIED", message, [detail], reason="forbidden"))


def not_found(path: str) -> HTTPError:
    detail = {"@type": _ERROR_INFO, "reason": "NOT_FOUND", "domain": "tenor", "metadata": {"path": path[:200]}}
    message = f"The requested URL {path[:200]} was not found on this server."
    return HTTPError(404, google_error(404, "NOT_FOUND", message, [detail], reason="notFound"))
