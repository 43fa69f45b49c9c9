"""Fixtures shared by the integration and browser tests: one real index per test session.

The real packaged model embeds the real corpus once; integration tests use that data
directory, and the browser tests serve a copy of it, so `make test` embeds only once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    os.environ["HF_HUB_OFFLINE"] = "1"
    from assistant.embeddings import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:  # type: ignore[no-untyped-def]
    """A data directory holding the real corpus's index (embedded Chroma)."""
    from assistant.pipeline import Assistant
    from assistant.settings import Settings

    data_dir = tmp_path_factory.mktemp("data")
    report = Assistant(Settings(data_dir=data_dir), embedder=embedder).ingest()
    assert not report.problems, report.problems
    return data_dir
