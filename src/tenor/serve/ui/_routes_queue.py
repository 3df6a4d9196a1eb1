"""The review queue under /ui: comments over a threshold across pages (the rules are _queue's),
and a reviewer's decision on one, which also feeds the suggestscore store."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ...analyze._view import highlight_segments
from ._context import UIContext, form_float, form_int, safe_next
from ._queue import STATUSES, QueueFilter, review_queue

__all__ = ["QUEUE_PAGE", "queue_router"]

QUEUE_PAGE = 200  # queue items on one page: decide them and the next ones come up
_ACTIONS = ("approve", "reject", "flag")


def _queue_filter(ui: UIContext, request: Request) -> QueueFilter:
    q = request.query_params
    attribute = (q.get("attribute") or "").upper()
    status = q.get("status") or "open"
    return QueueFilter(
        attribute=attribute if attribute in ui.attributes else None, threshold=form_float(q.get("threshold")),
        page_id=form_int(q.get("page")), author=(q.get("author") or "").strip() or None,
        since=(q.get("since") or "")[:10] or None, until=(q.get("until") or "")[:10] or None,
        status=status if status in STATUSES else "open",
    )  # fmt: skip


def _queue_page(ui: UIContext, request: Request, who: dict[str, Any]) -> Response:
    store = ui.store
    f = _queue_filter(ui, request)
    items = review_queue(store.review_candidates(), store.latest_decisions(), ui.thresholds_for, f)
    shown = [
        replace(item, comment={**item.comment, "segments": highlight_segments(item.comment["comment_text"], item.comment["spans"])})
        for item in items[:QUEUE_PAGE]
    ]  # fmt: skip
    here = "/ui/queue" + (f"?{request.url.query}" if request.url.query else "")
    return ui.page("queue.html", who, items=shown, total=len(items), f=f, here=here,
                   attributes=ui.attributes, statuses=STATUSES, pages=store.page_summaries())  # fmt: skip


def _record_decision(
    ui: UIContext, who: dict[str, Any], form: Any, comment_id: int, comment: dict[str, Any], action: str
) -> None:
    store = ui.store
    named = str(form.get("attribute", "")).upper()
    attribute = named if named in ui.attributes else None
    scores = comment["attribute_scores"] or {}
    suggestion_id = None
    if attribute is not None and action != "flag":
        # A reviewer's verdict is a label for retraining: the suggestscore store keeps it.
        found = store.page(comment["page_id"])
        suggestion_id = store.add(
            text=comment["comment_text"], model_version=comment["model_version"], client_token=f"tenor-ui-decision:{comment_id}",
            attribute_scores={attribute: {"summaryScore": {"value": 1.0 if action == "reject" else 0.0}}},
            community_id=found["community"] if found else None, session_id=f"reviewer:{who['username']}",
        )  # fmt: skip
    store.add_decision(
        page_comment_id=comment_id, reviewer_id=who["reviewer_id"], action=action,
        note=str(form.get("note", ""))[:2000], attribute=attribute,
        score=scores.get(attribute) if attribute else None, suggestion_id=suggestion_id,
        model_version=comment["model_version"],  # the model whose score the reviewer judged
    )  # fmt: skip


def queue_router(ui: UIContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/queue")
    async def queue(request: Request) -> Response:
        who = ui.reviewer(request)
        if who is None:
            return ui.login_redirect(request)
        return _queue_page(ui, request, who)

    @router.post("/comments/{comment_id}/decision")
    async def decide(request: Request, comment_id: int) -> Response:
        signed = await ui.signed_in_form(request)
        if isinstance(signed, Response):
            return signed
        who, form = signed
        action = str(form.get("action", ""))
        comment = ui.store.page_comment(comment_id)
        if comment is None or action not in _ACTIONS:
            return ui.page(
                "message.html", who, 400, title="Not recorded", message="Unknown comment or action."
            )
        _record_decision(ui, who, form, comment_id, comment, action)
        return RedirectResponse(safe_next(str(form.get("next", ""))), status_code=303)

    return router
