"""Cut each section of a cleaned document into passages of roughly 60–250 words.

Passages are what retrieval ranks and what citations point at, so they follow the
document's structure: a passage never crosses a section boundary, breaks fall between
paragraphs (then lines, then sentences) where possible, and each passage carries its
heading path and character offsets into ``CleanDocument.text`` so the UI can highlight
it. Ids hash the heading path and the passage text only, so an edit elsewhere in the
document leaves them unchanged.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from assistant.types import CleanDocument, Passage, Section

TARGET_WORDS = 190
"""Preferred passage length: long enough to answer from, short enough to rank precisely."""

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9•])")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class _Unit:
    """An unbreakable span of text [start, end) with its word count."""

    start: int
    end: int
    words: int


def _count(text: str) -> int:
    return len(text.split())


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _spans(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Split [start, end) at ``pattern`` matches into trimmed non-empty spans."""
    spans = []
    cursor = start
    for match in pattern.finditer(text, start, end):
        spans.append(_trimmed(text, cursor, match.start()))
        cursor = match.end()
    spans.append(_trimmed(text, cursor, end))
    return [(s, e) for s, e in spans if e > s]


def _word_windows(text: str, start: int, end: int, max_words: int) -> list[_Unit]:
    """Last resort for a run-on "sentence": windows of at most ``max_words`` words."""
    words = list(_WORD.finditer(text, start, end))
    units = []
    for i in range(0, len(words), max_words):
        chunk = words[i : i + max_words]
        units.append(_Unit(chunk[0].start(), chunk[-1].end(), len(chunk)))
    return units


_PARAGRAPH = re.compile(r"\n\s*\n")
_LINE = re.compile(r"\n")


def _units(text: str, section: Section, max_words: int) -> list[_Unit]:
    """Paragraphs, split into lines, then sentences, only where one is too long."""
    units: list[_Unit] = []
    for p_start, p_end in _spans(text, section.start, section.end, _PARAGRAPH):
        if _count(text[p_start:p_end]) <= max_words:
            units.append(_Unit(p_start, p_end, _count(text[p_start:p_end])))
            continue
        for l_start, l_end in _spans(text, p_start, p_end, _LINE):
            if _count(text[l_start:l_end]) <= max_words:
                units.append(_Unit(l_start, l_end, _count(text[l_start:l_end])))
                continue
            for s_start, s_end in _spans(text, l_start, l_end, _SENTENCE_END):
                words = _count(text[s_start:s_end])
                if words <= max_words:
                    units.append(_Unit(s_start, s_end, words))
                else:
                    units.extend(_word_windows(text, s_start, s_end, max_words))
    return units


def _group(units: list[_Unit], min_words: int, max_words: int) -> list[list[_Unit]]:
    """Pack consecutive units into groups of similar size, none above ``max_words``."""
    total = sum(unit.words for unit in units)
    if total <= max_words:
        return [units] if units else []
    count = max(1, math.ceil(total / TARGET_WORDS))
    target = total / count
    groups: list[list[_Unit]] = [[]]
    size = 0
    for unit in units:
        current = groups[-1]
        over_max = size + unit.words > max_words
        # Close the group when adding this unit overshoots the target by more than
        # stopping short of it would undershoot it.
        past_target = size >= min_words and (size + unit.words - target) > (target - size)
        if current and (over_max or past_target):
            groups.append([unit])
            size = unit.words
        else:
            current.append(unit)
            size += unit.words
    # A short tail joins the group before it when both fit.
    if len(groups) > 1:
        tail = sum(u.words for u in groups[-1])
        before = sum(u.words for u in groups[-2])
        if tail < min_words and tail + before <= max_words:
            groups[-2].extend(groups.pop())
    return groups


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def passage_id(doc_id: str, heading_path: list[str], text: str) -> str:
    """Stable id: the document, then a hash of the heading path and the passage text."""
    key = _normalise(" › ".join(heading_path)) + "\n" + _normalise(text)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"{doc_id}-{digest}"


def chunk_document(
    clean: CleanDocument, min_words: int = 60, max_words: int = 250
) -> list[Passage]:
    """Passages of every section of ``clean``, in document order."""
    if min_words < 1 or max_words < min_words:
        raise ValueError("need 1 <= min_words <= max_words")
    text = clean.text
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for section in clean.sections:
        for group in _group(_units(text, section, max_words), min_words, max_words):
            start, end = group[0].start, group[-1].end
            body = text[start:end]
            base = passage_id(clean.doc.id, section.heading_path, body)
            seen[base] = seen.get(base, 0) + 1
            pid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            passages.append(
                Passage(
                    id=pid,
                    doc_id=clean.doc.id,
                    text=body,
                    heading_path=list(section.heading_path),
                    start=start,
                    end=end,
                )
            )
    return passages
