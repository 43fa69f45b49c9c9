"""Retention: ``assistant purge`` deletes feedback and audit events past their period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from assistant.audit import AccessAudit, AccessEvent
from assistant.cli import app
from assistant.feedback import AuditEvent, FeedbackStore

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def _stored(data_dir: Path, age_days: int, n: int) -> None:
    store = FeedbackStore(data_dir / "assistant.sqlite3")
    answer_id = f"{n:032x}"
    store.record_audit(
        AuditEvent(
            answer_id=answer_id,
            partnership="lambeth",
            created_at=datetime.now(UTC) - timedelta(days=age_days),
        )
    )
    store.record_feedback(
        answer_id, helpful=True, comment=None, kind="rating", passage_ids=[], doc_ids=[]
    )


def test_the_store_deletes_only_what_is_older_than_each_period(
    store_target: Path | Engine,
) -> None:
    store = FeedbackStore(store_target)
    for n, days in enumerate((400, 10), start=1):
        store.record_audit(
            AuditEvent(
                answer_id=f"{n:032x}",
                partnership="lambeth",
                created_at=NOW - timedelta(days=days),
            )
        )
    store.record_feedback(
        f"{1:032x}", helpful=True, comment=None, kind="rating", passage_ids=[], doc_ids=[]
    )
    # Feedback was written "now" (real clock); a purge as of 40 days later removes it.
    later = datetime.now(UTC) + timedelta(days=40)
    assert store.purge(feedback_days=30, audit_days=365, now=NOW) == (0, 1)
    assert store.has_answer(f"{2:032x}") and not store.has_answer(f"{1:032x}")
    assert store.purge(feedback_days=30, audit_days=365, now=later) == (1, 0)
    assert store.list_feedback() == []


def test_access_events_are_purged_by_age(store_target: Path | Engine) -> None:
    audit = AccessAudit(store_target)
    audit.record(
        AccessEvent(
            actor="a@x",
            action="denied",
            target="/evaluations",
            created_at=NOW - timedelta(days=500),
        )
    )
    audit.record(AccessEvent(actor="a@x", action="denied", target="/evaluations"))
    assert audit.purge(365) == 1
    assert len(audit.events()) == 1


def test_an_access_event_refuses_free_text() -> None:
    with pytest.raises(ValueError):
        AccessEvent(actor="a@x", action="denied", target="Jayden told me (dad) hits him!")


def test_the_purge_command_applies_the_retention_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_RETENTION__AUDIT_DAYS", "30")
    _stored(tmp_path, age_days=100, n=1)
    _stored(tmp_path, age_days=1, n=2)
    result = CliRunner().invoke(app, ["purge"])
    assert result.exit_code == 0, result.output
    assert "0 feedback items, 1 answer audit events" in " ".join(result.output.split())
    store = FeedbackStore(tmp_path / "assistant.sqlite3")
    assert store.has_answer(f"{2:032x}") and not store.has_answer(f"{1:032x}")
    events = AccessAudit(tmp_path / "access-audit.sqlite3").events()
    assert [(e.actor, e.action) for e in events] == [("cli", "purged")]
