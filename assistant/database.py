"""Where feedback and audit rows live, and the numbered migrations that shape them.

SQLite files in the data folder unless ``ASSISTANT_DATABASE_URL`` names a database;
PostgreSQL (``postgresql://…``, through psycopg 3) when several workers or hosts serve.
Both backends run the same numbered migrations, recorded in a version table per store,
at first use: in one transaction, under a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory
lock on PostgreSQL), so processes that start together migrate once.

The URL is a secret: only :func:`describe` renders it, with the password and query hidden.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Self

from sqlalchemy import (
    URL,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    create_engine,
    event,
    func,
    insert,
    make_url,
    select,
    text,
)
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import QueuePool

from assistant.settings import Settings

log = logging.getLogger(__name__)

__all__ = [
    "DatabaseURLError",
    "MigratedStore",
    "Migration",
    "SchemaTooNewError",
    "database_url",
    "describe",
    "dispose_engines",
    "migrate",
    "safe_url",
    "shared_engine",
    "sqlite_engine",
    "sqlite_file",
    "utc_text",
]

CONNECT_TIMEOUT_S = 10
"""Longest wait for a connection (PostgreSQL connect or pool; SQLite busy lock)."""
POOL_RECYCLE_S = 1800
SQLITE_IMMEDIATE = "assistant_sqlite_immediate"
"""Execution option: open the SQLite transaction with ``BEGIN IMMEDIATE`` (a write lock)."""


class DatabaseURLError(ValueError):
    """``ASSISTANT_DATABASE_URL`` cannot be used (the message never repeats the URL)."""


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer version of the assistant than this one."""


@dataclass(frozen=True)
class Migration:
    """One numbered schema step; append new ones, never edit one that has shipped."""

    description: str
    upgrade: Callable[[Connection], None]


def sql(*statements: str) -> Callable[[Connection], None]:
    """A migration step of plain SQL statements that both backends accept."""

    def upgrade(conn: Connection) -> None:
        for statement in statements:
            conn.execute(text(statement))

    return upgrade


