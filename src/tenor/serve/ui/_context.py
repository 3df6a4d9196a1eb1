"""What every review-UI route shares: the store, the scorer's attributes and thresholds, who is
signed in, the page renderer, and the checks a form goes through (CSRF, sign-in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..._scorer import Scorer
from ...store import SuggestionStore
from .._techniques import TechniqueFinder
from . import _auth
from ._render import render

__all__ = ["SESSION_COOKIE", "UIContext", "form_float", "form_int", "safe_next"]

SESSION_COOKIE = "tenor_session"


def safe_next(value: str | None) -> str:
    """Only a path inside the UI: never another site (an open redirect)."""
    if value and value.startswith("/ui/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ui/queue"


def form_float(value: str | None) -> float | None:
    """A threshold from a form or query: a number in [0, 1], else None."""
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is None or 0.0 <= number <= 1.0 else None


def form_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass(frozen=True)
class UIContext:
    store: SuggestionStore
    scorer: Scorer
    import_dirs: Sequence[Path] = ()
    techniques: TechniqueFinder | None = None

    # -- the models' attributes and thresholds --------------------------------------------------

    @property
    def attributes(self) -> tuple[str, ...]:
        """The attributes a reviewer filters and judges on: the default engine's."""
        return self.scorer.default_engine.info.defaults

    @cached_property
    def thresholds_by_model(self) -> dict[str, dict[str, float]]:
        """Each engine's own operating thresholds, by version: a comment a companion engine scored
        is judged by its thresholds (its TOXICITY is calibrated on its own data)."""
        return self.scorer.thresholds_by_model

    @cached_property
    def thresholds(self) -> dict[str, float]:
        """The default engine's thresholds."""
        return self.scorer.thresholds

    def thresholds_for(self, community: str, model_version: str | None = None) -> dict[str, float]:
        """The community's thresholds over those of the model that scored the comment (the
        default engine's for a comment of no known model)."""
        by_model = self.thresholds_by_model
        return {**by_model.get(model_version or "", self.thresholds), **self.store.thresholds(community)}

    # -- who is signed in ------------------------------------------------------------------------

    def reviewer(self, request: Request) -> dict[str, Any] | None:
        token = request.cookies.get(SESSION_COOKIE)
        return self.store.session(_auth.hash_token(token)) if token else None

    def login_redirect(self, request: Request) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:
            # a form sent after the session ended: come back to the page it was sent from (a
            # same-site Referer), not to its POST-only URL, which a GET would find missing
            referer = urlsplit(request.headers.get("referer", ""))
            same_site = referer.netloc == request.url.netloc
            target = (
                safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
                if same_site
                else "/ui/"
            )
        return RedirectResponse(f"/ui/login?{urlencode({'next': target})}", status_code=303)

    # -- pages and forms -------------------------------------------------------------------------

    def page(
        self, template: str, who: dict[str, Any] | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        csrf = who["csrf_token"] if who else None
        return HTMLResponse(render(template, reviewer=who, csrf=csrf, **context), status_code=status)

    def pages_page(self, who: dict[str, Any], status: int = 200, **context: Any) -> HTMLResponse:
        """The page list (and upload form), with an error when `context` has one."""
        return self.page(
            "pages.html", who, status, pages=self.store.page_summaries(),
            import_dirs=[str(d) for d in self.import_dirs], **context,
        )  # fmt: skip

    def forbidden(self, who: dict[str, Any] | None) -> HTMLResponse:
        return HTMLResponse(
            render("message.html", reviewer=who, csrf=None, title="Form expired",
                   message="This form is out of date or came from another site. Go back, reload the page and try again."),
            status_code=403,
        )  # fmt: skip

    async def checked_form(self, request: Request, who: dict[str, Any]) -> Any:
        """The form of a POST whose CSRF token is the reviewer's; PermissionError otherwise."""
        form = await request.form()
        if not _auth.constant_time_equal(str(form.get("csrf", "")), who["csrf_token"]):
            raise PermissionError
        return form

    async def signed_in_form(self, request: Request) -> tuple[dict[str, Any], Any] | Response:
        """The reviewer and the form of a POST, or the response that refuses it (sign in; 403)."""
        who = self.reviewer(request)
        if who is None:
            return self.login_redirect(request)
        try:
            return who, await self.checked_form(request, who)
        except PermissionError:
            return self.forbidden(who)
