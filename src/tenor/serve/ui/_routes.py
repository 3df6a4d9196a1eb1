"""The review UI's routes under /ui: server-rendered Jinja2 pages and plain HTML forms (no
script at all: everything works with JavaScript off). A thin shell over the store, the queue
rules (_queue) and the page import (_pages)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..._errors import PageFormatError
from ..._scorer import Scorer
from ...analyze._view import highlight_segments
from ...store import SuggestionStore
from .._techniques import TechniqueFinder
from . import _auth
from ._export import decisions_csv
from ._pages import MAX_UPLOAD_BYTES, import_page_bytes, resolve_import_path, thread_view
from ._queue import STATUSES, QueueFilter, review_queue
from ._render import render
from ._techniques import technique_view

__all__ = ["ui_router"]

SESSION_COOKIE = "tenor_session"
LOGIN_CSRF_COOKIE = "tenor_login_csrf"
QUEUE_PAGE = 200  # queue items on one page: decide them and the next ones come up


def _safe_next(value: str | None) -> str:
    """Only a path inside the UI: never another site (an open redirect)."""
    if value and value.startswith("/ui/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ui/queue"


@functools.cache
def _unknown_name_hash() -> str:
    """What a password given with an unknown name is checked against: made once, not per login."""
    return _auth.hash_password(_auth.new_token())


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is None or 0.0 <= number <= 1.0 else None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def ui_router(
    store: SuggestionStore, scorer: Scorer, import_dirs: Sequence[Path] = (), techniques: TechniqueFinder | None = None
) -> APIRouter:
    router = APIRouter(prefix="/ui", include_in_schema=False)  # HTML, not part of the API document
    model = scorer.model
    # each model's own operating thresholds: a comment the multilingual tier scored is judged by
    # the tier's (its TOXICITY is calibrated on its own data), an English one by the English model's
    by_model = scorer.thresholds_by_model

    def thresholds_for(community: str, model_version: str | None = None) -> dict[str, float]:
        """The community's thresholds over those of the model that scored the comment."""
        return {**by_model.get(model_version or "", model.thresholds), **store.thresholds(community)}

    def reviewer(request: Request) -> dict[str, Any] | None:
        token = request.cookies.get(SESSION_COOKIE)
        return store.session(_auth.hash_token(token)) if token else None

    def login_redirect(request: Request) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:
            # a form sent after the session ended: come back to the page it was sent from (a
            # same-site Referer), not to its POST-only URL, which a GET would find missing
            referer = urlsplit(request.headers.get("referer", ""))
            same_site = referer.netloc == request.url.netloc
            target = _safe_next(referer.path + (f"?{referer.query}" if referer.query else "")) if same_site else "/ui/"
        return RedirectResponse(f"/ui/login?{urlencode({'next': target})}", status_code=303)

    def page(request: Request, template: str, who: dict[str, Any] | None, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(render(template, reviewer=who, csrf=who["csrf_token"] if who else None, **context), status_code=status)

    async def checked_form(request: Request, who: dict[str, Any]) -> Any:
        form = await request.form()
        if not _auth.constant_time_equal(str(form.get("csrf", "")), who["csrf_token"]):
            raise PermissionError
        return form

    async def signed_in_form(request: Request) -> tuple[dict[str, Any], Any] | Response:
        """The reviewer and the form of a POST, or the response that refuses it (sign in; 403)."""
        who = reviewer(request)
        if who is None:
            return login_redirect(request)
        try:
            return who, await checked_form(request, who)
        except PermissionError:
            return forbidden(who)

    def forbidden(who: dict[str, Any] | None) -> HTMLResponse:
        return HTMLResponse(
            render("message.html", reviewer=who, csrf=None, title="Form expired",
                   message="This form is out of date or came from another site. Go back, reload the page and try again."),
            status_code=403,
        )  # fmt: skip

    # --- sign in / out ---------------------------------------------------------------------

    def login_page(request: Request, status: int, **context: Any) -> Response:
        """The sign-in form with a fresh double-submit CSRF token, in the form and in a cookie."""
        token = _auth.new_token()
        response = page(request, "login.html", None, status, login_csrf=token, **context)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/ui", secure=request.url.scheme == "https")
        return response

    @router.get("/login")
    async def login_form(request: Request) -> Response:
        return login_page(request, 200, next=_safe_next(request.query_params.get("next")))

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        target = _safe_next(str(form.get("next", "")))
        if not _auth.constant_time_equal(str(form.get("csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE)):
            return forbidden(None)
        username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
        account = store.reviewer(username) if username else None
        # an unknown name costs one hash check too, as a known one does, so timing does not tell names apart
        ok = await run_in_threadpool(_auth.check_password, password, account["password_hash"] if account else _unknown_name_hash())
        if account is None or not ok or account["disabled_at"] is not None:
            return login_page(request, 401, next=target, error="Wrong user name or password.")
        token = _auth.new_token()
        store.add_session(_auth.hash_token(token), account["id"], _auth.new_token(), _auth.session_expiry())
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token, max_age=_auth.SESSION_HOURS * 3600, httponly=True, samesite="strict", path="/ui",
            secure=request.url.scheme == "https",
        )  # fmt: skip
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/ui")
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        who = reviewer(request)
        if who is not None:
            try:
                await checked_form(request, who)
            except PermissionError:
                return forbidden(who)
            store.end_session(_auth.hash_token(request.cookies[SESSION_COOKIE]))
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/ui")
        return response

    # --- pages ------------------------------------------------------------------------------

    @router.get("/")
    async def pages_list(request: Request) -> Response:
        who = reviewer(request)
        if who is None:
            return login_redirect(request)
        return page(request, "pages.html", who, pages=store.page_summaries(), import_dirs=[str(d) for d in import_dirs])

    @router.post("/pages")
    async def upload(request: Request) -> Response:
        try:
            return await upload_page(request)
        finally:
            await request.close()  # the uploaded file's spooled temporary file, on every path

    async def upload_page(request: Request) -> Response:
        who = reviewer(request)
        if who is None:
            return login_redirect(request)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + 65536:
            return page(request, "pages.html", who, 413, pages=store.page_summaries(), import_dirs=[str(d) for d in import_dirs],
                        error=f"That file is over the {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB upload limit; use `tenor analyze` for it.")  # fmt: skip
        try:
            form = await checked_form(request, who)
        except PermissionError:
            return forbidden(who)
        community = str(form.get("community", "")).strip() or "default"
        upload_file, server_path = form.get("file"), str(form.get("path", "")).strip()
        try:
            if server_path:
                path = resolve_import_path(server_path, import_dirs)
                data, name = await run_in_threadpool(path.read_bytes), str(path)
            elif upload_file is not None and hasattr(upload_file, "read"):
                data, name = await upload_file.read(MAX_UPLOAD_BYTES + 1), Path(upload_file.filename or "upload").name
                if len(data) > MAX_UPLOAD_BYTES:
                    raise PageFormatError(name, f"is over the {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB upload limit; use `tenor analyze` for it")
            else:
                raise PageFormatError("upload", "choose a page file, or give a path on the server")
            ids = await run_in_threadpool(import_page_bytes, store, scorer, data, name, community, None, techniques)
        except PageFormatError as e:
            await form.close()
            return page(request, "pages.html", who, 400, pages=store.page_summaries(), import_dirs=[str(d) for d in import_dirs], error=str(e))
        await form.close()  # the upload's spooled temporary file
        return RedirectResponse(f"/ui/pages/{ids[0]}" if len(ids) == 1 else "/ui/", status_code=303)

    @router.get("/pages/{page_id}")
    async def page_view(request: Request, page_id: int) -> Response:
        who = reviewer(request)
        if who is None:
            return login_redirect(request)
        found = store.page(page_id)
        if found is None:
            return page(request, "message.html", who, 404, title="No such page", message=f"There is no page {page_id}.")
        comments = [
            {**c, "thresholds": thresholds_for(found["community"], c["model_version"])} for c in store.page_comments(page_id)
        ]
        paragraphs = [p for p in found["article_text"].split("\n\n") if p.strip()]
        versions = store.model_versions(page_id) or [found["model_version"]]
        return page(
            request, "page.html", who, p=found, paragraphs=paragraphs, tq=technique_view(found["article_text"], found["techniques"]),
            tree=thread_view(comments), model_versions=versions,
            count=len(comments),
            decisions={d_id: d for d_id, d in store.latest_decisions(page_id).items()}, attributes=model.attributes,
        )  # fmt: skip

    # --- the review queue -------------------------------------------------------------------

    def queue_filter(request: Request) -> QueueFilter:
        q = request.query_params
        attribute = (q.get("attribute") or "").upper()
        status = q.get("status") or "open"
        return QueueFilter(
            attribute=attribute if attribute in model.attributes else None, threshold=_float(q.get("threshold")),
            page_id=_int(q.get("page")), author=(q.get("author") or "").strip() or None,
            since=(q.get("since") or "")[:10] or None, until=(q.get("until") or "")[:10] or None,
            status=status if status in STATUSES else "open",
        )  # fmt: skip

    @router.get("/queue")
    async def queue(request: Request) -> Response:
        who = reviewer(request)
        if who is None:
            return login_redirect(request)
        f = queue_filter(request)
        items = review_queue(store.review_candidates(), store.latest_decisions(), thresholds_for, f)
        shown = [
            replace(item, comment={**item.comment, "segments": highlight_segments(item.comment["comment_text"], item.comment["spans"])})
            for item in items[:QUEUE_PAGE]
        ]  # fmt: skip
        here = "/ui/queue" + (f"?{request.url.query}" if request.url.query else "")
        return page(request, "queue.html", who, items=shown, total=len(items), f=f, here=here,
                    attributes=model.attributes, statuses=STATUSES, pages=store.page_summaries())  # fmt: skip

    @router.post("/comments/{comment_id}/decision")
    async def decide(request: Request, comment_id: int) -> Response:
        signed = await signed_in_form(request)
        if isinstance(signed, Response):
            return signed
        who, form = signed
        action = str(form.get("action", ""))
        comment = store.page_comment(comment_id)
        if comment is None or action not in ("approve", "reject", "flag"):
            return page(request, "message.html", who, 400, title="Not recorded", message="Unknown comment or action.")
        attribute = str(form.get("attribute", "")).upper()
        attribute = attribute if attribute in model.attributes else None
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
        return RedirectResponse(_safe_next(str(form.get("next", ""))), status_code=303)

    # --- decisions and their export ---------------------------------------------------------

    @router.get("/decisions")
    async def decisions(request: Request) -> Response:
        who = reviewer(request)
        if who is None:
            return login_redirect(request)
        return page(request, "decisions.html", who, decisions=store.decisions()[::-1])

    @router.get("/decisions.csv")
    async def decisions_as_csv(request: Request) -> Response:
        if reviewer(request) is None:
            return login_redirect(request)
        return Response(decisions_csv(store.decisions()), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="tenor-decisions.csv"'})  # fmt: skip

    @router.get("/decisions.json")
    async def decisions_as_json(request: Request) -> Response:
        if reviewer(request) is None:
            return login_redirect(request)
        body = json.dumps(store.decisions(), ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json",
                        headers={"content-disposition": 'attachment; filename="tenor-decisions.json"'})  # fmt: skip

    # --- thresholds per community -----------------------------------------------------------

    @router.get("/thresholds")
    async def thresholds(request: Request) -> Response:
        who = reviewer(request)
        if who is None:
            return login_redirect(request)
        community = (request.query_params.get("community") or "default").strip() or "default"
        return page(request, "thresholds.html", who, community=community, communities=store.communities(),
                    model_thresholds=model.thresholds, overrides=store.thresholds(community), attributes=model.attributes,
                    other_models={v: t for v, t in by_model.items() if v != model.version})  # fmt: skip

    @router.post("/thresholds")
    async def save_thresholds(request: Request) -> Response:
        signed = await signed_in_form(request)
        if isinstance(signed, Response):
            return signed
        _, form = signed
        community = str(form.get("community", "")).strip() or "default"
        for attribute in model.attributes:
            raw = str(form.get(attribute, "")).strip()
            store.set_threshold(community, attribute, _float(raw) if raw else None)
        return RedirectResponse(f"/ui/thresholds?{urlencode({'community': community})}", status_code=303)

    return router
