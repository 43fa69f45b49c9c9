"""Corpus → passages → both indexes, idempotent by content hash, switched atomically.

A document that cannot be read is reported with its reason and skipped; the rest still
index. The new generation is built beside the serving one and only named in
``CURRENT`` once complete.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.chunking import chunk_document
from assistant.compose.sentences import split_sentences
from assistant.corpus import DocumentError, load_document, load_manifest
from assistant.embeddings import Embedder, Vectors
from assistant.index import (
    DocumentRecord,
    GenerationInfo,
    GenerationWriter,
    Problem,
    SentenceTable,
    StoredGeneration,
    current_generation,
    embedding_key,
    embedding_text,
    now,
    remove_old_generations,
    switch_to,
)
from assistant.keyword import KeywordIndex
from assistant.settings import Settings
from assistant.store import VectorStore
from assistant.types import CleanDocument, Passage, SourceDocument

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as (stage, done, total) so the CLI can draw a progress bar."""


@dataclass
class IngestReport:
    generation: str
    documents: int
    passages: int
    embedded: int
    reused: int
    sentences_embedded: int = 0
    problems: list[Problem] = field(default_factory=list)
    unchanged: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class LoadedCorpus:
    documents: list[CleanDocument]
    passages: list[Passage]
    problems: list[Problem]

    def version(self) -> str:
        """Hash of what was indexed: manifest metadata plus each document's content hash."""
        digest = hashlib.sha256()
        for document in sorted(self.documents, key=lambda d: d.doc.id):
            digest.update(document.doc.model_dump_json().encode())
            digest.update(document.content_hash.encode())
        return digest.hexdigest()[:16]


def read_corpus(corpus_dir: Path, progress: Progress | None = None) -> LoadedCorpus:
    """Load, clean and chunk every manifest entry; report and skip what fails."""
    entries = load_manifest(corpus_dir)
    documents: list[CleanDocument] = []
    passages: list[Passage] = []
    problems: list[Problem] = []
    for done, entry in enumerate(entries, start=1):
        try:
            document = load_document(entry, corpus_dir)
            chunks = chunk_document(document)
            if not chunks:
                raise DocumentError("no text left after cleaning")
        except DocumentError as error:
            problems.append(Problem(doc_id=entry.id, file=entry.file, reason=str(error)))
            log.warning("skipped %s (%s): %s", entry.id, entry.file, error)
        else:
            documents.append(document)
            passages.extend(chunks)
        if progress:
            progress("read", done, len(entries))
    return LoadedCorpus(documents, passages, problems)


