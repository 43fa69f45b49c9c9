"""Feedback and audit store: redacted comments, content-free audit events, migrations."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.feedback import MIGRATIONS, AuditEvent, FeedbackStore

TEXT_COLUMNS = {"question", "answer", "text", "quote", "passage_text", "content", "prompt"}


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "data" / "assistant.sqlite3")


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
    raw = store.path.read_bytes()
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
    columns = _columns(store.path, "audit_events")
    assert not columns & TEXT_COLUMNS
    assert {
        "answer_id",
        "cited_passage_ids",
        "notices",
        "redaction_counts",
        "settings_fingerprint",
        "latency_ms",
    } <= columns
    assert not _columns(store.path, "feedback") & TEXT_COLUMNS


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


def test_migrations_are_numbered_and_run_once(tmp_path: Path) -> None:
    path = tmp_path / "assistant.sqlite3"
    assert FeedbackStore(path).schema_version() == len(MIGRATIONS)
    assert FeedbackStore(path).schema_version() == len(MIGRATIONS)
    with sqlite3.connect(path) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_concurrent_writes_from_threads_all_land(store: FeedbackStore) -> None:
    def write(n: int) -> None:
        for _ in range(10):
            store.record_feedback(
                answer_id, helpful=True, comment=None, kind="rating", passage_ids=[], doc_ids=[]
            )

    answer_id = _answered(store)
    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.list_feedback(limit=100)) == 40
