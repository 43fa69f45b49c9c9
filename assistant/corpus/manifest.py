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


def load_manifest(corpus_dir: Path, *, check_paths: bool = True) -> list[SourceDocument]:
    """Every document listed in ``corpus_dir/manifest.yaml``, in manifest order.

    With ``check_paths=False`` an entry whose file lies outside the corpus folder is
    returned rather than failing the whole manifest: ingest refuses that one file (see
    ``assistant.corpus.file_checks``) and indexes the rest.
    """
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
        if check_paths and _unsafe_path(doc.file):
            problems.append(f"{label}: file {doc.file!r} must be a path inside the corpus folder")
            continue
        if doc.id in first_index:
            earlier = first_index[doc.id] + 1
            problems.append(f"{label}: duplicate id {doc.id!r} (already used by entry {earlier})")
            continue
        first_index[doc.id] = index
        documents.append(doc)
    problems.extend(_replacement_problems(documents, first_index))
    if problems:
        raise ManifestError(f"{manifest}:\n  " + "\n  ".join(problems))
    return documents


def _replacement_problems(documents: list[SourceDocument], index: dict[str, int]) -> list[str]:
    """``replaced_by`` names another document of the manifest, and only a superseded one
    may carry it (docs/corpus.md, "Replacing a summary with the original")."""
    problems: list[str] = []
    by_id = {doc.id: doc for doc in documents}
    for doc in documents:
        if doc.replaced_by is None:
            continue
        label = _entry_label(index[doc.id], {"id": doc.id})
        if doc.replaced_by == doc.id:
            problems.append(f"{label}: replaced_by names the document itself")
        elif doc.replaced_by not in by_id:
            problems.append(
                f"{label}: replaced_by {doc.replaced_by!r} is not the id of a document in the "
                "manifest (add the replacing document's entry first)"
            )
        if doc.status != "superseded":
            problems.append(
                f"{label}: a document with replaced_by must have status 'superseded' "
                f"(got {doc.status!r})"
            )
        seen = {doc.id}
        current = by_id.get(doc.replaced_by)
        while current is not None and current.replaced_by is not None:
            if current.replaced_by in seen:
                problems.append(f"{label}: replaced_by goes round in a circle back to {doc.id!r}")
                break
            seen.add(current.id)
            current = by_id.get(current.replaced_by)
    return problems
