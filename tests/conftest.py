"""Fixtures shared by the integration and browser tests: one real index per test session,
and a real PostgreSQL server for the feedback and audit stores.

The real packaged model embeds the real corpus once; integration tests use that data
directory, and the browser tests serve a copy of it, so `make test` embeds only once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import PostgresServer, running_postgres

REPO = Path(__file__).resolve().parent.parent
POSTGRES_TEST_DATABASE = "assistant_test"


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    os.environ["HF_HUB_OFFLINE"] = "1"
    from assistant.embeddings import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:  # type: ignore[no-untyped-def]
    """A data directory holding the real corpus's index (embedded Chroma)."""
    from assistant.pipeline import Assistant
    from assistant.settings import Settings

    data_dir = tmp_path_factory.mktemp("data")
    report = Assistant(Settings(data_dir=data_dir), embedder=embedder).ingest()
    assert not report.problems, report.problems
    return data_dir


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on 127.0.0.1 for the session (tests/pg_server.py)."""
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """``ASSISTANT_DATABASE_URL`` of a database emptied for this test (its schema is
    dropped and made again: much quicker than a new database each time)."""
    from assistant.database import dispose_engines

    url = postgres.empty_database(POSTGRES_TEST_DATABASE)
    yield url
    dispose_engines()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def store_target(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """What a store is opened on, once per backend: a SQLite file (the default) or the
    engine of a fresh PostgreSQL database (run with the integration tests)."""
    if request.param == "sqlite":
        return tmp_path / "data" / "assistant.sqlite3"
    from assistant.database import shared_engine
    from assistant.settings import Settings

    url = request.getfixturevalue("postgres_url")
    return shared_engine(Settings(data_dir=tmp_path, database_url=url))
