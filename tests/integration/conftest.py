"""Integration fixtures: the real packaged model, the real corpus, real Chroma."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.embeddings import SentenceEmbedder
from assistant.pipeline import Assistant
from assistant.settings import ChromaSettings, Settings

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def assistant(built_index: Path, embedder: SentenceEmbedder) -> Assistant:
    """The real corpus indexed into embedded Chroma (built once per session)."""
    instance = Assistant(Settings(data_dir=built_index), embedder=embedder)
    instance.load()
    return instance


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaSettings]:
    """A real `chroma run` server on 127.0.0.1, started from the project's own venv."""
    chroma = shutil.which("chroma", path=str(REPO / ".venv" / "bin")) or shutil.which("chroma")
    assert chroma, "the chroma CLI (from the chromadb package) is not installed"
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"chroma server did not start: {(path / 'server.log').read_text()}")
        yield ChromaSettings(host="127.0.0.1", port=port)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def server_assistant(
    tmp_path_factory: pytest.TempPathFactory,
    embedder: SentenceEmbedder,
    chroma_server: ChromaSettings,
    assistant: Assistant,
) -> Assistant:
    """Same corpus through a Chroma server; the embedded index's vectors are reused, so this
    exercises the server path without embedding everything twice."""
    data_dir = tmp_path_factory.mktemp("data-server")
    shutil.copytree(assistant.settings.data_dir / "index", data_dir / "index")
    instance = Assistant(Settings(data_dir=data_dir, chroma=chroma_server), embedder=embedder)
    report = instance.ingest()
    assert report.embedded == 0 and report.sentences_embedded == 0 and not report.unchanged
    return instance
