"""Feedback and audit store: redacted comments, content-free audit events, migrations.

Each store test runs on SQLite and, with the integration tests, on a real PostgreSQL
(the ``store_target`` fixture in tests/conftest.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, inspect, text

from assistant.feedback import MIGRATIONS, AuditEvent, FeedbackStore
from assistant.feedback_schema import metadata
from tests.support import sqlite_bytes

TEXT_COLUMNS = {"question", "answer", "text", "quote", "passage_text", "content", "prompt"}


def _columns(store: FeedbackStore, table: str) -> set[str]:
    return {column["name"] for column in inspect(store.engine).get_columns(table)}


def stored_bytes(store: FeedbackStore) -> bytes:
    """Everything the store has written, as the backend keeps it."""
    if store.path is not None:  # the database file and its write-ahead log
        return sqlite_bytes(store.path)
    with store.engine.connect() as conn:
        rows = [
            conn.execute(text(f"SELECT t::text FROM {table} AS t")).scalars().all()
            for table in ("feedback", "audit_events")
        ]
    return "\n".join(row for table in rows for row in table).encode()


@pytest.fixture
def store(store_target: Path | Engine) -> FeedbackStore:
    return FeedbackStore(store_target)


def _answered(store: FeedbackStore, n: int = 1) -> str:
    """The id of an answer the assistant gave (its audit event is stored)."""
    answer_id = f"{n:032x}"
    store.record_audit(AuditEvent(answer_id=answer_id, partnership="lambeth"))
    return answer_id


def test_feedback_comment_is_redacted_before_it_is_stored(store: FeedbackStore) -> None:
    store.record_feedback(
        _answered(store),
        helpful=False,
        comment="Wrong for Jayden Smith, DOB 03/04/2015, SW2 5SG",
        kind="problem",
        passage_ids=["doc-1-0123456789"],
        doc_ids=["doc-1"],
    )
    raw = stored_bytes(store)
    assert b"[postcode]" in raw  # the check below reads what is really stored
    assert b"Jayden" not in raw and b"03/04/2015" not in raw and b"SW2 5SG" not in raw
    (record,) = store.list_feedback()
    assert record.comment == "Wrong for [name], DOB [date of birth], [postcode]"
    assert record.comment_redactions == {"name": 1, "date_of_birth": 1, "postcode": 1}
    assert record.kind == "problem" and record.helpful is False
    assert record.passage_ids == ["doc-1-0123456789"] and record.doc_ids == ["doc-1"]


def test_ratings_without_comment_are_listed_newest_first(store: FeedbackStore) -> None:
    first = store.record_feedback(
        _answered(store, 1), helpful=True, comment=None, kind="rating", passage_ids=[], doc_ids=[]
    )
    second = store.record_feedback(
        _answered(store, 2), helpful=None, comment="  ", kind="rating", passage_ids=[], doc_ids=[]
    )
    records = store.list_feedback()
    assert [r.id for r in records] == [second, first]
    assert records[0].comment is None and records[1].helpful is True


def test_unknown_feedback_kind_is_rejected(store: FeedbackStore) -> None:
    with pytest.raises(ValueError):
        store.record_feedback(
            "a",
            helpful=True,
            comment=None,
            kind="unsafe",  # type: ignore[arg-type]
            passage_ids=[],
            doc_ids=[],
        )


def test_audit_table_has_no_text_columns(store: FeedbackStore) -> None:
    store.record_audit(AuditEvent(answer_id="a1", partnership="lambeth"))
    columns = _columns(store, "audit_events")
    assert not columns & TEXT_COLUMNS
    assert {
        "answer_id",
        "cited_passage_ids",
        "notices",
        "redaction_counts",
        "settings_fingerprint",
        "latency_ms",
    } <= columns
    assert not _columns(store, "feedback") & TEXT_COLUMNS


def test_audit_event_refuses_text_fields_and_free_text_values() -> None:
    with pytest.raises(ValidationError):
        AuditEvent(answer_id="a1", partnership="lambeth", question="Jayden told me")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        AuditEvent(answer_id="a1", partnership="lambeth", notices=["Jayden told me dad hits him"])


def test_audit_events_reconstruct_an_answer(store: FeedbackStore) -> None:
    event = AuditEvent(
        answer_id="abc123",
        partnership="lambeth",
        cited_doc_ids=["doc-1"],
        cited_passage_ids=["doc-1-p1", "doc-1-p2"],
        notices=["emergency", "decision"],
        redaction_counts={"name": 2},
        refused=False,
        composer="extractive",
        settings_fingerprint="f00d",
        latency_ms=12.5,
    )
    store.record_audit(event)
    store.record_audit(AuditEvent(answer_id="other", partnership="lewisham"))
    (found,) = store.audit_events("abc123")
    assert found == event


def test_migrations_are_numbered_and_run_once(store_target: Path | Engine) -> None:
    assert FeedbackStore(store_target).schema_version() == len(MIGRATIONS)
    store = FeedbackStore(store_target)
    assert store.schema_version() == len(MIGRATIONS)
    with store.engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version")).scalars().all()
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_the_migrated_tables_are_the_ones_the_queries_use(store: FeedbackStore) -> None:
    store.schema_version()
    for table in metadata.sorted_tables:
        assert _columns(store, table.name) == set(table.columns.keys()), table.name
    indexes = {
        i["name"]
        for t in ("feedback", "audit_events")
        for i in inspect(store.engine).get_indexes(t)
    }
    assert {"feedback_answer", "audit_answer", "feedback_created", "audit_created"} <= indexes


def test_ids_keep_rising_after_the_newest_row_is_purged(store: FeedbackStore) -> None:
    from datetime import UTC, datetime, timedelta

    old = AuditEvent(
        answer_id=f"{1:032x}",
        partnership="lambeth",
        created_at=datetime.now(UTC) - timedelta(days=9),
    )
    first = store.record_audit(old)
    assert store.purge(feedback_days=1, audit_days=1) == (0, 1)
    assert store.record_audit(AuditEvent(answer_id=f"{2:032x}", partnership="lambeth")) > first


def test_concurrent_writes_from_threads_all_land(store: FeedbackStore) -> None:
    def write(n: int) -> None:
        for _ in range(10):
            store.record_feedback(
                answer_id, helpful=True, comment=None, kind="rating", passage_ids=[], doc_ids=[]
            )

    answer_id = _answered(store)
    threads = [threading.Thread(target=write, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.list_feedback(limit=500)) == 120
    assert len({r.id for r in store.list_feedback(limit=500)}) == 120
