"""The triage classifier is built once per process, however many requests arrive while
it is being built (before, each of them embedded the whole exemplar bank again)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant.embeddings import Vectors
from assistant.pipeline import Assistant
from assistant.settings import Settings
from tests.support import HashEmbedder


class SlowEmbedder(HashEmbedder):
    def embed(self, texts: list[str]) -> Vectors:
        time.sleep(0.3)  # long enough for every request to arrive while the bank embeds
        return super().embed(texts)


def test_concurrent_first_requests_build_the_classifier_once(tmp_path: Path) -> None:
    embedder = SlowEmbedder()
    assistant = Assistant(Settings(data_dir=tmp_path / "data"), embedder=embedder)  # type: ignore[arg-type]
    with ThreadPoolExecutor(max_workers=8) as pool:
        built = list(pool.map(lambda _: assistant.understanding, range(8)))
    assert all(u is built[0] for u in built)
    assert embedder.calls == 1, f"the exemplar bank was embedded {embedder.calls} times"
