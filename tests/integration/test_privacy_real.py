"""The real server, as an operator runs it (``assistant serve``), under the probe's requests.

Issue #12: personal data reached the access log and disk; one request froze the server;
SIGTERM could not stop it. Here a real uvicorn process serves the real index while the test
asks the probe's questions, sends the probe's feedback ids and a 2 MB history, keeps the
thread pool busy, and finally sends SIGTERM. Then every identifier is looked for in the
captured server output and in every file of the data directory.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest

from tests.integration.conftest import REPO, free_port
from tests.support import wait_until_ready

pytestmark = pytest.mark.integration

SEARCH = "Jayden Okafor 14/03/2015 SW2 5SG 07700 900123 neglect"
QUESTION = (
    "Kacper Wiśniewski (9) at 14 Acre Lane told me his dad hits him, mum is on "
    "+48 512 345 678 and jo.bloggs@example.com, NHS 943 476 5919 - what happens after I refer"
)
HISTORY = [
    {"role": "user", "content": "Mia-Rose O'Connor, DOB 12.05.2012, worried about neglect"},
    {"role": "assistant", "content": "Here is what the guidance says about neglect."},
]
FEEDBACK_COMMENT = "Wrong for Siobhan, begum 12.05.2012, call +234 803 123 4567"
BAD_FEEDBACK_IDS = ["jo.bloggs@example.com", "943 476 5919", "+447700900123"]

IDENTIFIERS = [
    "Jayden",
    "Okafor",
    "14/03/2015",
    "SW2 5SG",
    "07700 900123",
    "Kacper",
    "Wiśniewski",
    "14 Acre Lane",
    "512 345 678",
    "jo.bloggs@example.com",
    "943 476 5919",
    "Mia-Rose",
    "O'Connor",
    "12.05.2012",
    "Siobhan",
    "begum",
    "803 123 4567",
    "+447700900123",
]


def _forms(identifier: str) -> set[bytes]:
    """The ways an identifier can be written down: as typed, URL-encoded, digits only."""
    forms = {identifier, quote(identifier), quote_plus(identifier)}
    digits = "".join(c for c in identifier if c.isdigit())
    if len(digits) >= 8:
        forms.add(digits)
    return {form.encode("utf-8") for form in forms}


def _occurrences(data_dir: Path) -> dict[tuple[str, str], int]:
    """How often each identifier is written in each file of the data directory."""
    found: dict[tuple[str, str], int] = {}
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for identifier in IDENTIFIERS:
                count = sum(content.count(form) for form in _forms(identifier))
                if count:
                    found[(str(path.relative_to(data_dir)), identifier)] = count
    return found


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    output: Path
    data_dir: Path
    before: dict[tuple[str, str], int]
    """Occurrences before any request: the corpus itself names a public figure."""


@pytest.fixture(scope="module")
def server(built_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("privacy") / "data"
    shutil.copytree(built_index, data_dir)
    port = free_port()
    output = data_dir.parent / "server-output.log"
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_SECRET_KEY": "privacy-test-secret",
        "ASSISTANT_LOG_FORMAT": "json",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "assistant"), "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{url}/readyz", process, output, timeout_s=180)
        yield Server(url, process, output, data_dir, before=_occurrences(data_dir))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_the_probes_requests_leave_no_identifier_in_logs_or_on_disk(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        search = client.get("/api/search", params={"q": SEARCH, "k": 3})
        assert search.status_code == 200
        assert search.json()["personal_data_notice"]  # the user is told what was removed
        answer = client.post("/api/ask", json={"question": QUESTION, "history": HISTORY})
        assert answer.status_code == 200
        body = answer.json()
        assert "personal_data" in [n["kind"] for n in body["notices"]]
        citation = body["citations"][0] if body["citations"] else None
        feedback = client.post(
            "/api/feedback",
            json={
                "answer_id": body["answer_id"],
                "helpful": False,
                "kind": "problem",
                "comment": FEEDBACK_COMMENT,
                "passage_ids": [citation["passage_id"]] if citation else [],
                "doc_ids": [citation["doc_id"]] if citation else [],
            },
        )
        assert feedback.status_code == 201, feedback.text
        for bad in BAD_FEEDBACK_IDS:
            refused = client.post("/api/feedback", json={"answer_id": bad, "helpful": True})
            assert refused.status_code == 422
            assert bad not in refused.text
        history_only = client.post(
            "/api/ask", json={"question": "what happens next", "history": HISTORY}
        )
        assert "personal_data" in [n["kind"] for n in history_only.json()["notices"]]
    time.sleep(1.0)  # let the access log flush

    output = server.output.read_bytes()
    assert b'"GET /api/search' in output or b"GET /api/search" in output  # it was logged
    leaks = [i for i in IDENTIFIERS if any(form in output for form in _forms(i))]
    assert leaks == [], f"server output holds {leaks}"

    after = _occurrences(server.data_dir)
    stored = [key for key, n in after.items() if n > server.before.get(key, 0)]
    assert stored == [], f"the requests wrote {stored} to the data directory"


def test_a_two_megabyte_history_is_refused_at_once_while_healthz_answers(server: Server) -> None:
    history = [{"role": "user", "content": "early help " * 200_000}]
    busy: list[int] = []

    def ask() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            response = client.post("/api/ask", json={"question": "what is early help"})
            busy.append(response.status_code)

    workers = [threading.Thread(target=ask) for _ in range(24)]  # fills the thread pool
    for worker in workers:
        worker.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            started = time.perf_counter()
            refused = client.post("/api/ask", json={"question": "and then?", "history": history})
            refused_s = time.perf_counter() - started
            assert refused.status_code == 422
            health: list[float] = []
            for _ in range(5):
                started = time.perf_counter()
                assert client.get("/healthz").status_code == 200
                health.append(time.perf_counter() - started)
                time.sleep(0.2)
    finally:
        for worker in workers:
            worker.join(timeout=180)
    assert refused_s < 1.0, refused_s
    assert max(health) < 1.0, health
    assert busy and set(busy) <= {200, 429}


def test_sigterm_stops_the_server_within_ten_seconds_with_a_request_in_flight(
    server: Server,
) -> None:
    """A client that sends half a request body holds a request open; uvicorn would wait
    for it for ever without a graceful-shutdown timeout."""
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as held:
        held.sendall(
            b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            b'{"question": "what is'
        )
        time.sleep(1.0)  # the request has reached the app, which waits for the rest
        started = time.perf_counter()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=20)
        stopped_s = time.perf_counter() - started
    assert stopped_s < 10.0, stopped_s
