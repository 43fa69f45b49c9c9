"""Store for practitioners' feedback and content-free audit events.

Audit events carry ids, versions, flags, counts and timings only - never question, answer
or passage text (AU-01) - yet for any answer id they show which documents, passages,
settings and composer produced it (AU-02). Feedback comments pass through the same
personal-data detector as questions before they are written (HF-01, PD-01).

SQLite in the data folder by default, PostgreSQL when ``ASSISTANT_DATABASE_URL`` is set
(``assistant.database``). The schema grows by numbered migrations recorded in
``schema_version`` (``assistant.feedback_schema``). Each call takes its own connection
from the engine, so the store is safe to use from the web server's worker threads.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import CursorResult, delete, insert, select, text

from assistant.database import (
    MigratedStore,
    utc_text,
)
from assistant.errors import AssistantInputError
from assistant.feedback_schema import MIGRATIONS, VERSION_TABLE, audit_events, feedback
from assistant.identifiers import is_answer_id, is_doc_id, is_passage_id
from assistant.triage.personal_data import redact

__all__ = [
    "FEEDBACK_FILE",
    "MIGRATIONS",
    "AuditEvent",
    "FeedbackIdError",
    "FeedbackRecord",
    "FeedbackStore",
    "check_feedback_ids",
]

FEEDBACK_FILE = "assistant.sqlite3"
"""The SQLite file in ``settings.data_dir`` when no database URL is set."""

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


def _inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - both backends report the new row's id
        raise RuntimeError("the database did not report the new row's id")
    return int(key[0])


class FeedbackStore(MigratedStore):
    """Feedback and audit events: one SQLite file (``settings.data_dir/assistant.sqlite3``)
    by default, or the shared database of ``ASSISTANT_DATABASE_URL``."""

    FILE = FEEDBACK_FILE
    VERSION_TABLE = VERSION_TABLE
    MIGRATIONS = MIGRATIONS

    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.execute(text(f"SELECT MAX(version) FROM {VERSION_TABLE}")).scalar_one())

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
        text_ = comment.strip() if comment else ""
        redaction = redact(text_) if text_ else None
        with self._connect() as conn:
            result = conn.execute(
                insert(feedback).values(
                    answer_id=answer_id,
                    created_at=utc_text(_now()),
                    kind=kind,
                    helpful=None if helpful is None else int(helpful),
                    comment=redaction.text if redaction else None,
                    comment_redactions=json.dumps(redaction.counts if redaction else {}),
                    passage_ids=json.dumps(list(passage_ids)),
                    doc_ids=json.dumps(list(doc_ids)),
                )
            )
            return _inserted_id(result)

    def purge(
        self, *, feedback_days: int, audit_days: int, now: datetime | None = None
    ) -> tuple[int, int]:
        """Delete feedback older than ``feedback_days`` and audit events older than
        ``audit_days``; returns how many of each went."""
        moment = now or _now()
        feedback_cutoff = utc_text(moment - timedelta(days=feedback_days))
        audit_cutoff = utc_text(moment - timedelta(days=audit_days))
        with self._connect() as conn:
            gone_feedback = conn.execute(
                delete(feedback).where(feedback.c.created_at < feedback_cutoff)
            ).rowcount
            gone_audit = conn.execute(
                delete(audit_events).where(audit_events.c.created_at < audit_cutoff)
            ).rowcount
        return gone_feedback, gone_audit

    def has_answer(self, answer_id: str) -> bool:
        """Whether an answer with this id was given (its audit event exists)."""
        query = select(audit_events.c.id).where(audit_events.c.answer_id == answer_id).limit(1)
        with self._connect() as conn:
            return conn.execute(query).first() is not None

    def list_feedback(self, limit: int = 100) -> list[FeedbackRecord]:
        """Most recent first."""
        query = select(feedback).order_by(feedback.c.id.desc()).limit(limit)
        with self._connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            FeedbackRecord(
                id=r["id"],
                answer_id=r["answer_id"],
                created_at=datetime.fromisoformat(r["created_at"]),
                kind=r["kind"],
                helpful=None if r["helpful"] is None else bool(r["helpful"]),
                comment=r["comment"],
                comment_redactions=json.loads(r["comment_redactions"]),
                passage_ids=json.loads(r["passage_ids"]),
                doc_ids=json.loads(r["doc_ids"]),
            )
            for r in rows
        ]

    def record_audit(self, event: AuditEvent) -> int:
        """Append one audit event. Returns its id."""
        with self._connect() as conn:
            result = conn.execute(
                insert(audit_events).values(
                    answer_id=event.answer_id,
                    created_at=utc_text(event.created_at),
                    partnership=event.partnership,
                    cited_doc_ids=json.dumps(event.cited_doc_ids),
                    cited_passage_ids=json.dumps(event.cited_passage_ids),
                    notices=json.dumps(event.notices),
                    redaction_counts=json.dumps(event.redaction_counts),
                    refused=int(event.refused),
                    composer=event.composer,
                    settings_fingerprint=event.settings_fingerprint,
                    latency_ms=float(event.latency_ms),
                )
            )
            return _inserted_id(result)

    def audit_events(self, answer_id: str | None = None, limit: int = 100) -> list[AuditEvent]:
        """Audit events, most recent first; for one answer when ``answer_id`` is given."""
        query = select(audit_events)
        if answer_id is not None:
            query = query.where(audit_events.c.answer_id == answer_id)
        with self._connect() as conn:
            rows = conn.execute(query.order_by(audit_events.c.id.desc()).limit(limit)).mappings()
            return [
                AuditEvent(
                    answer_id=r["answer_id"],
                    created_at=datetime.fromisoformat(r["created_at"]),
                    partnership=r["partnership"],
                    cited_doc_ids=json.loads(r["cited_doc_ids"]),
                    cited_passage_ids=json.loads(r["cited_passage_ids"]),
                    notices=json.loads(r["notices"]),
                    redaction_counts=json.loads(r["redaction_counts"]),
                    refused=bool(r["refused"]),
                    composer=r["composer"],
                    settings_fingerprint=r["settings_fingerprint"],
                    latency_ms=r["latency_ms"],
                )
                for r in rows
            ]
