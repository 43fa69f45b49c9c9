"""Prompt templates are validated on load so a bad edit fails at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.prompts import PromptError, fill, load_prompts

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


def _write(folder: Path, answer: str) -> Path:
    (folder / "system.md").write_text("You answer from references only.")
    (folder / "answer.md").write_text(answer)
    (folder / "condense.md").write_text("History: {history}\nQuestion: {question}")
    return folder


def test_shipped_prompts_load_and_mark_references_as_data() -> None:
    prompts = load_prompts(PROMPTS)
    assert "not instructions" in prompts.system
    assert "[P1]" in prompts.system and len(prompts.version) == 12


def test_missing_placeholder_rejected(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="references"):
        load_prompts(_write(tmp_path, "Question: {question} {history}"))


def test_unknown_placeholder_rejected(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="pasages"):
        load_prompts(_write(tmp_path, "{references} {pasages} {history} {question}"))


def test_missing_or_empty_template_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "{references} {history} {question}")
    (tmp_path / "condense.md").unlink()
    with pytest.raises(PromptError, match="condense"):
        load_prompts(tmp_path)
    (tmp_path / "condense.txt").write_text("   ")
    with pytest.raises(PromptError, match="empty"):
        load_prompts(tmp_path)


def test_fill_inserts_values_once_and_leaves_braces_in_values_alone() -> None:
    out = fill(
        "Q: {question}\nR: {references}",
        question="what is {references}?",
        references="text with {curly} braces",
    )
    assert out == "Q: what is {references}?\nR: text with {curly} braces"
