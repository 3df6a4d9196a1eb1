"""Thresholds per community under /ui: a community's own threshold for an attribute replaces the
operating threshold of the model that scored a comment, for every model."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ._context import UIContext, form_float

__all__ = ["thresholds_router"]


def thresholds_router(ui: UIContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    store = ui.store
    default_version = ui.scorer.model_version

    @router.get("/thresholds")
    async def thresholds(request: Request) -> Response:
        who = ui.reviewer(request)
        if who is None:
            return ui.login_redirect(request)
        community = (request.query_params.get("community") or "default").strip() or "default"
        others = {v: t for v, t in ui.thresholds_by_model.items() if v != default_version}
        return ui.page("thresholds.html", who, community=community, communities=store.communities(),
                       model_thresholds=ui.thresholds, overrides=store.thresholds(community), attributes=ui.attributes,
                       other_models=others)  # fmt: skip

    @router.post("/thresholds")
    async def save_thresholds(request: Request) -> Response:
        signed = await ui.signed_in_form(request)
        if isinstance(signed, Response):
            return signed
        _, form = signed
        community = str(form.get("community", "")).strip() or "default"
        for attribute in ui.attributes:
            raw = str(form.get(attribute, "")).strip()
            store.set_threshold(community, attribute, form_float(raw) if raw else None)
        return RedirectResponse(f"/ui/thresholds?{urlencode({'community': community})}", status_code=303)

    return router
