"""The index generation a process serves, switched to a new ``CURRENT`` between requests.

An ingest (another process, or this one) builds a new generation beside the serving one
and names it in ``CURRENT``. Every serving process notices on its own: before a request
uses the index it calls ``poll()``, which reads the tiny ``CURRENT`` file at most once
every ``check_every_s`` seconds. When it names another generation, a background thread
builds everything retrieval needs from it (passages, vectors, keyword index, the Chroma
collection checked and restored if need be) while requests carry on with the old one;
only then is one reference swapped under a lock. A request pins the value it started
with (``pinned()``), so it finishes on the generation it began on even if a switch
happens meanwhile. If the new generation fails to load, the old one keeps serving, the
failure is logged, and the load is retried after ``retry_after_s``.

The process holds a lease (``assistant.leases``) on what it serves: the loaded generation,
one being loaded, and the one it replaced until ``retire_after_s`` has passed (requests
that started on it finish), so pruning by a later ingest never deletes them in use.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from assistant.errors import IndexMissingError
from assistant.index import current_generation, index_root
from assistant.leases import Lease

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Serving(Generic[T]):
    generation: str
    value: T


class LiveIndex(Generic[T]):
    """Holds the loaded generation's ``T`` (built by ``build(name)``) and keeps it current."""

    def __init__(
        self,
        data_dir: Path,
        build: Callable[[str], T],
        *,
        check_every_s: float = 2.0,
        retry_after_s: float = 60.0,
        retire_after_s: float = 300.0,
        background: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.data_dir = data_dir
        self._build = build
        self.check_every_s = check_every_s
        self.retry_after_s = retry_after_s
        self.retire_after_s = retire_after_s
        self.background = background
        self._clock = clock
        self._serving: Serving[T] | None = None
        self._switching = threading.Lock()
        """Held while a generation is being loaded: one load at a time, never blocking reads."""
        self._pins = threading.local()
        self._next_check = 0.0
        self._failed: tuple[str, float] = ("", 0.0)
        """The generation that last failed to load and when it may be tried again."""
        self._retired: tuple[str, float] = ("", 0.0)
        """The generation last switched away from and until when it stays leased."""
        self._loading = ""
        self._thread: threading.Thread | None = None
        self.lease = Lease(data_dir)

    # ---- reading -----------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._serving is not None

    @property
    def generation(self) -> str | None:
        serving = self._serving
        return serving.generation if serving else None

    def current(self) -> T:
        """The pinned value inside ``pinned()``; else the serving one (loaded if need be)."""
        pinned: Serving[T] | None = getattr(self._pins, "serving", None)
        if pinned is not None:
            return pinned.value
        self.poll()
        return self._loaded().value

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Use one generation for everything inside (this thread), whatever switches
        meanwhile. Nothing is loaded here: with no index yet, ``current()`` loads it (or
        raises) inside, where the caller can handle that."""
        if getattr(self._pins, "serving", None) is not None:
            yield
            return
        self.poll()
        self._pins.serving = self._serving
        try:
            yield
        finally:
            self._pins.serving = None

    def _loaded(self) -> Serving[T]:
        serving = self._serving
        if serving is None:
            self.load()
            serving = self._serving
        assert serving is not None
        return serving

    # ---- loading and switching -----------------------------------------------------------

    def load(self) -> None:
        """Load the generation ``CURRENT`` names, if nothing is loaded yet (slow)."""
        with self._switching:
            if self._serving is not None:
                return
            name = current_generation(self.data_dir)
            if name is None:
                raise IndexMissingError(
                    f"No index in {index_root(self.data_dir)}: run `assistant ingest` first."
                )
            self._loading = name
            self._hold()
            try:
                self._serving = Serving(name, self._build(name))
            finally:
                self._loading = ""
                self._hold()
            self._next_check = self._clock() + self.check_every_s

    def poll(self) -> None:
        """Cheap, on every use: at most every ``check_every_s``, see whether ``CURRENT``
        moved and, if so, start switching (in the background unless ``background`` is off)."""
        now = self._clock()
        if self._serving is None or now < self._next_check:
            return
        self._next_check = now + self.check_every_s
        if self._due() is None:
            self._hold()  # refreshes the lease's timestamp now and then
            return
        if not self.background:
            self.refresh()
            return
        thread = self._thread
        if thread is not None and thread.is_alive():
            return
        self._thread = threading.Thread(target=self.refresh, name="index-switch", daemon=True)
        self._thread.start()

    def refresh(self, *, wait: bool = False) -> bool:
        """Switch to the generation ``CURRENT`` names if it differs (now, in this thread).

        Returns whether it switched. If another switch is in progress, returns at once
        (or, with ``wait``, waits for it and then checks again)."""
        if not self._switching.acquire(blocking=wait):
            return False
        try:
            name = self._due()
            serving = self._serving
            if name is None or serving is None:
                return False
            self._loading = name
            self._hold()
            try:
                value = self._build(name)
            except Exception:
                log.exception(
                    "could not load index generation %s; still serving %s",
                    name,
                    serving.generation,
                )
                self._failed = (name, self._clock() + self.retry_after_s)
                return False
            finally:
                self._loading = ""
            self._serving = Serving(name, value)  # the swap: one reference
            self._retired = (serving.generation, self._clock() + self.retire_after_s)
            log.info("switched to index generation %s (was %s)", name, serving.generation)
            return True
        finally:
            self._hold()
            self._switching.release()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background switch to finish (tests and shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def release(self) -> None:
        self.lease.release()

    def _due(self) -> str | None:
        """The generation to switch to, or None if ``CURRENT`` still names the loaded one
        (or names one that failed to load and is not due for another try)."""
        serving = self._serving
        name = current_generation(self.data_dir)
        if serving is None or name is None or name == serving.generation:
            return None
        failed, retry_at = self._failed
        if name == failed and self._clock() < retry_at:
            return None
        return name

    def _hold(self) -> None:
        held: list[str] = []
        if self._serving is not None:
            held.append(self._serving.generation)
        if self._loading:
            held.append(self._loading)
        retired, until = self._retired
        if retired and self._clock() < until:
            held.append(retired)
        self.lease.hold(held)
