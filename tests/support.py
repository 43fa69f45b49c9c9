"""Test doubles for the core: a deterministic embedder and a tiny corpus builder."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import yaml

from assistant.embeddings import Vectors

REPO = Path(__file__).resolve().parent.parent


class HashEmbedder:
    """Bag-of-words hashed into a fixed space: similar words → similar vectors, no model."""

    name = "hash-embedder"
    dimension = 64

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts: list[str]) -> Vectors:
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension
                out[row, bucket] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


def quote_nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping with a ``quote`` key, anywhere in loaded YAML (structured guidance)."""
    if isinstance(node, dict):
        if "quote" in node:
            yield node
        for value in node.values():
            yield from quote_nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from quote_nodes(item)


def manifest_entry(doc_id: str, **fields: Any) -> dict[str, Any]:
    """One manifest entry in the real shape; ``fields`` override the defaults."""
    return {
        "id": doc_id,
        "title": doc_id.replace("-", " ").title(),
        "publisher": "Test Partnership",
        "partnership": "lambeth",
        "kind": "procedure",
        "published": "2024-01-01",
        "status": "current",
        "source_url": None,
        "prepared_for_assistant": False,
        "file": f"documents/{doc_id}.md",
        **fields,
    }


def write_corpus(
    folder: Path, documents: dict[str, tuple[str, str]], *, extra: list[dict] | None = None
) -> Path:
    """A corpus folder with a manifest. ``documents``: id → (partnership, markdown text)."""
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    entries = []
    for doc_id, (partnership, text) in documents.items():
        (folder / "documents" / f"{doc_id}.md").write_text(text, encoding="utf-8")
        entries.append(manifest_entry(doc_id, partnership=partnership))
    entries.extend(extra or [])
    (folder / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}), encoding="utf-8")
    for name in ("contacts.yaml",):
        source = REPO / "corpus" / name
        if source.exists():
            shutil.copy(source, folder / name)
    return folder


def paragraph(topic: str, words: int = 80) -> str:
    """A readable filler paragraph about a topic, long enough to be its own passage."""
    sentence = f"The {topic} arrangements describe who does what and when for {topic} work. "
    text = ""
    while len(text.split()) < words:
        text += sentence
    return text.strip()


def wait_until_ready(
    url: str,
    process: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
    timeout_s: float = 30,
) -> None:
    """Poll ``url`` until it answers 200; fail with the server's log if ``process`` exits
    first or ``timeout_s`` passes (servers started by the integration and browser tests)."""

    def output() -> str:
        return log.read_text(errors="replace") if log is not None and log.exists() else ""

    deadline = time.monotonic() + timeout_s
    while True:
        if process is not None and process.poll() is not None:
            pytest.fail(f"{url}: process exited early:\n{output()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} not ready after {timeout_s}s:\n{output()}")
        time.sleep(0.2)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def sqlite_bytes(path: Path) -> bytes:
    """Everything a SQLite database has written: its file and its write-ahead log."""
    files = (path, path.with_name(path.name + "-wal"))
    return b"".join(p.read_bytes() for p in files if p.is_file())
