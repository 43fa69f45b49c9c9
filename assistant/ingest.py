"""Corpus → passages → both indexes, idempotent by content hash, switched atomically.

A document that cannot be read is reported with its reason and skipped; the rest still
index. A file refused for safety (a symbolic link, outside the corpus folder, binary or
mostly non-printable: ``assistant.corpus.file_checks``) is reported the same way and also
listed in ``refused``; instruction-like or hidden text is listed in ``flags`` and the
document still indexed. The new generation is built beside the serving one and only named
in ``CURRENT`` once complete.
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
from assistant.corpus import DocumentError, load_manifest
from assistant.corpus.file_checks import (
    Flag,
    InjectionPhrases,
    Refusal,
    RefusedFile,
    load_checked_document,
)
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
    generation_taken,
    now,
    read_info,
    remove_old_generations,
    switch_to,
    unused_generation_name,
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
    refused: list[Refusal] = field(default_factory=list)
    """Files refused for safety; each is also one of ``problems``."""
    flags: list[Flag] = field(default_factory=list)
    """Instruction-like or hidden text in indexed documents, for a person to review."""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class LoadedCorpus:
    documents: list[CleanDocument]
    passages: list[Passage]
    problems: list[Problem]
    refused: list[Refusal] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def version(self) -> str:
        """Hash of what was indexed: manifest metadata plus each document's content hash."""
        digest = hashlib.sha256()
        for document in sorted(self.documents, key=lambda d: d.doc.id):
            digest.update(document.doc.model_dump_json().encode())
            digest.update(document.content_hash.encode())
        return digest.hexdigest()[:16]


def read_corpus(corpus_dir: Path, progress: Progress | None = None) -> LoadedCorpus:
    """Check, load, clean and chunk every manifest entry; report and skip what fails.

    Every file is read through ``load_checked_document``, so a refused file contributes
    nothing to the index; the other entries are indexed as usual.
    """
    entries = load_manifest(corpus_dir, check_paths=False)  # escaping paths: refused below
    phrases = InjectionPhrases.load()
    documents: list[CleanDocument] = []
    passages: list[Passage] = []
    problems: list[Problem] = []
    refused: list[Refusal] = []
    flags: list[Flag] = []
    for done, entry in enumerate(entries, start=1):
        try:
            checked = load_checked_document(entry, corpus_dir, phrases)
            chunks = chunk_document(checked.document)
            if not chunks:
                raise DocumentError("no text left after cleaning")
        except RefusedFile as error:
            problems.append(Problem(doc_id=entry.id, file=entry.file, reason=str(error)))
            refused.append(
                Refusal(doc_id=entry.id, file=entry.file, check=error.check, reason=error.reason)
            )
            log.warning("refused %s (%s): %s", entry.id, entry.file, error.reason)
        except DocumentError as error:
            problems.append(Problem(doc_id=entry.id, file=entry.file, reason=str(error)))
            log.warning("skipped %s (%s): %s", entry.id, entry.file, error)
        else:
            documents.append(checked.document)
            passages.extend(chunks)
            flags.extend(checked.flags)
            for flag in checked.flags:
                log.warning("flagged %s (%s): %s: %s", entry.id, entry.file, flag.kind, flag.found)
        if progress:
            progress("read", done, len(entries))
    return LoadedCorpus(documents, passages, problems, refused, flags)


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
    data_dir = settings.data_dir
    previous = current_generation(data_dir)

    if (
        previous
        and not force
        and _same_build(data_dir, previous, fingerprint, corpus)
        and store.exists(previous)
    ):
        info = read_info(data_dir, previous)
        return IngestReport(
            generation=previous,
            documents=len(corpus.documents),
            passages=len(corpus.passages),
            embedded=0,
            reused=len(corpus.passages),
            problems=corpus.problems or info.problems,
            unchanged=True,
            seconds=time.perf_counter() - started,
            refused=corpus.refused,
            flags=corpus.flags,
        )

    # Never the name of an existing generation (``--force``, or a corpus changed back):
    # that one may be serving, and rewriting it in place could leave no index at all.
    generation = unused_generation_name(
        f"{fingerprint}-{corpus.version()}",
        lambda name: generation_taken(data_dir, name) or store.exists(name),
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
        refused=corpus.refused,
        flags=corpus.flags,
    )


def _same_build(data_dir: Path, generation: str, fingerprint: str, corpus: LoadedCorpus) -> bool:
    """Whether ``generation`` already indexes this corpus with this model and chunker."""
    try:
        info = read_info(data_dir, generation)
    except (OSError, ValueError) as error:
        log.warning("could not read %s's info, so it is rebuilt: %s", generation, error)
        return False
    return info.index_fingerprint == fingerprint and info.corpus_version == corpus.version()


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
