"""A throwaway PostgreSQL server for the tests, from Debian's ``postgresql`` package.

``initdb`` into a fresh folder under /tmp, then ``postgres`` on a free 127.0.0.1 port with
its unix socket in that folder; password (SCRAM) authentication over TCP, so the URL the
tests use carries a password as a real deployment's does. PostgreSQL refuses to run as
root, so when the tests run as root (CI) the server runs as the ``postgres`` system user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

BIN_GLOB = "/usr/lib/postgresql/*/bin"
USER = "assistant"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder with ``initdb`` and ``postgres``."""
    found = [
        Path(d)
        for d in glob.glob(BIN_GLOB)
        if (Path(d) / "initdb").is_file() and (Path(d) / "postgres").is_file()
    ]
    return max(found, key=lambda d: int(d.parent.name), default=None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    port: int
    password: str
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def empty_database(self, name: str) -> str:
        """The database ``name``, created if missing, with nothing in it; returns its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        with psycopg.connect(self.url(name), autocommit=True) as conn:
            conn.execute(  # end sessions a previous test left open, then start afresh
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        return self.url(name)


@contextlib.contextmanager
def running_postgres(timeout_s: float = 60) -> Iterator[PostgresServer]:
    """Start a server, yield it, stop it and delete its files."""
    bindir = server_binaries()
    if bindir is None:
        pytest.skip(
            f"PostgreSQL server binaries not found ({BIN_GLOB}/initdb): install Debian's "
            "postgresql package (.ci/run does)"
        )
    # Not under pytest's tmp folder: as root that is private to root, and the server's
    # user must reach its own data folder.
    folder = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    owner: tuple[int, int] | None = None
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        owner = (account.pw_uid, account.pw_gid)
        os.chown(folder, *owner)
    run_as: dict[str, object] = (
        {"user": owner[0], "group": owner[1], "extra_groups": []} if owner else {}
    )
    password = secrets.token_urlsafe(16)
    server = PostgresServer(port=_free_port(), password=password, folder=folder)
    log_path = folder / "server.log"
    process: subprocess.Popen[bytes] | None = None
    try:
        (folder / "pwfile").write_text(password + "\n")
        if owner:
            os.chown(folder / "pwfile", *owner)
        initdb = subprocess.run(
            [
                str(bindir / "initdb"),
                "--pgdata",
                str(folder / "data"),
                "--username",
                USER,
                "--pwfile",
                str(folder / "pwfile"),
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            capture_output=True,
            cwd=folder,
            **run_as,  # type: ignore[arg-type]
        )
        if initdb.returncode:
            pytest.fail(f"initdb failed:\n{initdb.stdout.decode()}{initdb.stderr.decode()}")
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    str(bindir / "postgres"),
                    "-D",
                    str(folder / "data"),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    f"port={server.port}",
                    "-c",
                    f"unix_socket_directories={folder}",
                    "-c",
                    "max_connections=60",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=folder,
                **run_as,  # type: ignore[arg-type]
            )
        _wait_until_accepting(server, process, log_path, timeout_s)
        yield server
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)  # "fast" shutdown: ends sessions, then exits
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_accepting(
    server: PostgresServer, process: subprocess.Popen[bytes], log: Path, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            pytest.fail(f"postgres exited early:\n{log.read_text(errors='replace')}")
        try:
            with psycopg.connect(server.url(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                pytest.fail(f"postgres not ready after {timeout_s}s:\n{log.read_text()}")
            time.sleep(0.2)
