"""The per-consumer rate limit of `tenor serve --rate-limit` (spec section 7).

A sliding log: each consumer's request times over the last window. It enforces "at most N
requests in any 60 seconds" exactly (a fixed window lets 2N through across a boundary) and gives an
exact Retry-After. Memory is at most N floats per consumer seen in the last minute; idle consumers
are swept. Limits are per process: replicas behind a load balancer each count on their own.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """`hit(consumer)` counts one request (`cost` requests: a batch of N comments costs N): None
    when allowed, else the seconds to wait. A cost over the whole limit can never pass: the caller
    must refuse it itself."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("the rate limit must be at least 1 request per window")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._log: dict[str, deque[float]] = {}
        self._next_sweep = clock() + window

    def hit(self, consumer: str, cost: int = 1) -> int | None:
        now = self._clock()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            times = self._log.setdefault(consumer, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) + cost > self.limit:
                # A refused request is not counted: a client that retries after Retry-After
                # gets through, however often it was refused meanwhile.
                must_expire = len(times) + cost - self.limit  # the oldest ones, to make room
                if must_expire > len(times):
                    return max(1, math.ceil(self.window))
                return max(1, math.ceil(times[must_expire - 1] + self.window - now))
            times.extend([now] * cost)
            return None

    def _sweep(self, now: float) -> None:
        # Forget consumers with nothing in the window, so one-off client IPs do not pile up.
        for consumer in [c for c, times in self._log.items() if not times or times[-1] <= now - self.window]:
            del self._log[consumer]
        self._next_sweep = now + self.window
