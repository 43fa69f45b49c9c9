"""Access and admin events: who did what, when, and with what outcome (AA-03, AU-03).

An event never holds content (no question, answer, comment or query text): the actor
(the signed-in subject, or ``address:<peer>`` when there is none), an action from a fixed
vocabulary, the route or control acted on, and the outcome. Stored in SQLite beside the
feedback store (``data_dir/access-audit.sqlite3``), one connection per call so worker
threads can share it; ``assistant purge`` removes events older than the retention period.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Action = Literal["denied", "signed_in", "signed_out", "control_changed", "purged", "exported"]
Outcome = Literal["allowed", "refused", "done"]

_SAFE = re.compile(r"^[\w.@:/+\-=,{}\[\] ]{0,200}$")
_UNSAFE = re.compile(r"[^\w.@:/+\-=,{}\[\] ]")


def actor_name(subject: str) -> str:
    """A subject (an e-mail address, an OIDC ``sub``) in the characters an event allows."""
    return _UNSAFE.sub("_", subject)[:200]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS access_events (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_events_created ON access_events (created_at);
"""


def _now() -> datetime:
    return datetime.now(UTC)


class AccessEvent(BaseModel):
    """One access or admin event. Fields are identifiers, never free text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: str
    action: Action
    target: str
    """A route path (without query string) or a control name such as ``topics_off``."""
    outcome: Outcome = "done"
    created_at: datetime = Field(default_factory=_now)

    @field_validator("actor", "target")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _SAFE.match(value):
            raise ValueError("not an identifier (free text is not allowed here)")
        return value


class AccessAudit:
    """Append-only store of ``AccessEvent``s."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            conn.executescript(_SCHEMA)
            yield conn
            conn.commit()
        finally:
            conn.close()

    def record(self, event: AccessEvent) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO access_events (created_at, actor, action, target, outcome)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    event.created_at.isoformat(),
                    event.actor,
                    event.action,
                    event.target,
                    event.outcome,
                ),
            )

    def events(self, limit: int = 200) -> list[AccessEvent]:
        """Most recent first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT created_at, actor, action, target, outcome FROM access_events"
                " ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            AccessEvent(
                created_at=datetime.fromisoformat(r[0]),
                actor=r[1],
                action=r[2],
                target=r[3],
                outcome=r[4],
            )
            for r in rows
        ]

    def purge(self, older_than_days: int, *, now: datetime | None = None) -> int:
        """Delete events older than ``older_than_days``; returns how many went."""
        cutoff = (now or _now()) - timedelta(days=older_than_days)
        with self._connect() as conn:
            cursor = conn.execute(
                "DELETE FROM access_events WHERE created_at < ?", (cutoff.isoformat(),)
            )
            return cursor.rowcount
