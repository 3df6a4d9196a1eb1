"""Reviewer sign-in and sign-out under /ui: the login form (a double-submit CSRF cookie before
any session exists), the password check, the session cookie."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from . import _auth
from ._context import SESSION_COOKIE, UIContext, safe_next

__all__ = ["LOGIN_CSRF_COOKIE", "auth_router"]

LOGIN_CSRF_COOKIE = "tenor_login_csrf"


@functools.cache
def _unknown_name_hash() -> str:
    """What a password given with an unknown name is checked against: made once, not per login."""
    return _auth.hash_password(_auth.new_token())


def _login_page(ui: UIContext, request: Request, status: int, **context: Any) -> Response:
    """The sign-in form with a fresh double-submit CSRF token, in the form and in a cookie."""
    token = _auth.new_token()
    response = ui.page("login.html", None, status, login_csrf=token, **context)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/ui",
        secure=request.url.scheme == "https",
    )
    return response


def _signed_in(request: Request, target: str, token: str) -> Response:
    """The redirect after a sign-in, carrying the new session's cookie."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=_auth.SESSION_HOURS * 3600, httponly=True, samesite="strict", path="/ui",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/ui")
    return response


def auth_router(ui: UIContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    store = ui.store

    @router.get("/login")
    async def login_form(request: Request) -> Response:
        return _login_page(ui, request, 200, next=safe_next(request.query_params.get("next")))

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        target = safe_next(str(form.get("next", "")))
        if not _auth.constant_time_equal(str(form.get("csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE)):
            return ui.forbidden(None)
        username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
        account = store.reviewer(username) if username else None
        # an unknown name costs one hash check too, as a known one does, so timing does not tell names apart
        ok = await run_in_threadpool(
            _auth.check_password, password, account["password_hash"] if account else _unknown_name_hash()
        )
        if account is None or not ok or account["disabled_at"] is not None:
            return _login_page(ui, request, 401, next=target, error="Wrong user name or password.")
        token = _auth.new_token()
        store.add_session(_auth.hash_token(token), account["id"], _auth.new_token(), _auth.session_expiry())
        return _signed_in(request, target, token)

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        who = ui.reviewer(request)
        if who is not None:
            try:
                await ui.checked_form(request, who)
            except PermissionError:
                return ui.forbidden(who)
            store.end_session(_auth.hash_token(request.cookies[SESSION_COOKIE]))
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/ui")
        return response

    return router
