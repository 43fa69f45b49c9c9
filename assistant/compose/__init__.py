"""Composers turn ranked passages into a draft answer whose sentences cite passage keys.

Both composers (extractive, the default; LLM, optional) return the same ``Draft``; the
verifier in ``assistant.citations`` decides what the user sees, so no composer is trusted.
Passage keys ("P1", "P2" …) follow hit order, in the spirit of paper-qa's citation keys.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.types import SearchHit, SourceDocument


class DraftSentence(BaseModel):
    """One sentence of a draft and the passage keys it claims as support."""

    text: str
    keys: list[str]
    similarity: float | None = None
    """The sentence's embedding similarity to the question, when the composer knows it."""
    rank: int | None = None
    """The order the composer chose it in (0: its best evidence), when it ranks; a sentence
    brought in to make the next one readable shares that one's rank."""


class Draft(BaseModel):
    """A composer's output before verification."""

    lead: str
    sentences: list[DraftSentence]
    composer: str


class ComposerUnavailable(Exception):
    """The optional model could not answer (down, slow, empty): fall back to extractive."""


def passage_keys(hits: list[SearchHit]) -> dict[str, SearchHit]:
    """Short keys for this turn's passages: hits[0] → "P1", hits[1] → "P2" …"""
    return {f"P{i}": hit for i, hit in enumerate(hits, start=1)}


_PARENTHETICAL = re.compile(r"\s*\((?=[^)]*[\s\"“])[^)]*\)")
_YEAR_RANGE = re.compile(r"\b(?:19|20)\d{2}\s?[-–]\s?(?:(?:19|20)\d{2}|\d{2})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def short_title(doc: SourceDocument) -> str:
    """A document title short enough for one line on a phone, with its date and status.

    Drops descriptive parentheticals and subtitles after a colon, keeps acronyms such as
    "(LSCP)", adds the year (or reporting period) when the short title lacks one, and says
    when a source is not current or is a summary prepared for this assistant.
    """
    title = _PARENTHETICAL.sub("", doc.title).strip()
    if ":" in title:
        title = title.split(":", 1)[0].strip()
    notes: list[str] = []
    if not _YEAR.search(title):
        period = _YEAR_RANGE.search(doc.title)
        notes.append(period.group(0) if period else str(doc.published.year))
    if doc.prepared_for_assistant:
        notes.append("summary prepared for this assistant")
    elif doc.status != "current":
        notes.append(doc.status)
    return f"{title} ({', '.join(notes)})" if notes else title


def source_lead(docs: list[SourceDocument]) -> str:
    """The one-line lead naming the sources and their dates; it asserts no facts itself."""
    unique: list[SourceDocument] = []
    for doc in docs:
        if all(doc.id != seen.id for seen in unique):
            unique.append(doc)
    if not unique:
        return ""
    labels = [short_title(doc) for doc in unique]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"From {joined}:"


__all__ = [
    "ComposerUnavailable",
    "Draft",
    "DraftSentence",
    "passage_keys",
    "short_title",
    "source_lead",
]
