"""What every endpoint checks before it does any work: the caller's API key, its quota (the rate
limit), and the size and shape of the JSON body. Shared by the routers of _routes_*.py."""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import Request

from .._api_keys import hash_key, key_prefix
from .._errors import InputError
from ..store import SuggestionStore
from ._http import invalid_json, invalid_key, missing_key, quota_exceeded, too_large
from ._limits import RateLimiter

__all__ = ["Access", "json_body", "request_key"]


def request_key(request: Request) -> str | None:
    """The key a request carries: `?key=`, `X-Goog-Api-Key` or `Authorization: Bearer`."""
    key = request.query_params.get("key") or request.headers.get("x-goog-api-key")
    if key:
        return key
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def json_body(request: Request, limit: int) -> dict[str, Any] | None:
    """The request body as a JSON object, or None when the body is empty."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return None
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError
        raise invalid_json("The body is not valid UTF-8 JSON.") from e
    if not isinstance(body, dict):
        raise invalid_json(f"Expected a JSON object, got {type(body).__name__}.")
    return body


class Access:
    """API keys and the rate limit. A Perspective call must carry a key when `api_key` is set or
    the store requires keys (once any key was made, even when all are revoked: fail closed); `limiter` (None: no limit) counts requests per key, or per
    client IP when keyless. Each check raises the HTTPError Google answered with."""

    def __init__(self, store: SuggestionStore, api_key: str | None, limiter: RateLimiter | None) -> None:
        self.store = store
        self.api_key = api_key
        self.limiter = limiter

    def key(self, request: Request, *, required: bool = True) -> str | None:
        """The caller's quota identity ("api_key:PREFIX") when a key was checked, else None.
        The database is asked on every call, so `tenor keys create|revoke` run beside a live
        server takes effect at once (one indexed lookup: microseconds)."""
        key = request_key(request)
        if self.api_key is None and not self.store.keys_required():
            return None
        if key is None:
            if required:
                raise missing_key()
            return None
        static = self.api_key is not None and hmac.compare_digest(
            key.encode("utf-8", "surrogatepass"), self.api_key.encode("utf-8", "surrogatepass")
        )
        # A revoked key is refused like an unknown one: Google said the same for a deleted key.
        if not static and self.store.key_state(hash_key(key)) != "active":
            raise invalid_key()
        return f"api_key:{key_prefix(key)}"

    def quota(self, request: Request, consumer: str | None, cost: int = 1) -> None:
        """Count `cost` requests against the consumer's quota (the client IP when None)."""
        # Counted before the body is read: an invalid request costs quota too, as at Google,
        # so a client cannot hammer the server with malformed bodies for free.
        if self.limiter is None:
            return
        if consumer is None:
            consumer = f"ip:{request.client.host if request.client else 'unknown'}"
        retry_after = self.limiter.hit(consumer, cost)
        if retry_after is not None:
            raise quota_exceeded(consumer, self.limiter.limit, retry_after)

    def metered(self, request: Request) -> str | None:
        """A key check, then one request counted: what comments:analyze and the other scoring
        endpoints do first. The consumer, for a caller that counts more (a batch)."""
        consumer = self.key(request)
        self.quota(request, consumer)
        return consumer

    def batch_quota(self, request: Request, consumer: str | None, n: int) -> None:
        """The N - 1 more requests a batch of N comments costs once its body is read (`metered`
        counted the first). A batch over the whole limit could never pass: a 400 says so."""
        limiter = self.limiter
        if limiter is not None and n > limiter.limit:
            raise InputError(
                f"A batch of {n} comments counts as {n} analyze requests, more than this server's"
                f" limit of {limiter.limit} per {limiter.window:g} s. Send smaller batches."
            )
        if n > 1:
            self.quota(request, consumer, n - 1)
