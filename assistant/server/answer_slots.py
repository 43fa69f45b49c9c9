"""How many answers one server process works on at once.

Answering is CPU-bound (triage, embedding, retrieval, composing) and a process has few
cores, so twenty answers in twenty threads are each slower, not sooner: they fight over the
interpreter lock and the tail grows. Answers therefore run in a limited number of slots
(``ASSISTANT_CONCURRENT_ANSWERS``); the rest wait their turn, in order, without holding a
thread. Everything else (pages, feedback, health checks) keeps the shared thread pool, so a
queue of answers never delays a health check.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")

_END = object()


class AnswerSlots:
    """A capacity limiter per event loop (tests run several loops over one app)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter]
        self._limiters = weakref.WeakKeyDictionary()

    def _limiter(self) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = anyio.CapacityLimiter(self.size)
        return limiter

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)`` in a worker thread once a slot is free."""
        return await anyio.to_thread.run_sync(
            functools.partial(function, *args), limiter=self._limiter()
        )

    async def iterate(self, items: Iterator[T]) -> AsyncIterator[T]:
        """Each step of a (streamed answer's) iterator in a slot."""
        while True:
            item = await self.run(next, items, _END)
            if item is _END:
                return
            yield item
