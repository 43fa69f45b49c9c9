"""Feedback and audit in a real PostgreSQL server (ASSISTANT_DATABASE_URL), shared by
processes and hosts: migrations once however many start together, an answer given by one
process open to feedback through another, purges and access events in the one database.

The store behaviours themselves (round trip, redaction, audit reconstruction, purge,
writers from threads) run on PostgreSQL too: tests/unit/test_feedback.py and
test_retention.py are parametrised over both backends.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from assistant.audit import AccessAudit, AccessEvent
from assistant.cli import app
from assistant.feedback import MIGRATIONS, AuditEvent, FeedbackStore
from assistant.ingest import ingest
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.store import VectorStore
from tests.integration.pg_workers import open_stores
from tests.support import REPO, HashEmbedder, paragraph, write_corpus

pytestmark = pytest.mark.integration

LADO = (
    "# Allegations against staff\n\n## Telling the LADO\n\nTell the Local Authority "
    "Designated Officer (LADO) about an allegation against a member of staff within one "
    f"working day.\n\n## Other guidance\n\n{paragraph('early help assessment')}\n"
)


def test_processes_starting_together_migrate_the_database_once(postgres_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    processes = [
        context.Process(target=open_stores, args=(postgres_url, barrier)) for _ in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    with psycopg.connect(postgres_url) as conn:
        feedback_versions = [r[0] for r in conn.execute("SELECT version FROM schema_version")]
        access_versions = [r[0] for r in conn.execute("SELECT version FROM access_schema_version")]
        tables = {
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
    assert sorted(feedback_versions) == list(range(1, len(MIGRATIONS) + 1))
    assert access_versions == [1]
    assert {"feedback", "audit_events", "access_events"} <= tables


def test_an_answer_given_by_one_host_takes_feedback_through_another(
    postgres_url: str, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"lado-guide": ("lambeth", LADO)})
    shutil.copy(REPO / "corpus" / "crisis.yaml", corpus / "crisis.yaml")
    host_a = Settings(data_dir=tmp_path / "host-a", corpus_dir=corpus, database_url=postgres_url)
    embedder = HashEmbedder()
    assert ingest(host_a, embedder, VectorStore(host_a.chroma, host_a.data_dir)).ok  # type: ignore[arg-type]
    assistant = Assistant(host_a, embedder=embedder)  # type: ignore[arg-type]
    assistant.load()
    answer = assistant.ask("When do I tell the LADO about an allegation against staff?")

    # Another process on another host (its own data folder), the same database URL.
    host_b = tmp_path / "host-b"
    script = (
        "import sys\n"
        "from assistant.feedback import FeedbackStore\n"
        "from assistant.settings import Settings\n"
        "store = FeedbackStore.for_settings(Settings())\n"
        "(event,) = store.audit_events(sys.argv[1])\n"
        "print(event.partnership, event.composer, ','.join(event.cited_doc_ids))\n"
        "store.record_feedback(sys.argv[1], helpful=False, comment='Not right for Jayden "
        "Smith', kind='problem', passage_ids=[], doc_ids=[])\n"
    )
    env = {**os.environ, "ASSISTANT_DATABASE_URL": postgres_url, "ASSISTANT_DATA_DIR": str(host_b)}
    done = subprocess.run(
        [sys.executable, "-c", script, answer.answer_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    cited = ",".join(sorted({c.doc_id for c in answer.citations}))
    assert done.stdout.split() == ["lambeth", answer.composer, *([cited] if cited else [])]

    (record,) = assistant.feedback.list_feedback()
    assert record.answer_id == answer.answer_id and record.kind == "problem"
    assert record.comment == "Not right for [name]"
    for folder in (host_a.data_dir, host_b):  # nothing kept in per-host SQLite files
        assert not list(folder.glob("*.sqlite3")) if folder.exists() else True


def test_the_purge_command_purges_both_stores_in_the_shared_database(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", postgres_url)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_RETENTION__AUDIT_DAYS", "30")
    settings = Settings()
    store, access = FeedbackStore.for_settings(settings), AccessAudit.for_settings(settings)
    long_ago = datetime.now(UTC) - timedelta(days=100)
    for n, when in ((1, long_ago), (2, datetime.now(UTC))):
        store.record_audit(
            AuditEvent(answer_id=f"{n:032x}", partnership="lambeth", created_at=when)
        )
        access.record(AccessEvent(actor="a@x", action="denied", target="/e", created_at=when))

    result = CliRunner().invoke(app, ["purge"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "0 feedback items, 1 answer audit events and 1 access events" in said
    assert store.has_answer(f"{2:032x}") and not store.has_answer(f"{1:032x}")
    assert [(e.actor, e.action) for e in access.events()] == [("cli", "purged"), ("a@x", "denied")]
    assert not list(tmp_path.iterdir())


def test_more_writers_than_connections_all_land_within_the_pool_limit(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, database_pool_size=2)
    store = FeedbackStore.for_settings(settings)
    access = AccessAudit.for_settings(settings)
    answer_id = f"{7:032x}"
    store.record_audit(AuditEvent(answer_id=answer_id, partnership="lambeth"))
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for _ in range(15):
                store.record_feedback(
                    answer_id, helpful=True, comment=None, kind="rating", passage_ids=[], doc_ids=[]
                )
                access.record(AccessEvent(actor=f"user{n}", action="signed_in", target="/"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.list_feedback(limit=1000)) == 150 and len(access.events(limit=1000)) == 150
    with store.engine.connect() as conn:
        sessions = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE application_name = 'safeguarding-assistant'"
            )
        ).scalar_one()
    assert sessions <= 4  # pool of 2, overflow of 2: never one connection a thread


def test_a_password_in_the_query_string_connects_and_stays_hidden(postgres_url: str) -> None:
    user_part, rest = postgres_url.split("@", 1)
    password = user_part.rsplit(":", 1)[1]
    url = f"{user_part.rsplit(':', 1)[0]}@{rest}?password={password}"
    store = FeedbackStore.for_settings(Settings(database_url=url))
    assert store.schema_version() == len(MIGRATIONS)
    assert password not in repr(store) and password not in repr(store.engine)
