"""The review UI's routes under /ui: server-rendered Jinja2 pages and plain HTML forms (no
script at all: everything works with JavaScript off). A thin shell over the store, the queue
rules (_queue) and the page import (_pages), one router per concern over a shared UIContext:
sign-in (_routes_auth), pages (_routes_pages), the queue and decisions on it (_routes_queue),
the decision list and its export (_routes_decisions), thresholds per community (_routes_thresholds)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import APIRouter

from ..._scorer import Scorer
from ...store import SuggestionStore
from .._http import add_routes
from .._techniques import TechniqueFinder
from ._context import UIContext
from ._routes_auth import auth_router
from ._routes_decisions import decisions_router
from ._routes_pages import pages_router
from ._routes_queue import queue_router
from ._routes_thresholds import thresholds_router

__all__ = ["ui_router"]


def ui_router(
    store: SuggestionStore,
    scorer: Scorer,
    import_dirs: Sequence[Path] = (),
    techniques: TechniqueFinder | None = None,
) -> APIRouter:
    router = APIRouter(prefix="/ui", include_in_schema=False)  # HTML, not part of the API document
    ui = UIContext(store, scorer, tuple(import_dirs), techniques)
    for routes in (auth_router, pages_router, queue_router, decisions_router, thresholds_router):
        add_routes(router, routes(ui))
    return router
