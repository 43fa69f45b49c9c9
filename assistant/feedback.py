"""SQLite store for practitioners' feedback and content-free audit events.

Audit events carry ids, versions, flags, counts and timings only - never question, answer
or passage text (AU-01) - yet for any answer id they show which documents, passages,
settings and composer produced it (AU-02). Feedback comments pass through the same
personal-data detector as questions before they are written (HF-01, PD-01).

The schema grows by numbered migrations recorded in ``schema_version``. Each call opens
its own connection, so the store is safe to use from the web server's worker threads.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.errors import AssistantInputError
from assistant.identifiers import is_answer_id, is_doc_id, is_passage_id
from assistant.triage.personal_data import redact

__all__ = [
    "MIGRATIONS",
    "AuditEvent",
    "FeedbackIdError",
    "FeedbackRecord",
    "FeedbackStore",
    "check_feedback_ids",
]

MIGRATIONS: tuple[str, ...] = (
    # 1: feedback and audit events.
    """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('rating', 'problem')),
        helpful INTEGER CHECK (helpful IN (0, 1)),
        comment TEXT,
        comment_redactions TEXT NOT NULL DEFAULT '{}',
        passage_ids TEXT NOT NULL DEFAULT '[]',
        doc_ids TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        partnership TEXT NOT NULL,
        cited_doc_ids TEXT NOT NULL DEFAULT '[]',
        cited_passage_ids TEXT NOT NULL DEFAULT '[]',
        notices TEXT NOT NULL DEFAULT '[]',
        redaction_counts TEXT NOT NULL DEFAULT '{}',
        refused INTEGER NOT NULL CHECK (refused IN (0, 1)),
        composer TEXT NOT NULL,
        settings_fingerprint TEXT NOT NULL,
        latency_ms REAL NOT NULL
    );
    """,
    # 2: look-ups by answer id (feedback review, incident reconstruction).
    """
    CREATE INDEX feedback_answer ON feedback (answer_id);
    CREATE INDEX audit_answer ON audit_events (answer_id);
    """,
)
"""Numbered schema migrations; append, never edit one that has shipped."""

_TOKEN = re.compile(r"^[A-Za-z0-9._:/#@+-]{0,200}$")


def _now() -> datetime:
    return datetime.now(UTC)


def _check_tokens(values: list[str]) -> list[str]:
    for value in values:
        if not _TOKEN.match(value):
            # The value is never echoed: it may be the personal data it should not be.
            raise ValueError("not an identifier (free text is not allowed here)")
    return values


class FeedbackIdError(AssistantInputError):
    """An id sent with feedback is not one the assistant issued (shown to the user)."""


def check_feedback_ids(answer_id: str, passage_ids: list[str], doc_ids: list[str]) -> None:
    """Refuse ids that are not in the shapes the assistant issues (never echoing them)."""
    if not is_answer_id(answer_id):
        raise FeedbackIdError(
            "The answer id is not one this assistant issues (32 hexadecimal characters). "
            "Feedback can only be given on an answer."
        )
    if not all(is_passage_id(p) for p in passage_ids):
        raise FeedbackIdError("A passage id is not in the form the index uses.")
    if not all(is_doc_id(d) for d in doc_ids):
        raise FeedbackIdError("A document id is not in the form the corpus uses.")


class AuditEvent(BaseModel):
    """One answered question, as ids, flags, counts and timings. No text fields by design."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answer_id: str
    created_at: datetime = Field(default_factory=_now)
    partnership: str
    cited_doc_ids: list[str] = Field(default_factory=list)
    cited_passage_ids: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    redaction_counts: dict[str, int] = Field(default_factory=dict)
    refused: bool = False
    composer: str = "extractive"
    settings_fingerprint: str = ""
    latency_ms: float = 0.0

    @field_validator("cited_doc_ids", "cited_passage_ids", "notices")
    @classmethod
    def _identifiers(cls, values: list[str]) -> list[str]:
        return _check_tokens(values)

    @field_validator("answer_id", "partnership", "composer", "settings_fingerprint")
    @classmethod
    def _identifier(cls, value: str) -> str:
        return _check_tokens([value])[0]

    @field_validator("redaction_counts")
    @classmethod
    def _kinds(cls, counts: dict[str, int]) -> dict[str, int]:
        _check_tokens(list(counts))
        return counts


class FeedbackRecord(BaseModel):
    """A stored feedback item; ``comment`` is already redacted."""

    id: int
    answer_id: str
    created_at: datetime
    kind: Literal["rating", "problem"]
    helpful: bool | None
    comment: str | None
    comment_redactions: dict[str, int]
    passage_ids: list[str]
    doc_ids: list[str]


