"""Reviewers' decisions under /ui: the list, and its export as CSV (safe to open in a
spreadsheet) or JSON."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.responses import Response

from ._context import UIContext
from ._export import decisions_csv

__all__ = ["decisions_router"]


def _attachment(filename: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{filename}"'}


def decisions_router(ui: UIContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    store = ui.store

    @router.get("/decisions")
    async def decisions(request: Request) -> Response:
        who = ui.reviewer(request)
        if who is None:
            return ui.login_redirect(request)
        return ui.page("decisions.html", who, decisions=store.decisions()[::-1])

    @router.get("/decisions.csv")
    async def decisions_as_csv(request: Request) -> Response:
        if ui.reviewer(request) is None:
            return ui.login_redirect(request)
        return Response(decisions_csv(store.decisions()), media_type="text/csv; charset=utf-8",
                        headers=_attachment("tenor-decisions.csv"))  # fmt: skip

    @router.get("/decisions.json")
    async def decisions_as_json(request: Request) -> Response:
        if ui.reviewer(request) is None:
            return ui.login_redirect(request)
        body = json.dumps(store.decisions(), ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json", headers=_attachment("tenor-decisions.json"))

    return router
