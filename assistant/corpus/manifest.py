"""Read and validate ``corpus/manifest.yaml``: the list of documents the assistant may cite.

A broken manifest stops ingest with one message that names the file, the entry and
what is wrong, so the person maintaining the corpus can fix it without reading a
pydantic traceback.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.types import SourceDocument

MANIFEST_NAME = "manifest.yaml"


class ManifestError(Exception):
    """The manifest is missing, not YAML, or has invalid entries (all listed in the message)."""


def _entry_label(index: int, entry: object) -> str:
    if isinstance(entry, dict) and entry.get("id"):
        return f"entry {index + 1} (id {entry['id']!r})"
    return f"entry {index + 1}"


def _describe(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "entry"
        if item["type"] == "missing":
            problems.append(f"{field}: required field is missing")
        elif item["type"] == "literal_error":
            problems.append(f"{field}: {item['msg'].lower()} (got {item.get('input')!r})")
        else:
            problems.append(f"{field}: {item['msg']} (got {item.get('input')!r})")
    return problems


def _unsafe_path(file: str) -> bool:
    path = PurePosixPath(file.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or not path.parts


def load_manifest(corpus_dir: Path) -> list[SourceDocument]:
    """Every document listed in ``corpus_dir/manifest.yaml``, in manifest order."""
    manifest = corpus_dir / MANIFEST_NAME
    if not manifest.is_file():
        raise ManifestError(f"{manifest}: manifest not found")
    try:
        data: Any = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ManifestError(f"{manifest}: not valid YAML ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ManifestError(f"{manifest}: expected a mapping with a 'documents' list")
    documents: list[SourceDocument] = []
    problems: list[str] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(data["documents"]):
        label = _entry_label(index, entry)
        if not isinstance(entry, dict):
            problems.append(f"{label}: expected a mapping of fields, got {type(entry).__name__}")
            continue
        try:
            doc = SourceDocument(**entry)
        except ValidationError as error:
            problems.extend(f"{label}: {problem}" for problem in _describe(error))
            continue
        if _unsafe_path(doc.file):
            problems.append(f"{label}: file {doc.file!r} must be a path inside the corpus folder")
            continue
        if doc.id in first_index:
            earlier = first_index[doc.id] + 1
            problems.append(f"{label}: duplicate id {doc.id!r} (already used by entry {earlier})")
            continue
        first_index[doc.id] = index
        documents.append(doc)
    if problems:
        raise ManifestError(f"{manifest}:\n  " + "\n  ".join(problems))
    return documents
