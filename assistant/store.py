"""Vector store: the only Chroma import.

Embedded ``PersistentClient`` under the data directory by default; an ``HttpClient``
when a Chroma host is configured, so several app workers can share one index. Each
index generation gets its own collection, so a half-built index is never queried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.embeddings import Vectors
from assistant.settings import ChromaSettings

log = logging.getLogger(__name__)

_ADD_BATCH = 500


@dataclass(frozen=True)
class DenseHit:
    passage_id: str
    similarity: float
    """Cosine similarity (vectors are normalised)."""


def _client(settings: ChromaSettings, data_dir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaClientSettings

    client_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.host:
        return chromadb.HttpClient(
            host=settings.host, port=settings.port, ssl=settings.ssl, settings=client_settings
        )
    path = data_dir / "chroma"
    _forget_stale_embedded_system(path)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=client_settings)


def _forget_stale_embedded_system(path: Path) -> None:
    """Drop Chroma's cached in-process system for ``path`` if its folder has been deleted.

    Chroma keeps one system per folder for the life of the process. If the folder is removed
    (an operator clearing a corrupt store), a new client would silently reuse the old system,
    whose files are gone, and fail on first use ("Error purging logs"); the restore path
    must get a fresh one instead.
    """
    if (path / "chroma.sqlite3").exists():
        return
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = str(path)
    system = SharedSystemClient._identifier_to_system.pop(identifier, None)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    if system is None:
        return
    try:
        system.stop()
    except Exception:  # the folder is gone; stopping is best effort
        log.debug("stale Chroma system for %s did not stop cleanly", path, exc_info=True)


class VectorStore:
    """One Chroma collection per index generation."""

    def __init__(self, settings: ChromaSettings, data_dir: Path) -> None:
        self.settings = settings
        self._client = _client(settings, data_dir)
        self._handles: dict[str, Any] = {}
        """Collection handles for queries, by generation (looking one up is a round trip)."""

    @property
    def mode(self) -> str:
        return (
            f"server {self.settings.host}:{self.settings.port}"
            if self.settings.host
            else "embedded"
        )

    def collection_name(self, generation: str) -> str:
        return f"{self.settings.collection_prefix}-{generation}"

    def write(
        self,
        generation: str,
        ids: list[str],
        vectors: Vectors,
        metadatas: list[dict[str, str | int | float | bool]],
    ) -> None:
        """Write the generation's collection: created if missing, every row upserted, rows
        it does not list removed. Never dropped and re-created: workers starting together
        may all restore one generation at once (writing the same rows), and none may delete
        the collection another is filling or already serving from."""
        collection = self._client.get_or_create_collection(
            name=self.collection_name(generation),
            metadata={"hnsw:space": "cosine"},
            embedding_function=None,
        )
        for start in range(0, len(ids), _ADD_BATCH):
            end = start + _ADD_BATCH
            collection.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end].tolist(),
                metadatas=metadatas[start:end],
            )
        if collection.count() > len(ids):  # rows of an earlier, different write
            wanted = set(ids)
            stale = [i for i in collection.get(include=[])["ids"] if i not in wanted]
            for start in range(0, len(stale), _ADD_BATCH):
                collection.delete(ids=stale[start : start + _ADD_BATCH])

    def count(self, generation: str) -> int:
        return int(self._collection(generation).count())

    def exists(self, generation: str) -> bool:
        try:
            self._collection(generation)
        except Exception:
            return False
        return True

    def drop(self, generation: str) -> None:
        self._handles.pop(generation, None)
        try:
            self._client.delete_collection(self.collection_name(generation))
        except Exception:  # absent is fine: dropping is idempotent
            log.debug("no collection to drop for %s", generation)

    def generations(self) -> list[str]:
        prefix = f"{self.settings.collection_prefix}-"
        names = [c if isinstance(c, str) else c.name for c in self._client.list_collections()]
        return [n[len(prefix) :] for n in names if n.startswith(prefix)]

    def query(
        self,
        generation: str,
        vector: Vectors,
        n: int,
        partnerships: list[str] | None = None,
    ) -> list[DenseHit]:
        """The ``n`` nearest passages. The collection's handle is kept between queries and
        looked up again once if it fails (the collection was made again, or the server
        restarted), so a stale handle never costs an answer."""
        where: dict[str, Any] | None = None
        if partnerships:
            where = {"partnership": {"$in": partnerships}}
        handle = self._handles.get(generation)
        if handle is not None:
            try:
                return self._query(handle, vector, n, where)
            except Exception:
                log.info("collection handle for %s is stale; looking it up again", generation)
        handle = self._handles[generation] = self._collection(generation)
        return self._query(handle, vector, n, where)

    @staticmethod
    def _query(
        collection: Any, vector: Vectors, n: int, where: dict[str, Any] | None
    ) -> list[DenseHit]:
        result = collection.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1).tolist(),
            n_results=max(1, n),
            where=where,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [1.0] * len(ids)
        return [DenseHit(pid, 1.0 - float(d)) for pid, d in zip(ids, distances, strict=True)]

    def _collection(self, generation: str) -> Any:
        return self._client.get_collection(
            self.collection_name(generation), embedding_function=None
        )
