"""Leases: which index generations running processes are serving, so none is deleted in use.

Each ingest keeps ``CURRENT`` and the generation before it and deletes the rest (their
folders and their Chroma collections). A server that loaded a generation keeps serving it
until it notices the new ``CURRENT`` (``assistant.live_index``), and may still be
finishing requests on it just after switching; deleting it then turns every search into
a 500. So every process that serves an index records what it holds in a lease, and
pruning never deletes a leased generation.

Why lease files and not something else:

- One small JSON file per serving process in ``<data_dir>/index-leases/``: the process's
  host, pid and start time, the generations it holds, and when it last wrote the file.
  Nothing to run and nothing to configure; several uvicorn workers, the CLI and a server
  all see each other's leases through the data directory they already share. Files are
  written to a temporary name and ``os.replace``-d, so a reader never sees half a lease.
- Liveness is the process itself, not a timeout: a lease counts while its pid is alive on
  this host with the same start time (so a recycled pid does not keep an old generation
  for ever). A server idle for a week keeps its generation; a crashed or killed one stops
  protecting anything at once, and pruning removes its lease file. Leases written on
  another host (a data directory on a network share) cannot be checked that way and count
  while refreshed within ``FOREIGN_LEASE_TTL_S``; the holder refreshes the timestamp as it
  serves (at most every ``REFRESH_S`` seconds).
- An unreadable lease file protects nothing: pruning always keeps ``CURRENT`` and the
  previous generation anyway, and a lease only ever adds to that.
- Advisory locks (``fcntl.flock``) were the alternative: they vanish with the process, but
  not portably across network file systems and not readably ("who holds what") for an
  operator. A lease file can simply be read.

A lease file is removed when its holder is released or garbage collected, and at exit.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

LEASE_DIR = "index-leases"
REFRESH_S = 60.0
"""A holder rewrites its lease timestamp at most this often while serving."""
FOREIGN_LEASE_TTL_S = 24 * 3600.0
"""A lease from another host counts while refreshed within this many seconds."""


def lease_dir(data_dir: Path) -> Path:
    return data_dir / LEASE_DIR


def _host() -> str:
    return socket.gethostname()


def process_start(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), or None if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    try:  # the command name (field 2) may hold spaces and brackets: split after the last ")"
        return int(stat.rsplit(")", 1)[1].split()[19])
    except (IndexError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class LeaseRecord:
    """One lease file as read back."""

    path: Path
    host: str
    pid: int
    started: int | None
    generations: frozenset[str]
    refreshed: float

    def live(self, now: float | None = None) -> bool:
        if self.host != _host():
            return (now or time.time()) - self.refreshed < FOREIGN_LEASE_TTL_S
        if not pid_alive(self.pid):
            return False
        started = process_start(self.pid)
        return self.started is None or started is None or started == self.started


def read_leases(data_dir: Path) -> list[LeaseRecord]:
    """Every readable lease file (live or not); unreadable ones are skipped."""
    folder = lease_dir(data_dir)
    records: list[LeaseRecord] = []
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            records.append(
                LeaseRecord(
                    path=path,
                    host=str(raw["host"]),
                    pid=int(raw["pid"]),
                    started=None if raw.get("started") is None else int(raw["started"]),
                    generations=frozenset(str(g) for g in raw["generations"]),
                    refreshed=float(raw["refreshed"]),
                )
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring unreadable index lease %s: %s", path, error)
    return records


def leased_generations(data_dir: Path, *, remove_stale: bool = False) -> set[str]:
    """Generations held by live leases. With ``remove_stale``, dead leases' files go too."""
    held: set[str] = set()
    now = time.time()
    for record in read_leases(data_dir):
        if record.live(now):
            held |= record.generations
        elif remove_stale:
            log.info(
                "removing stale index lease %s (pid %s on %s)",
                record.path.name,
                record.pid,
                record.host,
            )
            record.path.unlink(missing_ok=True)
    return held


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):  # best effort: a dead process's lease is ignored
        path.unlink(missing_ok=True)


class Lease:
    """This process's claim on the generations it serves (one file per holder)."""

    def __init__(self, data_dir: Path, *, refresh_s: float = REFRESH_S) -> None:
        self.data_dir = data_dir
        self.refresh_s = refresh_s
        self.pid = os.getpid()
        self.path = lease_dir(data_dir) / f"{_host()}-{self.pid}-{uuid.uuid4().hex[:8]}.json"
        self._generations: tuple[str, ...] = ()
        self._written_at = 0.0
        self._finalizer = weakref.finalize(self, _unlink, self.path)

    @property
    def generations(self) -> tuple[str, ...]:
        return self._generations

    def hold(self, generations: Iterable[str]) -> None:
        """Claim exactly ``generations`` (written now if they changed, else refreshed)."""
        wanted = tuple(dict.fromkeys(g for g in generations if g))
        if wanted == self._generations and self._written_at:
            self.touch()
            return
        self._generations = wanted
        self._write()

    def touch(self) -> None:
        """Refresh the timestamp if it is older than ``refresh_s`` (cheap otherwise)."""
        if self._generations and time.time() - self._written_at >= self.refresh_s:
            self._write()

    def release(self) -> None:
        self._generations = ()
        self._written_at = 0.0
        _unlink(self.path)

    def _write(self) -> None:
        if not self._generations:
            self.release()
            return
        if os.getpid() != self.pid:  # a forked child must not overwrite its parent's lease
            self._finalizer.detach()
            self.pid = os.getpid()
            self.path = lease_dir(self.data_dir) / (
                f"{_host()}-{self.pid}-{uuid.uuid4().hex[:8]}.json"
            )
            self._finalizer = weakref.finalize(self, _unlink, self.path)
        now = time.time()
        record = {
            "host": _host(),
            "pid": self.pid,
            "started": process_start(self.pid),
            "generations": list(self._generations),
            "refreshed": now,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as error:  # serving goes on; only the protection from pruning is lost
            log.error("could not write the index lease %s: %s", self.path, error)
        self._written_at = now  # after a failure, tried again at the next refresh