def ingest(
    settings: Settings,
    embedder: Embedder,
    store: VectorStore,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    started = time.perf_counter()
    corpus = read_corpus(settings.corpus_dir, progress)
    fingerprint = settings.index_fingerprint(embedder.name)
    generation = f"{fingerprint}-{corpus.version()}"
    data_dir = settings.data_dir
    previous = current_generation(data_dir)

    if previous == generation and not force and store.exists(generation):
        info = StoredGeneration.load(data_dir, generation).info
        return IngestReport(
            generation=generation,
            documents=len(corpus.documents),
            passages=len(corpus.passages),
            embedded=0,
            reused=len(corpus.passages),
            problems=corpus.problems or info.problems,
            unchanged=True,
            seconds=time.perf_counter() - started,
        )

    docs_by_id = {d.doc.id: d.doc for d in corpus.documents}
    corpus_passages = {p.id: p for p in corpus.passages}
    reusable: dict[str, np.ndarray] = {}
    reusable_sentences: dict[str, np.ndarray] = {}
    if previous and not force:
        try:
            old = StoredGeneration.load(data_dir, previous)
            if old.info.index_fingerprint == fingerprint:
                reusable = old.reusable_vectors()
                reusable_sentences = old.reusable_sentence_vectors()
        except Exception as error:  # an unreadable old index only costs re-embedding
            log.warning("could not reuse embeddings from %s: %s", previous, error)

    texts = [embedding_text(p, docs_by_id[p.doc_id]) for p in corpus.passages]
    keys = [embedding_key(p, docs_by_id[p.doc_id]) for p in corpus.passages]
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    todo = [i for i, key in enumerate(keys) if key not in reusable]
    for i, key in enumerate(keys):
        if key in reusable:
            vectors[i] = reusable[key]
    _embed_missing(embedder, texts, todo, vectors, "embed", progress)

    # Sentence vectors let the composer pick the sentence that answers, not just the passage.
    sentence_pids: list[str] = []
    sentence_spans: list[tuple[int, int]] = []
    for passage in corpus.passages:
        for span in split_sentences(passage.text):
            sentence_pids.append(passage.id)
            sentence_spans.append((span.start, span.end))
    sentence_texts = [
        corpus_passages[pid].text[a:b]
        for pid, (a, b) in zip(sentence_pids, sentence_spans, strict=True)
    ]
    sentence_vectors = np.zeros((len(sentence_texts), embedder.dimension), dtype=np.float32)
    sentence_todo = []
    for i, text in enumerate(sentence_texts):
        key = json.dumps(text)
        if key in reusable_sentences:
            sentence_vectors[i] = reusable_sentences[key]
        else:
            sentence_todo.append(i)
    _embed_missing(
        embedder, sentence_texts, sentence_todo, sentence_vectors, "sentences", progress, batch=512
    )
    sentences = SentenceTable(sentence_pids, sentence_spans, sentence_vectors)

    ids = [p.id for p in corpus.passages]
    partnerships = [docs_by_id[p.doc_id].partnership for p in corpus.passages]
    keyword = KeywordIndex.build(ids, texts, partnerships)
    metadatas = _metadatas(corpus.passages, docs_by_id)
    info = GenerationInfo(
        generation=generation,
        index_fingerprint=fingerprint,
        model=embedder.name,
        corpus_version=corpus.version(),
        created=now(),
        documents=[
            DocumentRecord(
                doc=d.doc,
                content_hash=d.content_hash,
                passage_count=sum(1 for p in corpus.passages if p.doc_id == d.doc.id),
            )
            for d in corpus.documents
        ],
        problems=corpus.problems,
    )
    if progress:
        progress("store", 0, 1)
    store.write(generation, ids, vectors, metadatas)
    GenerationWriter(data_dir, generation).write(
        info, corpus.documents, corpus.passages, vectors, keyword, sentences
    )
    switch_to(data_dir, generation)
    if progress:
        progress("store", 1, 1)

    keep = {generation} | ({previous} if previous else set())
    for old_generation in remove_old_generations(data_dir, keep):
        store.drop(old_generation)
    return IngestReport(
        generation=generation,
        documents=len(corpus.documents),
        passages=len(corpus.passages),
        embedded=len(todo),
        reused=len(texts) - len(todo),
        sentences_embedded=len(sentence_todo),
        problems=corpus.problems,
        seconds=time.perf_counter() - started,
    )


def _metadatas(
    passages: list[Passage], docs: dict[str, SourceDocument]
) -> list[dict[str, str | int | float | bool]]:
    return [
        {
            "doc_id": p.doc_id,
            "partnership": docs[p.doc_id].partnership,
            "status": docs[p.doc_id].status,
            "kind": docs[p.doc_id].kind,
        }
        for p in passages
    ]


def restore_collection(generation: StoredGeneration, store: VectorStore) -> bool:
    """Re-create a generation's vector collection from its stored vectors (no embedding).

    A Chroma folder lost or a new Chroma server should not take the service down while the
    index itself is intact. Returns whether anything had to be restored.
    """
    name = generation.info.generation
    if store.exists(name) and store.count(name) == len(generation.passage_order):
        return False
    docs = {doc_id: clean.doc for doc_id, clean in generation.documents.items()}
    passages = [generation.passages[pid] for pid in generation.passage_order]
    store.write(name, generation.passage_order, generation.vectors, _metadatas(passages, docs))
    log.warning("restored vector collection %s from the stored index", name)
    return True


def _embed_missing(
    embedder: Embedder,
    texts: list[str],
    todo: list[int],
    into: Vectors,
    stage: str,
    progress: Progress | None,
    batch: int = 64,
) -> None:
    """Embed ``texts[i]`` for each ``i`` in ``todo`` into ``into[i]``, reporting progress."""
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        into[chunk] = _embed(embedder, [texts[i] for i in chunk])
        if progress:
            progress(stage, min(start + batch, len(todo)), len(todo))


def _embed(embedder: Embedder, texts: list[str]) -> Vectors:
    vectors = embedder.embed(texts)
    if vectors.shape != (len(texts), embedder.dimension):
        raise RuntimeError(f"embedder returned shape {vectors.shape} for {len(texts)} texts")
    return vectors
