"""Re-indexing under a running server (issue #12 item 2), with the real model and Chroma.

The probe: a server kept using the generation it loaded; the second ingest pruned it, so
every search and answer was a 500 while ``/readyz`` still said ready, and the server never
saw the new index. Here a real uvicorn server (in a thread, over the real Assistant) serves
a copy of the real corpus while ``assistant ingest`` runs twice in its own process, each
time after a document changed. Searches and answers are sent all the while: every one must
be answered 200, and after each ingest the server must serve the new text. A second,
idle worker that has not looked at ``CURRENT`` since it loaded must still answer from its
generation after both ingests (its lease kept it), and then switch too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from assistant.embeddings import SentenceEmbedder
from assistant.pipeline import Assistant
from assistant.server.app import create_app
from assistant.settings import RateLimitSettings, Settings
from tests.integration.conftest import REPO, free_port
from tests.support import wait_until_ready

pytestmark = pytest.mark.integration

DOCUMENT = "documents/practice-private-fostering.md"
KESTREL = (
    "\n## The Kestrel panel for private fostering\n\n"
    "The Kestrel panel reviews every private fostering arrangement that has lasted more than "
    "a year. The Kestrel panel meets monthly and writes to the private foster carer after "
    "each review. A practitioner who wants the Kestrel panel to review an arrangement asks "
    "the private fostering officer to refer it.\n"
)
OSPREY = KESTREL.replace("Kestrel", "Osprey")


@dataclass
class Traffic:
    """Searches and answers sent continuously from another thread; every status kept."""

    url: str
    statuses: list[tuple[str, int, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            sent = 0
            while not self.stop.is_set():
                sent += 1
                if sent % 8 == 0:
                    response = client.post(
                        "/api/ask",
                        json={"question": "who must tell the council about private fostering"},
                    )
                    self.statuses.append(("ask", response.status_code, response.text[:200]))
                else:
                    response = client.get(
                        "/api/search", params={"q": "private fostering panel", "k": 3}
                    )
                    self.statuses.append(("search", response.status_code, response.text[:200]))
                if sent % 5 == 0:
                    ready = client.get("/readyz")
                    self.statuses.append(("readyz", ready.status_code, ready.text[:200]))
                time.sleep(0.02)


def texts(client: httpx.Client, query: str) -> list[str]:
    response = client.get("/api/search", params={"q": query, "k": 5})
    assert response.status_code == 200, response.text
    return [r["text"] for r in response.json()["results"]]


def wait_for(client: httpx.Client, query: str, word: str, timeout: float = 120) -> float:
    """Seconds until a search for ``query`` returns a passage with ``word``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if any(word in text for text in texts(client, query)):
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"the server never served {word!r}: {texts(client, query)}")


def served_words(client: Any, query: str) -> str:
    response = client.get("/api/search", params={"q": query, "k": 5})
    assert response.status_code == 200, response.text
    return " ".join(r["text"] for r in response.json()["results"])


def ingest_in_another_process(settings: Settings) -> None:
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(settings.data_dir),
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "assistant"), "ingest"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture()
def live_server(
    built_index: Path, embedder: SentenceEmbedder, tmp_path: Path
) -> Iterator[tuple[str, Settings, Assistant]]:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    data_dir = tmp_path / "data"
    shutil.copytree(built_index, data_dir, ignore=shutil.ignore_patterns("index-leases"))
    settings = Settings(
        data_dir=data_dir,
        corpus_dir=corpus,
        index_check_s=0.5,
        rate_limit=RateLimitSettings(enabled=False),
    )
    assistant = Assistant(settings, embedder=embedder)
    app = create_app(settings, assistant=assistant)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{url}/readyz", timeout_s=120)
        app.state.load_thread.join(timeout=300)  # the triage warm-up, so requests are not slowed
        yield url, settings, assistant
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        assistant._index.release()


def test_two_ingests_under_a_running_server_keep_it_answering_and_it_serves_the_new_text(
    live_server: tuple[str, Settings, Assistant],
) -> None:
    url, settings, assistant = live_server
    document = settings.corpus_dir / DOCUMENT
    original = document.read_text(encoding="utf-8")
    served_first = assistant._index.generation
    idle = Assistant(
        settings.model_copy(update={"index_check_s": 3600}), embedder=assistant.embedder
    )
    idle.load()  # a worker that will not look at CURRENT again until told to
    traffic = Traffic(url)
    sender = threading.Thread(target=traffic.run, name="traffic", daemon=True)
    sender.start()
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            assert not any("Kestrel" in t for t in texts(client, "Kestrel panel"))

            document.write_text(original + KESTREL, encoding="utf-8")
            ingest_in_another_process(settings)
            wait_for(client, "Kestrel panel private fostering", "Kestrel")
            served_second = assistant._index.generation

            document.write_text(original + OSPREY, encoding="utf-8")
            ingest_in_another_process(settings)
            wait_for(client, "Osprey panel private fostering", "Osprey")
            assert not any("Kestrel" in t for t in texts(client, "Kestrel panel"))
            assert client.get("/readyz").json() == {"status": "ready"}

        idle_app = create_app(idle.settings, assistant=idle)
        with TestClient(idle_app) as idle_client:
            idle_app.state.load_thread.join(timeout=300)  # ready only after the warm-up
            assert idle._index.generation == served_first  # pruned by the second ingest before
            assert idle_client.get("/readyz").json() == {"status": "ready"}
            assert "Kestrel" not in served_words(idle_client, "Kestrel panel private fostering")
            assert idle._index.refresh()
            assert "Osprey" in served_words(idle_client, "Osprey panel private fostering")
    finally:
        traffic.stop.set()
        sender.join(timeout=120)
        idle._index.release()

    assert len({served_first, served_second, assistant._index.generation}) == 3
    searches = [s for s in traffic.statuses if s[0] == "search"]
    asks = [s for s in traffic.statuses if s[0] == "ask"]
    assert len(searches) > 20 and asks, traffic.statuses[-5:]
    failures = [s for s in traffic.statuses if s[1] != 200]
    assert not failures, failures[:5]
