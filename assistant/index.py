"""The on-disk index: generations built beside each other, one named in ``CURRENT``.

A generation folder holds the cleaned documents, the passages, their embeddings (kept
so later ingests can reuse them) and the BM25 files; its vectors live in a Chroma
collection named after it. ``CURRENT`` is replaced atomically only once a generation is
complete, so a crash or a bad file never leaves the service without an index.

A generation is never rewritten in place: a build whose name is already taken (``ingest
--force``, or a corpus changed back to an earlier version) gets a fresh suffixed name.
Pruning keeps ``CURRENT``, the previous generation and every generation a running process
holds a lease on (``assistant.leases``).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from assistant.embeddings import Vectors
from assistant.errors import IndexMissingError
from assistant.keyword import KeywordIndex
from assistant.leases import leased_generations
from assistant.types import CleanDocument, Passage, SourceDocument


class Problem(BaseModel):
    """A document that was reported and skipped."""

    doc_id: str
    file: str
    reason: str


class DocumentRecord(BaseModel):
    doc: SourceDocument
    content_hash: str
    passage_count: int


class GenerationInfo(BaseModel):
    generation: str
    index_fingerprint: str
    model: str
    corpus_version: str
    created: datetime
    documents: list[DocumentRecord]
    problems: list[Problem]


def index_root(data_dir: Path) -> Path:
    return data_dir / "index"


def current_generation(data_dir: Path) -> str | None:
    pointer = index_root(data_dir) / "CURRENT"
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not name or not (index_root(data_dir) / name / "info.json").exists():
        return None
    return name


def switch_to(data_dir: Path, generation: str) -> None:
    """Atomically make ``generation`` the one every reader loads."""
    root = index_root(data_dir)
    tmp = root / f"CURRENT.{os.getpid()}.tmp"
    with tmp.open("w", encoding="utf-8") as out:
        out.write(generation)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, root / "CURRENT")


def read_info(data_dir: Path, generation: str) -> GenerationInfo:
    """A generation's ``info.json`` alone (cheap: no passages or vectors are read)."""
    path = index_root(data_dir) / generation / "info.json"
    return GenerationInfo.model_validate_json(path.read_text("utf-8"))


def unused_generation_name(base: str, taken: Callable[[str], bool]) -> str:
    """``base`` if nothing has that name yet, else ``base`` with a fresh suffix.

    A name already on disk (or in the vector store) may be the one a server is serving, so
    a build never reuses it: rewriting it in place would leave no index if it crashed."""
    name = base
    while taken(name):
        name = f"{base}-{uuid.uuid4().hex[:8]}"
    return name


def generation_taken(data_dir: Path, name: str) -> bool:
    root = index_root(data_dir)
    return (root / name).exists() or (root / f"{name}.partial").exists()


def remove_old_generations(data_dir: Path, keep: set[str]) -> list[str]:
    """Delete generation folders other than ``keep`` and those a live lease holds.

    Returns the removed names, so the caller drops their vector collections too."""
    root = index_root(data_dir)
    keep = keep | leased_generations(data_dir, remove_stale=True)
    removed: list[str] = []
    for child in root.iterdir() if root.exists() else []:
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
            name = child.name.removesuffix(".partial")
            if name not in keep:  # a kept generation's collection stays
                removed.append(name)
    return removed


@dataclass
class GenerationWriter:
    """Writes a generation into ``<name>.partial`` and renames it when complete."""

    data_dir: Path
    generation: str

    @property
    def partial(self) -> Path:
        return index_root(self.data_dir) / f"{self.generation}.partial"

    @property
    def final(self) -> Path:
        return index_root(self.data_dir) / self.generation

    def write(
        self,
        info: GenerationInfo,
        documents: list[CleanDocument],
        passages: list[Passage],
        vectors: Vectors,
        keyword: KeywordIndex,
        sentences: SentenceTable,
    ) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)
        self.partial.mkdir(parents=True)
        with (self.partial / "documents.jsonl").open("w", encoding="utf-8") as out:
            for document in documents:
                out.write(document.model_dump_json() + "\n")
        with (self.partial / "passages.jsonl").open("w", encoding="utf-8") as out:
            for passage in passages:
                out.write(passage.model_dump_json() + "\n")
        np.save(self.partial / "embeddings.npy", vectors)
        sentences.save(self.partial)
        keyword.save(self.partial)
        (self.partial / "info.json").write_text(info.model_dump_json(indent=2), encoding="utf-8")
        shutil.rmtree(self.final, ignore_errors=True)
        os.replace(self.partial, self.final)


