"""Answers run a few at a time per process; the rest wait their turn and all complete."""

from __future__ import annotations

import asyncio
import threading
import time

from assistant.server.answer_slots import AnswerSlots


class Busy:
    """A CPU-bound answer stand-in that records how many run at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def __call__(self, n: int) -> int:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.02)
        with self.lock:
            self.running -= 1
        return n * 2


def test_no_more_answers_run_at_once_than_there_are_slots_and_none_is_lost() -> None:
    slots, busy = AnswerSlots(2), Busy()

    async def main() -> list[int]:
        return list(await asyncio.gather(*(slots.run(busy, n) for n in range(12))))

    assert asyncio.run(main()) == [n * 2 for n in range(12)]
    assert busy.most == 2


def test_a_streamed_answer_is_advanced_step_by_step_in_a_slot() -> None:
    slots = AnswerSlots(1)
    seen_threads: set[int] = set()

    def events():  # type: ignore[no-untyped-def]
        for n in range(3):
            seen_threads.add(threading.get_ident())
            yield n

    async def main() -> list[int]:
        return [n async for n in slots.iterate(events())]

    assert asyncio.run(main()) == [0, 1, 2]
    assert threading.get_ident() not in seen_threads  # never on the event loop's thread


def test_one_set_of_slots_serves_several_event_loops() -> None:
    """The test client (and a restarted server loop) runs the same app on a new loop."""
    slots, busy = AnswerSlots(1), Busy()

    async def main() -> int:
        return await slots.run(busy, 3)

    assert asyncio.run(main()) == 6
    assert asyncio.run(main()) == 6
