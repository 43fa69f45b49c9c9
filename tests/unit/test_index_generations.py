"""Index generations under a running server (issue #12 item 2).

Pruning never deletes a generation a live process has leased; a running Assistant picks
up a new ``CURRENT`` between requests and keeps serving the old one if the new one fails
to load; ``ingest --force`` builds beside the serving generation, never over it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant import index as index_module
from assistant.index import StoredGeneration, current_generation, index_root, switch_to
from assistant.ingest import IngestReport, ingest
from assistant.leases import Lease, lease_dir, leased_generations, process_start
from assistant.live_index import LiveIndex
from assistant.pipeline import Assistant
from assistant.server.app import create_app
from assistant.settings import Settings
from assistant.store import VectorStore
from tests.fakes import FakeAssistant
from tests.support import HashEmbedder, paragraph, write_corpus

DOCS = {
    "lado-guide": ("lambeth", f"# Allegations\n\n## The LADO\n\n{paragraph('LADO allegations')}\n"),
    "early-help": ("lambeth", f"# Early help\n\n## What it is\n\n{paragraph('early help')}\n"),
}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus, index_check_s=0)


def run(settings: Settings, **kw: object) -> IngestReport:
    """An ingest as another process would run it: its own embedder and store client."""
    store = VectorStore(settings.chroma, settings.data_dir)
    return ingest(settings, HashEmbedder(), store, **kw)  # type: ignore[arg-type]


def change(settings: Settings, topic: str) -> None:
    path = settings.corpus_dir / "documents" / "early-help.md"
    path.write_text(path.read_text() + f"\n## {topic.title()}\n\n{paragraph(topic)}\n")


def generations_on_disk(settings: Settings) -> set[str]:
    return {p.name for p in index_root(settings.data_dir).iterdir() if p.is_dir()}


def collection_exists(settings: Settings, generation: str) -> bool:
    return VectorStore(settings.chroma, settings.data_dir).exists(generation)


def serving(settings: Settings) -> Assistant:
    """A loaded Assistant that switches in the calling thread (no background thread)."""
    assistant = Assistant(settings, embedder=HashEmbedder())
    assistant.load()
    assistant._index.background = False
    return assistant


def write_lease(settings: Settings, name: str, **record: object) -> Path:
    path = lease_dir(settings.data_dir) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# ---- pruning and leases -------------------------------------------------------------


def test_without_a_lease_an_ingest_keeps_only_current_and_previous(settings: Settings) -> None:
    first = run(settings)
    change(settings, "consent")
    second = run(settings)
    change(settings, "threshold")
    third = run(settings)
    assert generations_on_disk(settings) == {second.generation, third.generation}
    assert not collection_exists(settings, first.generation)


def test_pruning_keeps_a_generation_a_live_process_has_leased(settings: Settings) -> None:
    first = run(settings)
    lease = Lease(settings.data_dir)
    lease.hold([first.generation])
    for topic in ("consent", "threshold", "neglect"):
        change(settings, topic)
        run(settings)
    assert first.generation in generations_on_disk(settings)
    assert collection_exists(settings, first.generation)
    assert StoredGeneration.load(settings.data_dir, first.generation).info.generation

    lease.release()  # once nobody holds it, the next ingest removes it
    change(settings, "private fostering")
    run(settings)
    assert first.generation not in generations_on_disk(settings)
    assert not collection_exists(settings, first.generation)


def test_a_lease_from_a_dead_process_is_ignored_and_removed(settings: Settings) -> None:
    first = run(settings)
    stale = write_lease(
        settings,
        "dead",
        host=socket.gethostname(),
        pid=dead_pid(),
        started=None,
        generations=[first.generation],
        refreshed=time.time(),
    )
    for topic in ("consent", "threshold"):
        change(settings, topic)
        run(settings)
    assert first.generation not in generations_on_disk(settings)
    assert not stale.exists()


def test_a_recycled_pid_does_not_keep_a_generation(settings: Settings) -> None:
    """Our own pid, but a different process start time: another process had it."""
    first = run(settings)
    started = process_start(os.getpid())
    assert started is not None
    write_lease(
        settings,
        "recycled",
        host=socket.gethostname(),
        pid=os.getpid(),
        started=started - 1,
        generations=[first.generation],
        refreshed=time.time(),
    )
    assert leased_generations(settings.data_dir) == set()


def test_a_lease_from_another_host_counts_while_it_is_refreshed(settings: Settings) -> None:
    fresh = {"host": "elsewhere", "pid": 1, "started": None, "refreshed": time.time()}
    write_lease(settings, "fresh", **fresh, generations=["kept"])
    write_lease(settings, "old", **{**fresh, "refreshed": 0.0}, generations=["gone"])
    (lease_dir(settings.data_dir) / "garbled.json").write_text("{not json")
    assert leased_generations(settings.data_dir) == {"kept"}


# ---- switching CURRENT ----------------------------------------------------------------


def test_switch_to_replaces_current_atomically(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(settings)

    def crash(*args: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(index_module.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        switch_to(settings.data_dir, "some-other-generation")
    assert current_generation(settings.data_dir) == first.generation
    assert (index_root(settings.data_dir) / "CURRENT").read_text() == first.generation


def test_a_running_assistant_switches_to_a_new_current_between_requests(
    settings: Settings,
) -> None:
    first = run(settings)
    assistant = serving(settings)
    hits = assistant.search("private fostering arrangements", k=3)
    assert not any("private fostering" in hit.passage.text for hit in hits)
    change(settings, "private fostering")
    second = run(settings)
    hits = assistant.search("private fostering arrangements", k=3)
    assert assistant._index.generation == second.generation != first.generation
    assert any("private fostering" in hit.passage.text for hit in hits)
    assert assistant.index_problem() is None


def test_two_ingests_under_a_running_assistant_never_break_it(settings: Settings) -> None:
    """The probe's failure: the loaded generation pruned by the second ingest → 500s."""
    first = run(settings)
    assistant = Assistant(
        settings.model_copy(update={"index_check_s": 3600}), embedder=HashEmbedder()
    )
    assistant.load()
    change(settings, "consent")
    run(settings)
    change(settings, "threshold")
    third = run(settings)  # the assistant has not looked at CURRENT yet: it still serves first
    assert assistant._index.generation == first.generation
    assert assistant.search("LADO allegations", k=1)[0].doc.id == "lado-guide"
    assert assistant.index_problem() is None
    assert assistant._index.refresh()
    assert assistant._index.generation == third.generation
    assert any("threshold" in h.passage.text for h in assistant.search("threshold", k=3))


