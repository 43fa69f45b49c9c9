"""Store files made before ASSISTANT_DATABASE_URL upgrade in place, keeping every row."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from assistant.audit import AccessAudit, AccessEvent
from assistant.feedback import MIGRATIONS, AuditEvent, FeedbackStore
from assistant.settings import Settings

LEGACY = Path(__file__).resolve().parents[1] / "data" / "legacy-stores"


def _legacy_file(folder: Path, name: str) -> Path:
    """``name``.sqlite3 rebuilt from the dump the SQLite-only store code left."""
    path = folder / f"{name}.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript((LEGACY / f"{name}.sql").read_text())
    return path


def _versions(path: Path, table: str) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute(f"SELECT version FROM {table} ORDER BY version")]


def test_an_existing_feedback_file_upgrades_in_place_keeping_its_rows(tmp_path: Path) -> None:
    path = _legacy_file(tmp_path, "assistant")
    assert _versions(path, "schema_version") == [1, 2]
    store = FeedbackStore.for_settings(Settings(data_dir=tmp_path))
    assert store.path == path  # the same file as before, no database URL needed

    problem, rating = sorted(store.list_feedback(), key=lambda r: r.id)
    assert problem.comment == "Wrong for [name]" and problem.kind == "problem"
    assert problem.doc_ids == ["lscp-arrangements"] and problem.helpful is False
    assert rating.helpful is True and rating.comment is None
    (event,) = store.audit_events(f"{1:032x}")
    assert event.cited_passage_ids == ["lscp-arrangements-0123456789"]
    assert event.redaction_counts == {"name": 1} and event.latency_ms == 41.5
    assert event.created_at == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    assert store.audit_events(f"{2:032x}")[0].refused is True
    assert _versions(path, "schema_version") == list(range(1, len(MIGRATIONS) + 1))

    # New rows continue the old ids; feedback on an old answer is still accepted.
    new = store.record_feedback(
        f"{2:032x}", helpful=False, comment=None, kind="rating", passage_ids=[], doc_ids=[]
    )
    assert new == 3 and store.has_answer(f"{1:032x}")
    assert store.purge(feedback_days=3650, audit_days=3650) == (0, 0)


def test_an_existing_access_audit_file_upgrades_in_place(tmp_path: Path) -> None:
    path = _legacy_file(tmp_path, "access-audit")
    audit = AccessAudit.for_settings(Settings(data_dir=tmp_path))
    assert audit.path == path
    audit.record(AccessEvent(actor="cli", action="exported", target="feedback"))
    events = audit.events()
    assert [(e.actor, e.action) for e in events] == [
        ("cli", "exported"),
        ("cli", "purged"),
        ("a@example.org", "denied"),
    ]
    assert events[-1].outcome == "refused"
    assert _versions(path, "access_schema_version") == [1]


def test_an_upgraded_file_needs_no_second_upgrade(tmp_path: Path) -> None:
    path = _legacy_file(tmp_path, "assistant")
    FeedbackStore(path).schema_version()
    before = path.read_bytes()
    assert FeedbackStore(path).schema_version() == len(MIGRATIONS)
    assert path.read_bytes() == before


def test_audit_times_are_stored_in_utc_so_purges_compare_correctly(tmp_path: Path) -> None:
    from datetime import timedelta, timezone

    store = FeedbackStore(tmp_path / "assistant.sqlite3")
    east = timezone(timedelta(hours=10))
    # 09:00 on 2 March at UTC+10 is 23:00 on 1 March UTC: older than the cut-off below.
    store.record_audit(
        AuditEvent(
            answer_id=f"{1:032x}",
            partnership="lambeth",
            created_at=datetime(2025, 3, 2, 9, 0, tzinfo=east),
        )
    )
    now = datetime(2025, 3, 2, 0, 0, tzinfo=UTC) + timedelta(days=1)
    assert store.purge(feedback_days=1, audit_days=1, now=now) == (0, 1)
