"""LLM prompt templates: loaded from the prompts folder and validated when loaded.

Templates are plain text files with ``{name}`` placeholders. Each template must contain
exactly the placeholders its caller fills (a missing ``{references}`` would send the
model no passages; an unknown ``{placeholder}`` would reach the model verbatim), so a
bad edit fails at start-up instead of producing unreferenced answers. Filling replaces
only known placeholders, so braces inside passages or questions are safe.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydantic import BaseModel

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

REQUIRED: dict[str, frozenset[str]] = {
    "system": frozenset(),
    "answer": frozenset({"references", "history", "question"}),
    "condense": frozenset({"history", "question"}),
}
"""Template name → the placeholders it must contain (and the only ones it may contain)."""


class PromptError(ValueError):
    """A prompt template is missing, empty or has wrong placeholders."""


class Prompts(BaseModel):
    """The validated templates, and a version hash recorded with answers (AU-02)."""

    system: str
    answer: str
    condense: str
    version: str


def _find(directory: Path, name: str) -> Path:
    for suffix in (".md", ".txt"):
        path = directory / f"{name}{suffix}"
        if path.is_file():
            return path
    raise PromptError(f"Prompt template {name!r} not found in {directory} (.md or .txt).")


def validate(name: str, text: str) -> None:
    """Raise PromptError unless ``text`` is a usable template called ``name``."""
    if not text.strip():
        raise PromptError(f"Prompt template {name!r} is empty.")
    found = set(_PLACEHOLDER.findall(text))
    required = REQUIRED[name]
    missing = required - found
    unknown = found - required
    if missing:
        raise PromptError(f"Prompt {name!r} lacks placeholder(s): {', '.join(sorted(missing))}.")
    if unknown:
        names = ", ".join(sorted(unknown))
        raise PromptError(f"Prompt {name!r} has unknown placeholder(s): {names}.")


def load_prompts(directory: Path) -> Prompts:
    """Read and validate ``system``, ``answer`` and ``condense`` from ``directory``."""
    texts: dict[str, str] = {}
    for name in REQUIRED:
        text = _find(directory, name).read_text(encoding="utf-8")
        validate(name, text)
        texts[name] = text.strip()
    digest = hashlib.sha256("\x00".join(texts[n] for n in REQUIRED).encode()).hexdigest()[:12]
    return Prompts(version=digest, **texts)


def fill(template: str, **values: str) -> str:
    """Substitute known placeholders only; values are inserted as they are, once."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        return values[key] if key in values else match.group(0)

    return _PLACEHOLDER.sub(replace, template)
