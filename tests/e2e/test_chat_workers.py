"""The browser chat against ``assistant serve --workers 2`` (issue #13).

Six questions in a row in one conversation: every answer must appear, wherever its POST
and its EventSource GET land. The server is the real one over a copy of the session's
real index (embedded Chroma, read by both workers).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DESKTOP, REPO, USE_FAKE, Server, Session, _free_port
from tests.e2e.flows import ANSWERS
from tests.support import stop_process, wait_until_ready

pytestmark = pytest.mark.skipif(USE_FAKE, reason="needs the real `assistant serve`")

QUESTIONS = [
    "Who do I phone to talk a worry about a child through?",
    "What is early help?",
    "And who provides it?",
    "How do I escalate a disagreement with another agency?",
    "What does the LADO do?",
    "What is private fostering?",
]


@pytest.fixture(scope="module")
def two_workers(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    built: Path = request.getfixturevalue("built_index")
    data_dir = tmp_path_factory.mktemp("workers-e2e-data")
    shutil.copytree(built / "index", data_dir / "index")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("workers-e2e") / "serve.log"
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_SECRET_KEY": "e2e-workers-secret",
        "HF_HUB_OFFLINE": "1",
    }
    command = shutil.which("assistant", path=str(REPO / ".venv" / "bin")) or "assistant"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [command, "serve", "--port", str(port), "--workers", "2"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, log_path, fake=False)
    try:
        wait_until_ready(f"{server.base_url}/readyz", process, log_path, 900)
        _wait_until_every_worker_is_ready(server, 900)
        yield server
    finally:
        stop_process(process)


def _wait_until_every_worker_is_ready(server: Server, timeout_s: float) -> None:
    """Each worker loads the model itself: 30 ready answers in a row, each on a new
    connection (so each may land on either worker)."""
    deadline = time.monotonic() + timeout_s
    streak = 0
    while streak < 30:
        if server.process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the workers did not all get ready:\n{server.log()}")
        try:
            ok = httpx.get(f"{server.base_url}/readyz", timeout=5).status_code == 200
        except httpx.HTTPError:
            ok = False
        streak = streak + 1 if ok else 0
        if not ok:
            time.sleep(0.5)


def _wait_for_answers(page: Any, count: int, timeout_s: float = 600) -> None:
    """Poll from Python (the CSP forbids the eval that wait_for_function needs)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = page.locator(ANSWERS).count()
        pending = page.locator("#conversation .app-pending").count()
        if done >= count and pending == 0:
            return
        time.sleep(0.2)
    pytest.fail(f"{page.locator(ANSWERS).count()} of {count} answers appeared")


@pytest.mark.timeout(1800)  # two workers load the model, then six answers on 2 cores
def test_six_questions_in_a_row_all_get_their_answers(browser: Any, two_workers: Server) -> None:
    session = Session(browser, two_workers, viewport=DESKTOP)
    try:
        page = session.page
        page.goto("/")
        for n, question in enumerate(QUESTIONS, start=1):
            page.fill("#question", question)
            page.click("#ask-form button[type=submit]")
            _wait_for_answers(page, n)
            latest = page.locator(ANSWERS).nth(n - 1)
            shown = latest.locator(".app-answer__body, .app-notice, .app-empty")
            assert shown.first.inner_text().strip()
            fields = page.locator("#conversation-state input[name=conversation]")
            assert fields.count() == n  # each answer joined the conversation
        streams = [u for u in session.requests if "/chat/stream/" in u]
        assert len(streams) == len(QUESTIONS)
        assert page.locator(".app-exchange .app-notice--danger:has-text('No answer')").count() == 0
        assert session.console_errors == []
    finally:
        session.close()
