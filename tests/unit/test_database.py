"""ASSISTANT_DATABASE_URL: which backend, the password kept out of sight, locked migrations."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect, text

from assistant.audit import AccessAudit
from assistant.database import (
    DatabaseURLError,
    Migration,
    SchemaTooNewError,
    database_url,
    describe,
    migrate,
    shared_engine,
    sql,
    sqlite_engine,
)
from assistant.feedback import FeedbackStore
from assistant.server.startup import UnsafeSettingsError, check_startup
from assistant.settings import Settings

PASSWORD = "s3cret-Pa55word"
URL = f"postgresql://assistant:{PASSWORD}@db.internal:5432/assistant"


def test_without_a_url_each_store_keeps_its_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert database_url(settings) is None and shared_engine(settings) is None
    assert FeedbackStore.for_settings(settings).path == tmp_path / "assistant.sqlite3"
    assert AccessAudit.for_settings(settings).path == tmp_path / "access-audit.sqlite3"
    assert describe(settings) == f"SQLite files in {tmp_path}"


def test_a_postgresql_url_uses_psycopg_and_one_pool_for_both_stores(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", URL)
    monkeypatch.setenv("ASSISTANT_DATABASE_POOL_SIZE", "3")
    settings = Settings(data_dir=tmp_path)
    url = database_url(settings)
    assert url is not None and url.drivername == "postgresql+psycopg"
    feedback, access = FeedbackStore.for_settings(settings), AccessAudit.for_settings(settings)
    assert feedback.engine is access.engine and feedback.path is None
    pool = feedback.engine.pool
    assert pool.size() == 3  # type: ignore[attr-defined]
    assert not list(tmp_path.iterdir())  # nothing written to the data folder


def test_the_password_never_appears_in_reprs_descriptions_or_logs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", URL + f"?sslmode=verify-full&password={PASSWORD}")
    settings = Settings(data_dir=tmp_path, secret_key="unit-test")
    store = FeedbackStore.for_settings(settings)
    caplog.set_level(logging.INFO)
    check_startup(settings)
    shown = [
        repr(settings),
        str(settings.model_dump()),
        repr(store),
        repr(store.engine),
        repr(AccessAudit.for_settings(settings)),
        describe(settings),
        caplog.text,
    ]
    assert not any(PASSWORD in s for s in shown)
    assert "PostgreSQL at postgresql+psycopg://assistant:***@db.internal:5432/assistant" in (
        caplog.text
    )


@pytest.mark.parametrize(
    "value",
    [
        f"mysql://root:{PASSWORD}@db/assistant",
        "sqlite://",
        f"not a url {PASSWORD}",
        f"postgresql+psycopg2://u:{PASSWORD}@db/a",
    ],
)
def test_an_unusable_url_refuses_to_start_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", value)
    settings = Settings(data_dir=tmp_path, secret_key="unit-test")
    with pytest.raises(UnsafeSettingsError) as refused:
        check_startup(settings)
    assert "ASSISTANT_DATABASE_URL" in str(refused.value)
    assert PASSWORD not in str(refused.value) and "mysql" not in str(refused.value)
    with pytest.raises(DatabaseURLError):
        FeedbackStore.for_settings(settings)


def test_an_unencrypted_remote_database_is_warned_about(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", URL)
    check_startup(Settings(data_dir=tmp_path, secret_key="unit-test"))
    assert "sslmode" in caplog.text
    caplog.clear()
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"postgresql://a:{PASSWORD}@127.0.0.1/a")
    check_startup(Settings(data_dir=tmp_path, secret_key="unit-test"))
    assert "sslmode" not in caplog.text


def test_a_sqlite_url_puts_both_stores_in_that_one_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = tmp_path / "shared" / "stores.sqlite3"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{shared}")
    settings = Settings(data_dir=tmp_path / "data")
    FeedbackStore.for_settings(settings).schema_version()
    AccessAudit.for_settings(settings).events()
    tables = set(inspect(sqlite_engine(shared)).get_table_names())
    assert {"feedback", "audit_events", "access_events"} <= tables
    assert not (tmp_path / "data").exists()


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "x.sqlite3")
    first = Migration("a table", sql("CREATE TABLE kept (id INTEGER)"))
    assert migrate(engine, "v", [first]) == 1

    def half_done(conn: Connection) -> None:
        conn.execute(text("CREATE TABLE partial (id INTEGER)"))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        migrate(engine, "v", [first, Migration("breaks", half_done)])
    assert "partial" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM v")).scalars().all() == [1]


def test_a_database_from_a_newer_assistant_is_refused(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "x.sqlite3")
    steps = [Migration(str(n), sql(f"CREATE TABLE t{n} (id INTEGER)")) for n in range(3)]
    migrate(engine, "v", steps)
    with pytest.raises(SchemaTooNewError, match="upgrade the assistant"):
        migrate(engine, "v", steps[:2])


def test_stores_opened_together_from_threads_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "assistant.sqlite3"
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            FeedbackStore(path).schema_version()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite_engine(path).connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version")).scalars().all()
    assert versions == [1, 2, 3]
