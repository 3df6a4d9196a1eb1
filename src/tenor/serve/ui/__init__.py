"""The review UI of `tenor serve`, under /ui: analyzed pages, their threads with scores and
marked words, a review queue across pages, decisions with notes (exported as CSV or JSON, and
fed to the suggestscore store), thresholds per community, reviewer sign-in.

Needs jinja2 and python-multipart (the `serve` extra). No script runs in these pages: the
Content-Security-Policy every /ui response carries forbids it, so injected markup stays inert.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..._scorer import Scorer
from ...store import SuggestionStore
from .._techniques import TechniqueFinder

__all__ = ["add_ui"]

_STATIC = Path(__file__).parent / "static"
_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]  # fmt: skip


class UISecurityHeaders:
    """Pure ASGI: adds the headers above to every /ui response (and no-store to the pages)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/ui"):
            await self.app(scope, receive, send)
            return
        static = path.startswith("/ui/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + _HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def add_ui(
    app: FastAPI,
    store: SuggestionStore,
    scorer: Scorer,
    import_dirs: Sequence[Path] = (),
    techniques: TechniqueFinder | None = None,
) -> None:
    from ._routes import ui_router

    app.include_router(ui_router(store, scorer, import_dirs, techniques))
    app.add_middleware(UISecurityHeaders)

    @app.get("/ui/static/tenor.css", include_in_schema=False)
    async def stylesheet() -> Response:
        return FileResponse(
            _STATIC / "tenor.css", media_type="text/css", headers={"cache-control": "max-age=3600"}
        )

    @app.get("/ui", include_in_schema=False)
    async def ui_root() -> Response:
        return RedirectResponse("/ui/", status_code=307)

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse("/ui/", status_code=307)
