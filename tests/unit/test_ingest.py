"""Ingest: idempotent by content hash, bad files skipped, failures never lose the index."""

from pathlib import Path

import pytest

from assistant.index import StoredGeneration, current_generation
from assistant.ingest import ingest
from assistant.settings import Settings
from assistant.store import VectorStore
from tests.support import HashEmbedder, paragraph, write_corpus

DOCS = {
    "lado-guide": (
        "lambeth",
        f"# Allegations\n\n## The LADO\n\n{paragraph('LADO allegations')}\n\n## Timescales\n\n{paragraph('timescale')}\n",
    ),
    "early-help": ("lambeth", f"# Early help\n\n## What it is\n\n{paragraph('early help')}\n"),
}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


def run(settings: Settings, embedder: HashEmbedder | None = None, **kw: object):
    embedder = embedder or HashEmbedder()
    return ingest(settings, embedder, VectorStore(settings.chroma, settings.data_dir), **kw)  # type: ignore[arg-type]


def test_builds_an_index_that_loads(settings: Settings) -> None:
    report = run(settings)
    assert report.documents == 2 and report.passages >= 3 and report.ok
    generation = StoredGeneration.load(settings.data_dir)
    assert set(generation.documents) == {"lado-guide", "early-help"}
    assert len(generation.passages) == report.passages == generation.vectors.shape[0]


def test_second_run_with_no_changes_does_no_embedding_work(settings: Settings) -> None:
    embedder = HashEmbedder()
    first = run(settings, embedder)
    embedded = embedder.texts_embedded
    second = run(settings, embedder)
    assert second.unchanged and second.embedded == 0
    assert embedder.texts_embedded == embedded
    assert second.generation == first.generation


def test_a_changed_document_re_embeds_only_its_changed_passages(settings: Settings) -> None:
    embedder = HashEmbedder()
    first = run(settings, embedder)
    path = settings.corpus_dir / "documents" / "early-help.md"
    path.write_text(path.read_text() + f"\n## Consent\n\n{paragraph('consent')}\n")
    second = run(settings, embedder)
    assert not second.unchanged and second.generation != first.generation
    assert 1 <= second.embedded < second.passages
    assert second.reused == second.passages - second.embedded


def test_bad_files_are_reported_and_skipped_and_the_rest_indexed(settings: Settings) -> None:
    import yaml

    manifest_path = settings.corpus_dir / "manifest.yaml"
    manifest = yaml.safe_load(manifest_path.read_text())
    template = manifest["documents"][0]
    (settings.corpus_dir / "documents" / "empty.txt").write_text("   \n")
    (settings.corpus_dir / "documents" / "latin1.txt").write_bytes(
        "Caf\xe9 au lait".encode("latin-1") * 50
    )
    (settings.corpus_dir / "documents" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    for doc_id, file in [
        ("missing", "documents/nope.md"),
        ("empty", "documents/empty.txt"),
        ("latin1", "documents/latin1.txt"),
        ("broken", "documents/broken.pdf"),
    ]:
        manifest["documents"].append({**template, "id": doc_id, "file": file})
    manifest_path.write_text(yaml.safe_dump(manifest))

    report = run(settings)
    assert report.documents == 2
    skipped = {p.doc_id: p for p in report.problems}
    assert set(skipped) == {"missing", "empty", "latin1", "broken"}
    assert all(p.reason and p.file for p in report.problems)
    assert "nope.md" in skipped["missing"].file


def test_a_crash_while_building_leaves_the_previous_index_serving(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(settings)
    path = settings.corpus_dir / "documents" / "early-help.md"
    path.write_text(path.read_text() + f"\n## New section\n\n{paragraph('new thing')}\n")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(VectorStore, "write", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        run(settings)
    assert current_generation(settings.data_dir) == first.generation
    generation = StoredGeneration.load(settings.data_dir)
    assert generation.info.generation == first.generation
    assert VectorStore(settings.chroma, settings.data_dir).count(first.generation) == first.passages


def test_a_malformed_manifest_is_refused_and_the_index_kept(settings: Settings) -> None:
    from assistant.corpus import ManifestError

    first = run(settings)
    (settings.corpus_dir / "manifest.yaml").write_text(
        "documents:\n  - id: x\n    title: [unclosed\n"
    )
    with pytest.raises(ManifestError, match=r"manifest\.yaml"):
        run(settings)
    assert current_generation(settings.data_dir) == first.generation


def test_a_lost_vector_collection_is_restored_from_the_index_without_embedding(
    settings: Settings,
) -> None:
    import shutil

    from assistant.pipeline import Assistant

    first = run(settings)
    shutil.rmtree(settings.data_dir / "chroma")
    embedder = HashEmbedder()
    assistant = Assistant(settings, embedder=embedder)
    assistant.load()
    assert embedder.texts_embedded == 0
    assert VectorStore(settings.chroma, settings.data_dir).count(first.generation) == first.passages
    assert assistant.search("LADO allegations", k=2)[0].doc.id == "lado-guide"
