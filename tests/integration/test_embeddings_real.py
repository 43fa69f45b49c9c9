"""The two embedding back ends (assistant/embeddings.py) on the real packaged model: the
ONNX export gives the same vectors as torch, is made once and again only when the model
changes, and a server process that has it never imports torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.embeddings import (
    ONNX_STAMP,
    OnnxEmbedder,
    TorchEmbedder,
    ensure_onnx,
    exported_model,
    load_embedder,
)

TEXTS = [
    "what happens after a referral to children's social care",
    "who do i ring",
    "a",
    "Mój partner grozi, że zabije dzieci dziś wieczorem",
    "طفل لا يتنفس، ماذا أفعل؟",
    "the IRH received 10,000 contacts in 2023-24 " * 60,  # past the 256-token limit
    "s0meone is k!lling the child pls hlp",
]


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    assert ensure_onnx(folder) is not None
    return folder


def test_the_onnx_export_gives_the_torch_vectors(embedder: TorchEmbedder, export_dir: Path) -> None:
    onnx_path = exported_model(export_dir)
    assert onnx_path is not None
    onnx = OnnxEmbedder(onnx_path)
    torch_vectors = embedder._batched(TEXTS)
    onnx_vectors = onnx._batched(TEXTS)
    assert onnx_vectors.shape == torch_vectors.shape == (len(TEXTS), 384)
    assert onnx_vectors.dtype == np.float32
    cosines = (torch_vectors * onnx_vectors).sum(axis=1)
    assert cosines.min() > 0.99999, cosines
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)


def test_vectors_do_not_depend_on_batch_order_or_size(export_dir: Path) -> None:
    onnx_path = exported_model(export_dir)
    assert onnx_path is not None
    one_by_one = np.stack([OnnxEmbedder(onnx_path, batch_size=1)._batched([t])[0] for t in TEXTS])
    together = OnnxEmbedder(onnx_path, batch_size=32)._batched(list(reversed(TEXTS)))[::-1]
    assert np.abs(one_by_one - together).max() < 1e-5


def test_an_export_is_reused_and_made_again_when_the_model_changes(export_dir: Path) -> None:
    onnx_path = exported_model(export_dir)
    assert onnx_path is not None
    made = onnx_path.stat().st_mtime_ns
    assert ensure_onnx(export_dir) == onnx_path
    assert onnx_path.stat().st_mtime_ns == made  # not exported again
    stamp = export_dir / ONNX_STAMP
    recorded = json.loads(stamp.read_text(encoding="utf-8"))
    stamp.write_text(json.dumps({**recorded, "config_sha256": "another model"}), encoding="utf-8")
    assert exported_model(export_dir) is None  # a stale export is never loaded
    assert ensure_onnx(export_dir) == onnx_path
    assert exported_model(export_dir) == onnx_path


def test_a_server_with_the_export_answers_without_importing_torch(export_dir: Path) -> None:
    script = (
        "import sys, numpy as np\n"
        "from pathlib import Path\n"
        "from assistant.embeddings import load_embedder\n"
        f"e = load_embedder(export_dir=Path({str(export_dir)!r}))\n"
        "v = e.embed(['who do i call about a child'])\n"
        "print(type(e).__name__, v.shape, 'torch' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out == ["OnnxEmbedder", "(1,", "384)", "False"]


def test_without_an_export_the_torch_back_end_serves(tmp_path: Path) -> None:
    assert isinstance(load_embedder(export_dir=tmp_path / "empty"), TorchEmbedder)