@dataclass
class SentenceTable:
    """Every passage sentence's span and embedding, for sentence-level evidence scoring."""

    passage_ids: list[str]
    spans: list[tuple[int, int]]
    vectors: Vectors

    def save(self, folder: Path) -> None:
        rows = [
            [pid, start, end]
            for pid, (start, end) in zip(self.passage_ids, self.spans, strict=True)
        ]
        (folder / "sentences.json").write_text(json.dumps(rows), encoding="utf-8")
        np.save(folder / "sentence-embeddings.npy", self.vectors)

    @classmethod
    def load(cls, folder: Path) -> SentenceTable:
        rows = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
        vectors = np.load(folder / "sentence-embeddings.npy")
        return cls([r[0] for r in rows], [(r[1], r[2]) for r in rows], vectors)

    def rows_by_passage(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for row, pid in enumerate(self.passage_ids):
            out.setdefault(pid, []).append(row)
        return out


@dataclass
class StoredGeneration:
    """Everything retrieval needs from one generation, loaded into memory."""

    info: GenerationInfo
    documents: dict[str, CleanDocument]
    passages: dict[str, Passage]
    passage_order: list[str]
    vectors: Vectors
    keyword: KeywordIndex
    sentences: SentenceTable

    @classmethod
    def load(cls, data_dir: Path, generation: str | None = None) -> StoredGeneration:
        name = generation or current_generation(data_dir)
        if name is None:
            raise IndexMissingError(
                f"No index in {index_root(data_dir)}: run `assistant ingest` first."
            )
        folder = index_root(data_dir) / name
        info = GenerationInfo.model_validate_json((folder / "info.json").read_text("utf-8"))
        documents: dict[str, CleanDocument] = {}
        for line in (folder / "documents.jsonl").read_text("utf-8").splitlines():
            document = CleanDocument.model_validate_json(line)
            documents[document.doc.id] = document
        passages: dict[str, Passage] = {}
        order: list[str] = []
        for line in (folder / "passages.jsonl").read_text("utf-8").splitlines():
            passage = Passage.model_validate_json(line)
            passages[passage.id] = passage
            order.append(passage.id)
        vectors = np.load(folder / "embeddings.npy")
        return cls(
            info,
            documents,
            passages,
            order,
            vectors,
            KeywordIndex.load(folder),
            SentenceTable.load(folder),
        )

    def reusable_sentence_vectors(self) -> dict[str, np.ndarray]:
        table = self.sentences
        return {
            json.dumps(self.passages[pid].text[start:end]): vec
            for pid, (start, end), vec in zip(
                table.passage_ids, table.spans, table.vectors, strict=True
            )
        }

    def reusable_vectors(self) -> dict[str, np.ndarray]:
        """Embeddings by embedded text key, so an ingest re-embeds only what changed."""
        return {
            embedding_key(self.passages[pid], self.documents[self.passages[pid].doc_id].doc): vec
            for pid, vec in zip(self.passage_order, self.vectors, strict=True)
        }


def embedding_text(passage: Passage, doc: SourceDocument) -> str:
    """What is embedded and keyword-indexed: where the passage sits, then its words."""
    where = " › ".join([doc.title, *passage.heading_path])
    return f"{where}\n{passage.text}"


def embedding_key(passage: Passage, doc: SourceDocument) -> str:
    return json.dumps([embedding_text(passage, doc)])


def now() -> datetime:
    return datetime.now(UTC)