class FeedbackStore:
    """Feedback and audit events in one SQLite file (``settings.data_dir/assistant.sqlite3``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._migrated = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            if not self._migrated:
                self._migrate(conn)
                self._migrated = True
            with conn:
                yield conn
        finally:
            conn.close()

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for number, script in enumerate(MIGRATIONS, start=1):
                if number <= current:
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])

    def record_feedback(
        self,
        answer_id: str,
        *,
        helpful: bool | None,
        comment: str | None,
        kind: Literal["rating", "problem"],
        passage_ids: list[str],
        doc_ids: list[str],
    ) -> int:
        """Store a rating or a problem report; the comment is redacted first. Returns its id."""
        if kind not in ("rating", "problem"):
            raise ValueError("unknown feedback kind: use 'rating' or 'problem'")
        check_feedback_ids(answer_id, passage_ids, doc_ids)
        if not self.has_answer(answer_id):
            raise FeedbackIdError(
                "There is no answer with this id: feedback can only be given on an answer "
                "this assistant gave."
            )
        text = comment.strip() if comment else ""
        redaction = redact(text) if text else None
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (answer_id, created_at, kind, helpful, comment,"
                " comment_redactions, passage_ids, doc_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    _now().isoformat(),
                    kind,
                    None if helpful is None else int(helpful),
                    redaction.text if redaction else None,
                    json.dumps(redaction.counts if redaction else {}),
                    json.dumps(list(passage_ids)),
                    json.dumps(list(doc_ids)),
                ),
            )
            return int(cursor.lastrowid or 0)

    def purge(
        self, *, feedback_days: int, audit_days: int, now: datetime | None = None
    ) -> tuple[int, int]:
        """Delete feedback older than ``feedback_days`` and audit events older than
        ``audit_days``; returns how many of each went."""
        moment = now or _now()
        feedback_cutoff = (moment - timedelta(days=feedback_days)).isoformat()
        audit_cutoff = (moment - timedelta(days=audit_days)).isoformat()
        with self._connect() as conn:
            feedback = conn.execute(
                "DELETE FROM feedback WHERE created_at < ?", (feedback_cutoff,)
            ).rowcount
            audit = conn.execute(
                "DELETE FROM audit_events WHERE created_at < ?", (audit_cutoff,)
            ).rowcount
        return feedback, audit

    def has_answer(self, answer_id: str) -> bool:
        """Whether an answer with this id was given (its audit event exists)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT 1 FROM audit_events WHERE answer_id = ? LIMIT 1", (answer_id,)
            ).fetchone()
        return row is not None

    def list_feedback(self, limit: int = 100) -> list[FeedbackRecord]:
        """Most recent first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, answer_id, created_at, kind, helpful, comment, comment_redactions,"
                " passage_ids, doc_ids FROM feedback ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            FeedbackRecord(
                id=r[0],
                answer_id=r[1],
                created_at=datetime.fromisoformat(r[2]),
                kind=r[3],
                helpful=None if r[4] is None else bool(r[4]),
                comment=r[5],
                comment_redactions=json.loads(r[6]),
                passage_ids=json.loads(r[7]),
                doc_ids=json.loads(r[8]),
            )
            for r in rows
        ]

    def record_audit(self, event: AuditEvent) -> int:
        """Append one audit event. Returns its id."""
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO audit_events (answer_id, created_at, partnership, cited_doc_ids,"
                " cited_passage_ids, notices, redaction_counts, refused, composer,"
                " settings_fingerprint, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.answer_id,
                    event.created_at.isoformat(),
                    event.partnership,
                    json.dumps(event.cited_doc_ids),
                    json.dumps(event.cited_passage_ids),
                    json.dumps(event.notices),
                    json.dumps(event.redaction_counts),
                    int(event.refused),
                    event.composer,
                    event.settings_fingerprint,
                    float(event.latency_ms),
                ),
            )
            return int(cursor.lastrowid or 0)

    def audit_events(self, answer_id: str | None = None, limit: int = 100) -> list[AuditEvent]:
        """Audit events, most recent first; for one answer when ``answer_id`` is given."""
        query = (
            "SELECT answer_id, created_at, partnership, cited_doc_ids, cited_passage_ids, notices,"
            " redaction_counts, refused, composer, settings_fingerprint, latency_ms"
            " FROM audit_events"
        )
        params: tuple[object, ...] = (limit,)
        if answer_id is not None:
            query += " WHERE answer_id = ?"
            params = (answer_id, limit)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY id DESC LIMIT ?", params).fetchall()
        return [
            AuditEvent(
                answer_id=r[0],
                created_at=datetime.fromisoformat(r[1]),
                partnership=r[2],
                cited_doc_ids=json.loads(r[3]),
                cited_passage_ids=json.loads(r[4]),
                notices=json.loads(r[5]),
                redaction_counts=json.loads(r[6]),
                refused=bool(r[7]),
                composer=r[8],
                settings_fingerprint=r[9],
                latency_ms=r[10],
            )
            for r in rows
        ]
