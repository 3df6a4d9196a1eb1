"""The analyzed pages under /ui: the list, uploading (or importing from an allowed server folder)
a page file, and one page with its threads, scores, marked words and techniques."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from ..._errors import PageFormatError
from ._context import UIContext
from ._pages import MAX_UPLOAD_BYTES, import_page_bytes, resolve_import_path, thread_view
from ._techniques import technique_view

__all__ = ["pages_router"]

_UPLOAD_LIMIT = f"over the {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB upload limit; use `tenor analyze` for it"


async def _file_bytes(ui: UIContext, form: Any) -> tuple[bytes, str]:
    """(bytes, name) of the form's page file: a server path (--import-dir) or the upload."""
    upload_file, server_path = form.get("file"), str(form.get("path", "")).strip()
    if server_path:
        path = resolve_import_path(server_path, ui.import_dirs)
        return await run_in_threadpool(path.read_bytes), str(path)
    if upload_file is not None and hasattr(upload_file, "read"):
        data, name = await upload_file.read(MAX_UPLOAD_BYTES + 1), Path(upload_file.filename or "upload").name
        if len(data) > MAX_UPLOAD_BYTES:
            raise PageFormatError(name, f"is {_UPLOAD_LIMIT}")
        return data, name
    raise PageFormatError("upload", "choose a page file, or give a path on the server")


async def _upload_page(ui: UIContext, request: Request) -> Response:
    who = ui.reviewer(request)
    if who is None:
        return ui.login_redirect(request)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + 65536:
        return ui.pages_page(who, 413, error=f"That file is {_UPLOAD_LIMIT}.")
    try:
        form = await ui.checked_form(request, who)
    except PermissionError:
        return ui.forbidden(who)
    community = str(form.get("community", "")).strip() or "default"
    try:
        data, name = await _file_bytes(ui, form)
        ids = await run_in_threadpool(
            import_page_bytes, ui.store, ui.scorer, data, name, community, None, ui.techniques
        )
    except PageFormatError as e:
        await form.close()
        return ui.pages_page(who, 400, error=str(e))
    await form.close()  # the upload's spooled temporary file
    return RedirectResponse(f"/ui/pages/{ids[0]}" if len(ids) == 1 else "/ui/", status_code=303)


def _page_view(ui: UIContext, who: dict[str, Any], page_id: int) -> Response:
    store = ui.store
    found = store.page(page_id)
    if found is None:
        return ui.page("message.html", who, 404, title="No such page", message=f"There is no page {page_id}.")
    comments = [
        {**c, "thresholds": ui.thresholds_for(found["community"], c["model_version"])}
        for c in store.page_comments(page_id)
    ]
    paragraphs = [p for p in found["article_text"].split("\n\n") if p.strip()]
    versions = store.model_versions(page_id) or [found["model_version"]]
    return ui.page(
        "page.html", who, p=found, paragraphs=paragraphs, tq=technique_view(found["article_text"], found["techniques"]),
        tree=thread_view(comments), model_versions=versions,
        count=len(comments),
        decisions={d_id: d for d_id, d in store.latest_decisions(page_id).items()}, attributes=ui.attributes,
    )  # fmt: skip


def pages_router(ui: UIContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def pages_list(request: Request) -> Response:
        who = ui.reviewer(request)
        if who is None:
            return ui.login_redirect(request)
        return ui.pages_page(who)

    @router.post("/pages")
    async def upload(request: Request) -> Response:
        try:
            return await _upload_page(ui, request)
        finally:
            await request.close()  # the uploaded file's spooled temporary file, on every path

    @router.get("/pages/{page_id}")
    async def page_view(request: Request, page_id: int) -> Response:
        who = ui.reviewer(request)
        if who is None:
            return ui.login_redirect(request)
        return _page_view(ui, who, page_id)

    return router
