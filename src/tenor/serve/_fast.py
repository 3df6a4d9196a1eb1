"""A pure-ASGI replacement for the `@app.middleware("http")` header-and-access-log hook.

Starlette's `BaseHTTPMiddleware` (what `@app.middleware("http")` builds) runs every request
through an extra task, a memory stream and a re-wrapped Response; under load that costs a few
percent of a core. This middleware does the same two things on the raw ASGI messages: adds
`X-Tenor-Model-Version` to every HTTP response (unless the handler set it: a reply scored off
the event loop by a slow engine names that engine's model) and writes one access-log line per request
(method, path, status, milliseconds; never the query string, which may hold an API key, and
never a body, which holds comment text).

Wire-in (in `build_app`, instead of the `@app.middleware("http")` function):

    app.add_middleware(ModelVersionMiddleware, version=version, logger=access_log)
"""

from __future__ import annotations

import logging
import time
from typing import Any

__all__ = ["ModelVersionMiddleware"]

_HEADER = b"x-tenor-model-version"


class ModelVersionMiddleware:
    def __init__(self, app: Any, *, version: str, logger: logging.Logger) -> None:
        self.app = app
        self.header = (_HEADER, version.encode("latin-1"))
        self.version = version
        self.logger = logger

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        header = self.header

        async def send_with_header(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                if not any(h[0].lower() == _HEADER for h in headers):
                    headers.append(header)
                    message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            if self.logger.isEnabledFor(logging.INFO):
                method, path = scope.get("method", ""), scope.get("path", "")[:200]
                ms = round((time.perf_counter() - start) * 1000, 1)
                # the same fields ride on the record, for a JSON log formatter to emit as such
                self.logger.info(
                    "%s %s %d %.1fms",
                    method,
                    path,
                    status,
                    ms,
                    extra={
                        "http_method": method,
                        "http_path": path,
                        "http_status": status,
                        "duration_ms": ms,
                        "model_version": self.version,
                    },
                )