def test_a_generation_that_fails_to_load_leaves_the_old_one_serving(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    first = run(settings)
    assistant = serving(settings)
    change(settings, "consent")
    second = run(settings)
    real_load = StoredGeneration.load

    def broken(data_dir: Path, generation: str | None = None) -> StoredGeneration:
        if generation == second.generation:
            raise ValueError("truncated passages.jsonl")
        return real_load(data_dir, generation)

    monkeypatch.setattr(StoredGeneration, "load", broken)
    with caplog.at_level(logging.ERROR, logger="assistant.live_index"):
        hits = assistant.search("LADO allegations", k=1)
    assert hits[0].doc.id == "lado-guide"
    assert assistant._index.generation == first.generation
    assert second.generation in caplog.text and first.generation in caplog.text
    assert assistant.ready and assistant.index_problem() is None


def test_a_request_finishes_on_the_generation_it_started_on(tmp_path: Path) -> None:
    root = index_root(tmp_path)
    for name in ("one", "two"):
        (root / name).mkdir(parents=True)
        (root / name / "info.json").write_text("{}")
    switch_to(tmp_path, "one")
    live: LiveIndex[str] = LiveIndex(tmp_path, lambda name: f"built {name}", check_every_s=0)
    live.load()
    seen: list[str] = []
    with live.pinned():
        seen.append(live.current())
        switch_to(tmp_path, "two")
        switcher = threading.Thread(target=live.refresh)  # another request's switch
        switcher.start()
        switcher.join()
        assert live.generation == "two"
        seen.append(live.current())
    assert seen == ["built one", "built one"]
    assert live.current() == "built two"
    assert set(live.lease.generations) == {"one", "two"}  # "one" retires only after a while
    live.release()


def test_switching_builds_the_new_generation_before_swapping(tmp_path: Path) -> None:
    """Readers never wait for a load and never see a half-built generation."""
    root = index_root(tmp_path)
    for name in ("one", "two"):
        (root / name).mkdir(parents=True)
        (root / name / "info.json").write_text("{}")
    switch_to(tmp_path, "one")
    building = threading.Event()
    finish = threading.Event()

    def build(name: str) -> str:
        if name == "two":
            building.set()
            assert finish.wait(5)
        return name

    live: LiveIndex[str] = LiveIndex(tmp_path, build, check_every_s=0)
    live.load()
    switch_to(tmp_path, "two")
    assert live.current() == "one"  # starts the switch in the background
    assert building.wait(5)
    assert live.current() == "one"  # answered at once, from the old generation
    finish.set()
    live.wait(5)
    assert live.current() == "two"
    live.release()


# ---- ingest --force -----------------------------------------------------------------


def test_force_builds_a_new_generation_beside_the_serving_one(settings: Settings) -> None:
    first = run(settings)
    forced = run(settings, force=True)
    assert forced.generation != first.generation and not forced.unchanged
    assert forced.generation.startswith(first.generation)
    assert current_generation(settings.data_dir) == forced.generation
    assert generations_on_disk(settings) == {first.generation, forced.generation}
    store = VectorStore(settings.chroma, settings.data_dir)
    assert store.count(first.generation) == first.passages
    again = run(settings)  # the suffixed name still counts as this corpus's build
    assert again.unchanged and again.generation == forced.generation


def test_a_crash_during_force_leaves_the_serving_generation_whole(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(settings)
    assistant = serving(settings)
    real_write = VectorStore.write

    def crash(
        store: VectorStore, generation: str, ids: list, vectors: Any, metadatas: list
    ) -> None:
        real_write(store, generation, ids[:1], vectors[:1], metadatas[:1])
        raise RuntimeError("killed mid-write")  # one passage of the collection written

    monkeypatch.setattr(VectorStore, "write", crash)
    with pytest.raises(RuntimeError, match="killed mid-write"):
        run(settings, force=True)
    assert current_generation(settings.data_dir) == first.generation
    assert VectorStore(settings.chroma, settings.data_dir).count(first.generation) == first.passages
    assert assistant.search("LADO allegations", k=1)[0].doc.id == "lado-guide"
    assert assistant.index_problem() is None


def test_a_corpus_changed_back_gets_a_fresh_name(settings: Settings) -> None:
    path = settings.corpus_dir / "documents" / "early-help.md"
    original = path.read_text()
    first = run(settings)
    change(settings, "consent")
    run(settings)
    path.write_text(original)
    back = run(settings)
    assert back.generation != first.generation and back.generation.startswith(first.generation)


# ---- /readyz ------------------------------------------------------------------------


def test_index_problem_when_the_loaded_collection_is_gone(settings: Settings) -> None:
    first = run(settings)
    assistant = Assistant(
        settings.model_copy(update={"index_check_s": 3600}), embedder=HashEmbedder()
    )
    assistant.load()
    assert assistant.index_problem() is None
    VectorStore(settings.chroma, settings.data_dir).drop(first.generation)
    problem = assistant.index_problem()
    assert problem is not None and first.generation in problem and "does not answer" in problem


def test_readyz_is_503_when_the_index_does_not_answer(tmp_path: Path) -> None:
    fake = FakeAssistant(Settings(data_dir=tmp_path, secret_key="unit-test"))
    fake.load()
    with TestClient(create_app(fake.settings, assistant=fake)) as client:
        assert client.get("/readyz").json() == {"status": "ready"}
        fake.index_broken = "The loaded index (g1) does not answer: Collection gone."
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready: The loaded index (g1) does not answer: Collection gone."
    }
