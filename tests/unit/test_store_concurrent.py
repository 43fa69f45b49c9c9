"""Workers starting together restore a generation's vector collection at the same time
(issue #13): writing it must never drop a collection another process is filling or
serving from, and the end result must be the whole collection."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from assistant import store as store_module
from assistant.settings import ChromaSettings
from assistant.store import VectorStore

N = 1_200


def _rows() -> tuple[list[str], np.ndarray, list[dict[str, str | int | float | bool]]]:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(N, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"doc-{i:010x}" for i in range(N)]
    return ids, vectors, [{"partnership": "lambeth", "doc_id": "doc"} for _ in ids]


def test_concurrent_writers_of_one_generation_end_with_the_whole_collection(
    tmp_path: Path, monkeypatch: object
) -> None:
    monkeypatch.setattr(store_module, "_ADD_BATCH", 100)  # type: ignore[attr-defined]
    ids, vectors, metadatas = _rows()
    store = VectorStore(ChromaSettings(), tmp_path)
    errors: list[BaseException] = []
    counts: list[int] = []

    def restore() -> None:
        try:
            store.write("g1", ids, vectors, metadatas)
            counts.append(store.count("g1"))  # a reader straight after its own write
        except BaseException as error:  # the race is what is tested
            errors.append(error)

    threads = [threading.Thread(target=restore) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts == [N, N, N]
    hits = store.query("g1", vectors[5], 1)
    assert hits[0].passage_id == ids[5]


def test_writing_a_generation_again_removes_rows_it_no_longer_has(tmp_path: Path) -> None:
    ids, vectors, metadatas = _rows()
    store = VectorStore(ChromaSettings(), tmp_path)
    store.write("g1", ids, vectors, metadatas)
    store.write("g1", ids[:10], vectors[:10], metadatas[:10])
    assert store.count("g1") == 10


def test_a_query_after_the_collection_was_made_again_still_answers(tmp_path: Path) -> None:
    """Queries keep the collection's handle; one made stale by another process dropping
    and re-creating the collection (or a restarted server) is looked up again."""
    ids, vectors, metadatas = _rows()
    store = VectorStore(ChromaSettings(), tmp_path)
    store.write("g1", ids, vectors, metadatas)
    assert store.query("g1", vectors[3], 1)[0].passage_id == ids[3]
    other = VectorStore(ChromaSettings(), tmp_path)  # another process's view of the same data
    other.drop("g1")
    other.write("g1", ids[:50], vectors[:50], metadatas[:50])
    assert store.query("g1", vectors[7], 1)[0].passage_id == ids[7]
    assert store.query("g1", vectors[7], 1)[0].passage_id == ids[7]  # the fresh handle is kept