def utc_text(moment: datetime) -> str:
    """A timestamp as stored: ISO 8601 in UTC (naive times are taken as UTC), so text order
    is time order on both backends and retention purges compare correctly."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat()


# --- URLs ------------------------------------------------------------------------------------

_USAGE = "expected postgresql://USER:PASSWORD@HOST:5432/NAME or sqlite:////path/to/file.sqlite3"


def database_url(settings: Settings) -> URL | None:
    """The configured database, with the installed driver named; None when unset."""
    if settings.database_url is None:
        return None
    if not settings.database_url.get_secret_value().strip():
        return None
    try:  # no local holds the URL text: a traceback showing locals shows no password
        url = make_url(settings.database_url.get_secret_value().strip())
    except ArgumentError:
        raise DatabaseURLError(
            f"ASSISTANT_DATABASE_URL is not a database URL ({_USAGE})."
        ) from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend in ("postgresql", "postgres"):
        if "+" in url.drivername and driver != "psycopg":
            raise DatabaseURLError(
                "ASSISTANT_DATABASE_URL names a PostgreSQL driver that is not installed: "
                "use postgresql:// or postgresql+psycopg://."
            )
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseURLError(
                "ASSISTANT_DATABASE_URL is an in-memory SQLite database; name a file "
                "(sqlite:////path/to/file.sqlite3), or leave it unset for the data folder."
            )
        return url
    raise DatabaseURLError(f"ASSISTANT_DATABASE_URL must be PostgreSQL or SQLite ({_USAGE}).")


def describe(settings: Settings) -> str:
    """Which backend holds feedback and audit events, without password or query string."""
    url = database_url(settings)
    if url is None:
        return f"SQLite files in {settings.data_dir}"
    kind = "PostgreSQL" if url.get_backend_name() == "postgresql" else "SQLite"
    return f"{kind} at {safe_url(url)}"


def safe_url(url: URL) -> str:
    """A URL to show: password masked, query string (which may hold secrets) left out."""
    return url.set(query={}).render_as_string(hide_password=True)


def unencrypted_remote(settings: Settings) -> bool:
    """PostgreSQL on another machine without ``sslmode`` asking for TLS."""
    url = database_url(settings)
    if url is None or url.get_backend_name() != "postgresql" or not url.host:
        return False
    if url.host == "localhost" or url.host.startswith("/"):
        return False
    try:
        if ipaddress.ip_address(url.host.strip("[]")).is_loopback:
            return False
    except ValueError:
        pass
    return str(url.query.get("sslmode", "prefer")) not in ("require", "verify-ca", "verify-full")


# --- engines ---------------------------------------------------------------------------------

_engines: dict[tuple[str, int, float], Engine] = {}
_engines_lock = threading.Lock()


def shared_engine(settings: Settings) -> Engine | None:
    """The engine for ``ASSISTANT_DATABASE_URL`` (one pool a process, shared by the feedback
    and audit stores); None when unset (each store keeps its own file in ``data_dir``)."""
    url = database_url(settings)
    if url is None:
        return None
    if url.get_backend_name() == "sqlite":
        return sqlite_engine(Path(str(url.database)))
    key = (
        url.render_as_string(hide_password=False),
        settings.database_pool_size,
        settings.database_statement_timeout_s,
    )
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _postgres_engine(
                url, settings.database_pool_size, settings.database_statement_timeout_s
            )
            _engines[key] = engine
        return engine


SECRET_QUERY_KEYS = ("password", "sslpassword")
"""Query parameters that are secrets: passed to the driver, never kept in the engine's URL
(which its repr and errors show)."""


def _postgres_engine(url: URL, pool_size: int, statement_timeout_s: float) -> Engine:
    timeout_ms = int(statement_timeout_s * 1000)
    secrets = {key: str(url.query[key]) for key in SECRET_QUERY_KEYS if key in url.query}
    return create_engine(
        url.difference_update_query(SECRET_QUERY_KEYS),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=CONNECT_TIMEOUT_S,
        pool_pre_ping=True,  # a restarted server or a dropped connection is noticed, not served
        pool_recycle=POOL_RECYCLE_S,
        hide_parameters=True,  # errors never carry the values (ids, redacted comments)
        connect_args={
            **secrets,
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "safeguarding-assistant",
            "options": f"-c statement_timeout={timeout_ms} -c lock_timeout={timeout_ms}",
        },
    )


def dispose_engines() -> None:
    """Close every shared pool (at shutdown, or when a test drops its database)."""
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        engine.dispose()


def _forget_pools_after_fork() -> None:
    """A forked worker must not use its parent's connections (they stay the parent's)."""
    for engine in [*_engines.values(), *_sqlite_engines]:
        engine.dispose(close=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools_after_fork)


def sqlite_engine(path: Path) -> Engine:
    """A SQLite file in write-ahead-log mode: a small pool of connections, each used by one
    thread at a time (so a question's audit row is not a fresh connection and two fsyncs),
    readers never wait for a writer, and a commit survives the process being killed (only a
    power cut can lose the last ones, ``synchronous=NORMAL``). The file and its folder are
    created on first write, not here."""
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(path)),
        poolclass=QueuePool,
        pool_size=SQLITE_POOL_SIZE,
        max_overflow=SQLITE_POOL_SIZE,
        pool_timeout=CONNECT_TIMEOUT_S,
        hide_parameters=True,
        connect_args={"timeout": CONNECT_TIMEOUT_S, "check_same_thread": False},
    )
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    _sqlite_engines.add(engine)
    return engine


SQLITE_POOL_SIZE = 4
_sqlite_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite engine; None for a server database."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database)


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    # The driver's own implicit transactions are off; SQLAlchemy's begin emits BEGIN itself
    # (the documented pysqlite recipe), so migrations can take the write lock up front.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout = {CONNECT_TIMEOUT_S * 1000}")
    # Write-ahead logging is a property of the file, kept once set: only the first
    # connection to a new file switches it. Switching needs the file to itself, so a
    # connection opened while another does the switch carries on (the file ends up WAL).
    mode = dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0]
    if str(mode).lower() != "wal":
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            log.info("another connection is switching the file to write-ahead logging")
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# --- migrations ------------------------------------------------------------------------------


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def migrate(engine: Engine, version_table: str, migrations: Sequence[Migration]) -> int:
    """Run the migrations the database has not had, in one locked transaction; returns the
    schema version. Two processes starting together: one migrates, the other waits and
    finds nothing to do."""
    versions = Table(version_table, MetaData(), Column("version", Integer, nullable=False))
    backend = engine.dialect.name
    with engine.connect() as conn:
        if backend == "sqlite":
            conn = conn.execution_options(**{SQLITE_IMMEDIATE: True})
        with conn.begin():
            if backend == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(version_table)}
                )
            versions.create(conn, checkfirst=True)
            current = int(conn.execute(select(func.max(versions.c.version))).scalar() or 0)
            if current > len(migrations):
                raise SchemaTooNewError(
                    f"The {version_table} of the database is {current}, newer than this "
                    f"version of the assistant knows ({len(migrations)}): upgrade the "
                    "assistant on this host."
                )
            for number, migration in enumerate(migrations, start=1):
                if number > current:
                    migration.upgrade(conn)
                    conn.execute(insert(versions).values(version=number))
    return len(migrations)


class MigratedStore:
    """A store on one engine whose schema grows by numbered ``MIGRATIONS``, run once per
    process on first use. Subclasses name the SQLite ``FILE`` in the data folder, their
    ``VERSION_TABLE`` and their ``MIGRATIONS``."""

    FILE: ClassVar[str]
    VERSION_TABLE: ClassVar[str]
    MIGRATIONS: ClassVar[Sequence[Migration]]

    def __init__(self, target: Path | Engine) -> None:
        """``target``: a SQLite file (created on first write), or an engine."""
        if isinstance(target, Engine):
            self.path: Path | None = sqlite_file(target)
            self.engine = target
        else:
            self.path = Path(target)
            self.engine = sqlite_engine(self.path)
        self._migrated = False

    @classmethod
    def for_settings(cls, settings: Settings) -> Self:
        """The store the settings name: ``ASSISTANT_DATABASE_URL``, else the data folder's file."""
        engine = shared_engine(settings)
        return cls(engine if engine is not None else settings.data_dir / cls.FILE)

    def __repr__(self) -> str:  # never the password
        return f"{type(self).__name__}({self.path or safe_url(self.engine.url)})"

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        """One transaction on a connection of its own (safe from worker threads)."""
        if not self._migrated:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            migrate(self.engine, self.VERSION_TABLE, self.MIGRATIONS)
            self._migrated = True
        with self.engine.begin() as conn:
            yield conn
