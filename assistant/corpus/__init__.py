"""Reading the corpus: manifest, loaders by file type, cleaning and sectioning.

``load_document`` is the one entry point ingest needs: a manifest entry in, the
cleaned text with its sections out, or a ``DocumentError`` naming the file and reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.corpus.cleaning import CLEANING_VERSION, clean_blocks
from assistant.corpus.loaders import DocumentError, load_raw_text
from assistant.corpus.manifest import ManifestError, load_manifest
from assistant.corpus.sectioning import build_sections
from assistant.types import CleanDocument, SourceDocument

__all__ = [
    "CLEANING_VERSION",
    "DocumentError",
    "ManifestError",
    "clean_document_text",
    "load_document",
    "load_documents",
    "load_manifest",
]


def clean_document_text(doc: SourceDocument, raw: str, raw_bytes: bytes) -> CleanDocument:
    """Raw text → ``CleanDocument`` (no file access; used by ``load_document`` and tests)."""
    text, sections = build_sections(clean_blocks(raw))
    if not sections or not text.strip():
        raise DocumentError("no text left after cleaning", doc.file)
    digest = hashlib.sha256(raw_bytes + f"|cleaning={CLEANING_VERSION}".encode()).hexdigest()
    return CleanDocument(doc=doc, text=text, sections=sections, content_hash=digest)


def load_document(doc: SourceDocument, corpus_dir: Path) -> CleanDocument:
    """Load, clean and section one manifest entry; raises ``DocumentError`` with the reason."""
    path = corpus_dir / doc.file
    try:
        raw = load_raw_text(path)
        raw_bytes = path.read_bytes()
    except DocumentError as error:
        raise DocumentError(error.reason, doc.file) from error
    except OSError as error:
        raise DocumentError(f"cannot read file ({error.strerror})", doc.file) from error
    return clean_document_text(doc, raw, raw_bytes)


def load_documents(
    docs: list[SourceDocument], corpus_dir: Path
) -> tuple[list[CleanDocument], list[DocumentError]]:
    """Load every document; the ones that fail are returned as errors, not raised."""
    loaded: list[CleanDocument] = []
    failed: list[DocumentError] = []
    for doc in docs:
        try:
            loaded.append(load_document(doc, corpus_dir))
        except DocumentError as error:
            failed.append(error)
    return loaded, failed
