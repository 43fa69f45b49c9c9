"""Browser tests: a real uvicorn server in a subprocess, driven by headless Chromium.

One setting switches the facade:

* ``ASSISTANT_E2E_FAKE=0`` (the default, what `make test` runs):
  ``assistant.server.app:create_app`` — the real Assistant over a copy of the session's
  real index (``tests/conftest.py``), or ``ASSISTANT_E2E_DATA_DIR`` if set.
* ``ASSISTANT_E2E_FAKE=1``: ``tests.e2e.fake_app`` — the real app over the fake facade in
  ``tests/fakes.py``; fast, no model or index (for working on templates).

Chromium is Debian's ``/usr/bin/chromium`` (``ASSISTANT_E2E_CHROMIUM`` overrides it).
Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import stop_process, wait_until_ready

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("ASSISTANT_E2E_CHROMIUM", "/usr/bin/chromium")
USE_FAKE = os.environ.get("ASSISTANT_E2E_FAKE", "0") == "1"
READY_TIMEOUT_S = 30 if USE_FAKE else 900

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass
class Server:
    base_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path
    fake: bool = field(default=USE_FAKE)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (Debian chromium)")
    data_dir = Path(os.environ.get("ASSISTANT_E2E_DATA_DIR") or tmp_path_factory.mktemp("data"))
    if not USE_FAKE and "ASSISTANT_E2E_DATA_DIR" not in os.environ:
        # Serve a copy of the session's real index; the server restores its own Chroma
        # collection from the stored vectors, so nothing is embedded again.
        built: Path = request.getfixturevalue("built_index")
        shutil.copytree(built / "index", data_dir / "index")
    port = _free_port()
    factory = (
        "tests.e2e.fake_app:create_fake_app" if USE_FAKE else "assistant.server.app:create_app"
    )
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_SECRET_KEY": "e2e-test-secret",
        "ASSISTANT_ENABLE_EVALUATIONS_PAGE": "1",
        "PYTHONPATH": str(REPO),
    }
    log_path = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                factory,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    srv = Server(f"http://127.0.0.1:{port}", data_dir, process, log_path)
    try:
        wait_until_ready(f"{srv.base_url}/readyz", process, log_path, READY_TIMEOUT_S)
        yield srv
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Module-scoped: only one sync Playwright may run at a time, and other e2e modules
    (e.g. the evaluation report tests) start their own."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make browser`")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Session:
    """A browser context on the server that records every request it makes."""

    def __init__(
        self,
        browser: object,
        server: Server,
        *,
        viewport: dict[str, int],
        javascript: bool = True,
        acknowledged: bool = True,
    ) -> None:
        self.server = server
        self.context = browser.new_context(  # type: ignore[attr-defined]
            base_url=server.base_url, viewport=viewport, java_script_enabled=javascript
        )
        if acknowledged:
            self.context.add_cookies(
                [{"name": "assistant_ack", "value": "1", "url": server.base_url}]
            )
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        self.page.set_default_timeout(30_000 if server.fake else 120_000)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: object, server: Server) -> Iterator[Session]:
    s = Session(browser, server, viewport=DESKTOP)
    yield s
    s.close()


@pytest.fixture
def make_session(browser: object, server: Server) -> Iterator[object]:
    made: list[Session] = []

    def make(**kwargs: object) -> Session:
        s = Session(browser, server, **kwargs)  # type: ignore[arg-type]
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def screenshot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
