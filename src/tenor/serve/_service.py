"""What the routers of one app share: its options (create_app's keywords), the scorer, the store,
the key and quota checks, and the technique model."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request

from .._scorer import Scorer
from ..store import SuggestionStore
from ._access import Access, json_body
from ._http import DEFAULT_MAX_BODY_BYTES
from ._limits import RateLimiter
from ._techniques import TechniqueFinder

__all__ = ["ServeOptions", "Service"]


@dataclass(frozen=True)
class ServeOptions:
    """create_app's keyword options; see its docstring."""

    public_url: str | None = None
    db_path: str | None = None
    api_key: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    rate_limit_per_minute: int | None = None
    rate_limit_window_s: float = 60.0
    store_requests: bool = False
    clock: Callable[[], float] = time.monotonic
    ui: bool = True
    import_dirs: Sequence[str | Path] = ()

    def limiter(self) -> RateLimiter | None:
        if self.rate_limit_per_minute is None:
            return None
        return RateLimiter(self.rate_limit_per_minute, window=self.rate_limit_window_s, clock=self.clock)


@dataclass(frozen=True)
class Service:
    scorer: Scorer
    store: SuggestionStore
    access: Access
    options: ServeOptions
    techniques: TechniqueFinder | None = None

    @classmethod
    def open(cls, scorer: Scorer, options: ServeOptions, techniques: TechniqueFinder | None) -> Service:
        """The service with its store opened (options.db_path, else in memory)."""
        store = SuggestionStore(options.db_path or ":memory:")
        return cls(scorer, store, Access(store, options.api_key, options.limiter()), options, techniques)

    @property
    def version(self) -> str:
        """The default engine's version: the X-Tenor-Model-Version of a reply that names none."""
        return self.scorer.model_version

    async def body(self, request: Request) -> dict[str, Any]:
        """The request's JSON object ({} for an empty body); raises the HTTPError for a bad one."""
        return await json_body(request, self.options.max_body_bytes) or {}
