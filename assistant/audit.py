"""Access and admin events: who did what, when, and with what outcome (AA-03, AU-03).

An event never holds content (no question, answer, comment or query text): the actor
(the signed-in subject, or ``address:<peer>`` when there is none), an action from a fixed
vocabulary, the route or control acted on, and the outcome. Stored in SQLite beside the
feedback store (``data_dir/access-audit.sqlite3``) or in the database of
``ASSISTANT_DATABASE_URL`` (``assistant.database``), one connection per call so worker
threads can share it; ``assistant purge`` removes events older than the retention period.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    delete,
    insert,
    select,
)

from assistant.database import (
    MigratedStore,
    Migration,
    utc_text,
)

Action = Literal["denied", "signed_in", "signed_out", "control_changed", "purged", "exported"]
Outcome = Literal["allowed", "refused", "done"]

_SAFE = re.compile(r"^[\w.@:/+\-=,{}\[\] ]{0,200}$")
_UNSAFE = re.compile(r"[^\w.@:/+\-=,{}\[\] ]")


def actor_name(subject: str) -> str:
    """A subject (an e-mail address, an OIDC ``sub``) in the characters an event allows."""
    return _UNSAFE.sub("_", subject)[:200]


ACCESS_FILE = "access-audit.sqlite3"
"""The SQLite file in ``settings.data_dir`` when no database URL is set."""
VERSION_TABLE = "access_schema_version"

_metadata = MetaData()
access_events = Table(
    "access_events",
    _metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("outcome", Text, nullable=False),
)
_created = Index("access_events_created", access_events.c.created_at)


def _create_access_events(conn: Connection) -> None:
    """Migration 1. Files made before migrations were recorded already have the table and
    its index, so both are created only if missing."""
    access_events.create(conn, checkfirst=True)
    _created.create(conn, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (Migration("access events", _create_access_events),)
"""Numbered schema migrations; append, never edit one that has shipped."""


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


class AccessAudit(MigratedStore):
    """Append-only store of ``AccessEvent``s."""

    FILE = ACCESS_FILE
    VERSION_TABLE = VERSION_TABLE
    MIGRATIONS = MIGRATIONS

    def record(self, event: AccessEvent) -> None:
        with self._connect() as conn:
            conn.execute(
                insert(access_events).values(
                    created_at=utc_text(event.created_at),
                    actor=event.actor,
                    action=event.action,
                    target=event.target,
                    outcome=event.outcome,
                )
            )

    def events(self, limit: int = 200) -> list[AccessEvent]:
        """Most recent first."""
        query = select(access_events).order_by(access_events.c.id.desc()).limit(limit)
        with self._connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            AccessEvent(
                created_at=datetime.fromisoformat(r["created_at"]),
                actor=r["actor"],
                action=r["action"],
                target=r["target"],
                outcome=r["outcome"],
            )
            for r in rows
        ]

    def purge(self, older_than_days: int, *, now: datetime | None = None) -> int:
        """Delete events older than ``older_than_days``; returns how many went."""
        cutoff = utc_text((now or _now()) - timedelta(days=older_than_days))
        with self._connect() as conn:
            return conn.execute(
                delete(access_events).where(access_events.c.created_at < cutoff)
            ).rowcount
