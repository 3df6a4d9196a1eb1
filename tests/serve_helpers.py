"""Helpers for the `tenor serve` tests: an in-process client and Google's error-shape check."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

ERROR_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"


class Client:
    """Synchronous requests to an ASGI app in this process (no sockets, no starlette TestClient)."""

    def __init__(self, app: Any, base_url: str = "http://testserver") -> None:
        self.app = app
        self.base_url = base_url

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
            return await client.request(method, url, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self._request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def analyze(self, body: Any, **kwargs: Any) -> httpx.Response:
        return self.post("/v1alpha1/comments:analyze", json=body, **kwargs)


def assert_perspective_error(resp: httpx.Response, status: int, error_type: str) -> dict[str, Any]:
    """Google's envelope: code/message/status and a non-empty `details` whose first entry carries
    `error_type` as its errorType (commentanalyzer Error) or its reason (google.rpc.ErrorInfo)."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/json; charset=UTF-8"
    error = resp.json()["error"]
    assert error["code"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert error["status"] in {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND"}[status]
    assert error["details"], "clients read details[0]"
    detail = error["details"][0]
    assert detail["@type"].startswith("type.googleapis.com/")
    assert detail.get("errorType", detail.get("reason")) == error_type
    assert error["errors"][0]["message"] == error["message"]
    return error
