"""``assistant serve --workers 2`` (issue #13): any worker serves any request.

A real ``assistant serve --workers 2`` process over a copy of the session's real index,
its vectors in a real Chroma server (the mode several workers share). The parent restores
the collection once before the workers start. Then: 30 streamed answers over the API, four
at a time, all complete; and chat questions whose htmx POST and EventSource GET are sent
on connections held by different worker processes (found with psutil), all complete,
the follow-ups carrying the conversation.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from assistant.settings import ChromaSettings
from tests.integration.conftest import REPO, free_port
from tests.support import stop_process, wait_until_ready

pytestmark = pytest.mark.integration

QUESTIONS = [
    "Who do I phone to talk a worry about a child through?",
    "What is early help?",
    "How do I escalate a disagreement with another agency?",
    "What does the LADO do?",
    "What is private fostering?",
    "When should I share information without consent?",
]


@dataclass
class Served:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def worker_on(self, local_port: int) -> int | None:
        """The pid of the worker holding the connection from ``local_port``."""
        for child in self.workers():
            try:
                connections = child.net_connections(kind="tcp")
            except psutil.Error:
                continue
            for c in connections:
                if c.laddr and c.laddr.port == self.port and c.raddr and c.raddr.port == local_port:
                    return int(child.pid)
        return None


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, built_index: Path, chroma_server: ChromaSettings
) -> Iterator[Served]:
    data_dir = tmp_path_factory.mktemp("workers-data")
    shutil.copytree(built_index / "index", data_dir / "index")
    port = free_port()
    log = tmp_path_factory.mktemp("workers") / "serve.log"
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_SECRET_KEY": "workers-test-secret",
        "ASSISTANT_CHROMA__HOST": str(chroma_server.host),
        "ASSISTANT_CHROMA__PORT": str(chroma_server.port),
        "ASSISTANT_CHROMA__COLLECTION_PREFIX": "workers",
        "HF_HUB_OFFLINE": "1",
    }
    assistant = shutil.which("assistant", path=str(REPO / ".venv" / "bin")) or "assistant"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [assistant, "serve", "--port", str(port), "--workers", "2"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    srv = Served(f"http://127.0.0.1:{port}", port, process, log)
    try:
        wait_until_ready(f"{srv.url}/readyz", process, log, timeout_s=600)
        _wait_for_both_workers(srv)
        yield srv
    finally:
        stop_process(process)


def _wait_for_both_workers(srv: Served, timeout_s: float = 600) -> None:
    """Each worker loads the model and index itself: wait until two have said ready."""
    ready: set[int] = set()
    deadline = time.monotonic() + timeout_s
    while len(ready) < 2:
        if time.monotonic() > deadline or srv.process.poll() is not None:
            pytest.fail(f"only {len(ready)} worker(s) ready:\n{srv.log.read_text()}")
        with httpx.Client(base_url=srv.url, timeout=10) as client:
            response = client.get("/readyz")
            pid = srv.worker_on(_local_port(response))
        if response.status_code == 200 and pid is not None:
            ready.add(pid)
        else:
            time.sleep(0.5)


def _local_port(response: httpx.Response) -> int:
    return int(response.extensions["network_stream"].get_extra_info("client_addr")[1])


def _events(body: str) -> list[str]:
    return re.findall(r"^event: (\w+)", body, flags=re.M)


@pytest.mark.timeout(1800)  # two workers load the model, then 30 answers on 2 cores
def test_thirty_streamed_api_answers_all_complete(served: Served) -> None:
    def ask(i: int) -> list[str]:
        question = QUESTIONS[i % len(QUESTIONS)]
        with (
            httpx.Client(base_url=served.url, timeout=300) as client,
            client.stream("POST", "/api/ask/stream", json={"question": question}) as response,
        ):
            assert response.status_code == 200
            return _events("".join(response.iter_text()))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(ask, range(30)))
    assert len(results) == 30
    for events in results:
        assert events[-1] == "done", events
        assert "answer_part" in events and "error" not in events


def test_chat_streams_from_a_different_worker_than_the_one_that_was_asked(
    served: Served,
) -> None:
    workers = {int(p.pid) for p in served.workers()}
    assert len(workers) >= 2, "expected two worker processes"
    cookies = httpx.Cookies({"assistant_ack": "1"})
    conversation: list[str] = []
    crossed = 0
    for question in QUESTIONS[:4]:
        with httpx.Client(base_url=served.url, timeout=300, cookies=cookies) as asker:
            page = asker.get("/")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert csrf
            pending = asker.post(
                "/",
                data={
                    "csrf_token": csrf.group(1),
                    "question": question,
                    "conversation": conversation,
                },
                headers={"HX-Request": "true"},
            )
            assert pending.status_code == 200
            asked_on = served.worker_on(_local_port(pending))
            cookies = asker.cookies
        url = re.search(r'sse-connect="(/chat/stream/[^"]+)"', pending.text)
        assert url, pending.text
        streamer, streamed_on = _client_on_another_worker(served, cookies, asked_on)
        try:
            with streamer.stream(
                "GET", url.group(1), headers={"Accept": "text/event-stream"}
            ) as sse:
                assert sse.status_code == 200
                if streamed_on is not None:
                    assert served.worker_on(_local_port(sse)) == streamed_on
                body = "".join(sse.iter_text())
        finally:
            streamer.close()
        assert _events(body)[-1] == "done", body[-500:]
        field = re.search(
            r'hx-swap-oob="beforeend"><input type="hidden" name="conversation" '
            r'value="([^"]+)"',
            body,
        )
        assert field, "the done fragment appends the answer to the conversation"
        conversation.append(field.group(1))
        crossed += asked_on is not None and streamed_on is not None and asked_on != streamed_on
    assert crossed == 4, "every stream was served by the worker that was not asked"


def _client_on_another_worker(
    served: Served, cookies: httpx.Cookies, avoid: int | None
) -> tuple[httpx.Client, int | None]:
    """A client whose kept-alive connection is held by a worker other than ``avoid``."""
    for _ in range(60):
        client = httpx.Client(base_url=served.url, timeout=300, cookies=cookies)
        probe = client.get("/healthz")
        pid = served.worker_on(_local_port(probe))
        if pid is not None and pid != avoid:
            return client, pid
        client.close()
    pytest.fail("no connection reached the other worker in 60 tries")
