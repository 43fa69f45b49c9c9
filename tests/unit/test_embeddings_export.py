"""The ONNX export's bookkeeping (assistant/embeddings.py), without the model: a failed
export falls back to torch with one warning, and only an export stamped for this model's
files is ever loaded."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from assistant import embeddings
from assistant.embeddings import ONNX_FILE, ONNX_STAMP, ensure_onnx, exported_model


def _model(folder: Path, config: str = '{"hidden_size": 384}') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(config, encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"\0" * 64)
    return folder


def test_a_failed_export_falls_back_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    model = _model(tmp_path / "model")

    def broken(model_path: Path, export_dir: Path) -> None:
        raise ModuleNotFoundError("No module named 'onnx'")

    monkeypatch.setattr(embeddings, "_export", broken)
    with caplog.at_level(logging.WARNING):
        assert ensure_onnx(tmp_path / "export", model) is None
    assert "using torch" in caplog.text and "onnx" in caplog.text


def test_only_an_export_stamped_for_these_model_files_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _model(tmp_path / "model")
    export = tmp_path / "export"

    def fake_export(model_path: Path, export_dir: Path) -> None:
        export_dir.mkdir(parents=True, exist_ok=True)
        (export_dir / ONNX_FILE).write_bytes(b"graph")
        (export_dir / ONNX_STAMP).write_text(
            json.dumps(embeddings._source_stamp(model_path)), encoding="utf-8"
        )

    monkeypatch.setattr(embeddings, "_export", fake_export)
    assert ensure_onnx(export, model) == export / ONNX_FILE
    assert exported_model(export, model) == export / ONNX_FILE
    (model / "model.safetensors").write_bytes(b"\0" * 65)  # other weights
    assert exported_model(export, model) is None
    _model(model, config='{"hidden_size": 768}')  # another configuration
    assert exported_model(export, model) is None
    (export / ONNX_STAMP).write_text("not json", encoding="utf-8")
    assert exported_model(export, model) is None


def test_no_export_folder_means_no_export(tmp_path: Path) -> None:
    assert exported_model(tmp_path / "nothing", _model(tmp_path / "model")) is None
