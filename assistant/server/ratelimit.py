"""Per-user and per-address rate limits on asking, searching and feedback.

Each action has a token bucket per key: ``per_minute`` requests may come at once, and
the bucket refills at ``per_minute`` a minute. The key is the signed-in person
(``Identity.subject``) when there is one, else the peer address: behind a reverse proxy
every request comes from the proxy's address, so signed-in people are told apart by who
they are, not where from. Buckets live in memory, at most ``max_keys`` of them (the least
recently used are forgotten first, and a forgotten key starts with a full bucket), and
one lock guards them, so worker threads can share one limiter.

Over the limit the request gets 429 with ``Retry-After`` (whole seconds) and a plain
message: JSON under ``/api``, the error page for pages (see ``app._error_page``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from fastapi import HTTPException, Request

from assistant.server.identity import client_address, current_identity
from assistant.settings import RateLimitSettings

Action = Literal["ask", "search", "feedback"]

MESSAGES: dict[Action, str] = {
    "ask": "You have asked a lot of questions in a short time.",
    "search": "You have searched a lot in a short time.",
    "feedback": "You have sent a lot of feedback in a short time.",
}


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Thread-safe token buckets keyed by string, bounded to ``max_keys`` (LRU eviction)."""

    def __init__(
        self,
        per_minute: int,
        *,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Take one token for ``key``: 0.0 if allowed, else seconds until one is free."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.pop(key, None)
            if bucket is None:
                bucket = _Bucket(tokens=self.capacity, updated=now)
            else:
                elapsed = max(0.0, now - bucket.updated)
                bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.rate)
                bucket.updated = now
            self._buckets[key] = bucket  # most recently used last
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def __len__(self) -> int:
        with self._lock:
            return len(self._buckets)


class RateLimiter:
    """One set of buckets per action, from ``settings.rate_limit``."""

    def __init__(
        self, settings: RateLimitSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.enabled = settings.enabled
        per_minute: dict[Action, int] = {
            "ask": settings.ask_per_minute,
            "search": settings.search_per_minute,
            "feedback": settings.feedback_per_minute,
        }
        self._buckets = {
            action: TokenBuckets(limit, max_keys=settings.max_keys, clock=clock)
            for action, limit in per_minute.items()
        }

    def retry_after(self, action: Action, key: str) -> float:
        """0.0 if this request may go ahead, else seconds to wait."""
        if not self.enabled:
            return 0.0
        return self._buckets[action].hit(key)


def rate_limit_key(request: Request) -> str:
    identity = current_identity(request)
    if identity is not None:
        return f"user:{identity.subject}"
    return f"address:{client_address(request)}"


class RateLimited(HTTPException):
    """429 with ``Retry-After``; rendered by the app's error handler (JSON or page)."""

    def __init__(self, action: Action, wait_s: float) -> None:
        seconds = max(1, math.ceil(wait_s))
        self.retry_after_s = seconds
        unit = "second" if seconds == 1 else "seconds"
        super().__init__(
            status_code=429,
            detail=f"{MESSAGES[action]} Please wait {seconds} {unit} and try again. "
            "If a child is in immediate danger, call 999.",
            headers={"Retry-After": str(seconds)},
        )


def check_rate(request: Request, action: Action) -> None:
    """Raise ``RateLimited`` when this user or address is over the limit for ``action``."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        return
    wait = limiter.retry_after(action, rate_limit_key(request))
    if wait > 0:
        raise RateLimited(action, wait)


def limit(action: Action) -> Callable[[Request], Awaitable[None]]:
    """A route dependency applying the ``action`` limit."""

    async def dependency(request: Request) -> None:
        check_rate(request, action)

    return dependency
