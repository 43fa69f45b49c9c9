"""Sentence splitting with character offsets, for extraction and quote matching.

Every span is an exact slice of the input (``text[start:end] == span.text``), so an
extracted sentence can always be verified verbatim against its passage. Bullet lines
("•", "·", "-", "*", "1.") are sentences of their own, without the bullet marker.
Lines wrapped mid-sentence (a line not ending in punctuation followed by a line that
starts in lower case) are joined.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_BULLET = re.compile(r"^[ \t]*(?:[•·▪●◦‣∙*–-]|\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t]+")
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "etc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "vs",
        "approx",
        "inc",
        "ltd",
        "co",
        "cf",
        "fig",
        "para",
        "paras",
        "sec",
        "ch",
        "vol",
        "pp",
        "prof",
    }
)


@dataclass(frozen=True)
class Span:
    """A sentence: ``text`` is exactly ``source[start:end]``."""

    text: str
    start: int
    end: int
    bullet: bool = False


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Group lines into paragraphs: (start, end, is_bullet)."""
    blocks: list[tuple[int, int, bool]] = []
    current: list[int] | None = None
    current_bullet = False
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            if current is not None:
                blocks.append((current[0], current[1], current_bullet))
                current = None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if current is not None:
                blocks.append((current[0], current[1], current_bullet))
            current, current_bullet = [start + bullet.end(), end], True
            continue
        stripped = line.lstrip()
        continues = (
            current is not None
            and not _TERMINAL.search(text[current[0] : current[1]])
            and stripped[:1].islower()
        )
        if continues and current is not None:
            current[1] = end
        else:
            if current is not None:
                blocks.append((current[0], current[1], current_bullet))
            current, current_bullet = [start, end], False
    if current is not None:
        blocks.append((current[0], current[1], current_bullet))
    return blocks


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the full stop at ``dot`` ends an abbreviation or an initial, not a sentence."""
    word = re.search(r"([A-Za-z.]+)\.$", text[: dot + 1])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or len(token) == 1


def split_sentences(text: str) -> list[Span]:
    """Split passage text into sentence spans with offsets into ``text``."""
    spans: list[Span] = []
    for block_start, block_end, bullet in _blocks(text):
        block = text[block_start:block_end]
        cuts = [0]
        for match in _BOUNDARY.finditer(block):
            dot = match.start() - 1
            while dot >= 0 and block[dot] not in ".!?":
                dot -= 1
            if block[dot] == "." and _is_abbreviation(block, dot):
                continue
            cuts.append(match.end())
        cuts.append(len(block))
        for a, b in itertools.pairwise(cuts):
            piece = block[a:b]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            if trail <= lead:
                continue
            start = block_start + a + lead
            end = block_start + a + trail
            spans.append(Span(text[start:end], start, end, bullet))
    return spans
