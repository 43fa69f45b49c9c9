"""Recover headings from cleaned blocks and lay out the document text with its sections.

Documents with explicit headings (markdown ``#``, Word heading styles, HTML h1–h6,
``[bookmark: _Toc…]`` tags) are sectioned by those alone: their authors marked the
structure. Conversions without markup fall back to evidence from the text, strongest
first: titles named by the repeated navigation menu, "Chapter/Appendix N" lines,
numbered headings ("3.2 Rapid reviews"), then short capitalised lines that introduce
a body of text. Weak headings (capitals, title lines) nest under the nearest strong
one and never close it, so a stray short line cannot cut a chapter in two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.cleaning import Block
from assistant.types import Section

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-Z“\"'(].*)$")
_CHAPTER = re.compile(
    r"^(?:Chapter|Appendix|Part|Annex|Schedule|Section)\s+(?:\d{1,2}|[A-Z]|[IVX]{1,4})\b"
)
_MONTH = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)
_NO_HEADING_END = re.compile(r"[.,;:!]$")
_BODY_END = re.compile(r"[.!?:;)\"”’]$")
_LABELLED = re.compile(r"^(?:Priority|Objective|Aim|Goal|Theme|Outcome|Stage|Step)\s+\d{1,2}\b")
_LABEL = re.compile(r"^(?:Sources?|Notes?|NB|Key|(?:Co-)?Chaired by)\b", re.IGNORECASE)

WEAK_CAPS, WEAK_NUMBERED, WEAK_TITLE = 1, 2, 3


@dataclass
class Heading:
    text: str
    strong: int | None = None
    """Rank of a structural heading (1 = top); None for a weak heading."""
    weak: int | None = None
    """Rank among weak headings (capitals < numbered-under-anchor < title line)."""


def _words(text: str) -> int:
    return len(text.split())


def _single_line(block: Block) -> str | None:
    if block.kind != "text" or "\n" in block.text:
        return None
    return block.text.strip()


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _numbered(text: str) -> int | None:
    """Depth of a numbered heading ("3.1.2 Title" → 3), or None."""
    match = _NUMBERED.match(text)
    if not match or len(text) > 120:
        return None
    rest = match.group(2)
    if _words(rest) > 14 or _NO_HEADING_END.search(rest) or _MONTH.match(rest):
        return None
    return match.group(1).count(".") + 1


def _is_chapter(text: str) -> bool:
    return bool(_CHAPTER.match(text)) and _words(text) <= 20 and not text.endswith(".")


def _introduces_body(block: Block | None) -> bool:
    if block is None:
        return False
    if block.kind in ("list", "table"):
        return True
    if block.kind != "text":
        return False
    words = _words(block.text)
    return "\n" in block.text or words >= 20 or (words >= 8 and bool(_BODY_END.search(block.text)))


def _is_caps_heading(text: str, nxt: Block | None) -> bool:
    if not _is_caps(text) or _words(text) > 10 or _NO_HEADING_END.search(text):
        return False
    if sum(ch.isalpha() for ch in text) < 5 and _words(text) < 2:
        return False  # acronyms on their own ("PRU", "LEAP") are labels, not headings
    if nxt is None or nxt.kind == "heading":
        return False
    following = _single_line(nxt)
    return not (following is not None and _is_caps(following) and _words(following) <= 10)


def _is_title_line(text: str, nxt: Block | None) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 12 or len(text) > 100:
        return False
    if not (text[0].isupper() or (text[0] in "“\"'" and text[1:2].isupper())):
        return False
    labelled = bool(_LABELLED.match(text))
    if _NO_HEADING_END.search(text) or (text.count(",") > 1 and not labelled):
        return False
    if re.search(r"%|\||https?://|www\.|@|\t", text) or _LABEL.match(text):
        return False
    long_words = [w for w in words if len(w) > 3]
    capitalised = [w for w in long_words if w[:1].isupper() or w[:1].isdigit()]
    if not labelled and len(words) > 5 and long_words and len(capitalised) / len(long_words) < 0.25:
        return False
    return _introduces_body(nxt)


def detect_heading(
    block: Block,
    nxt: Block | None,
    *,
    explicit_only: bool,
    anchored: bool,
    after_next: Block | None = None,
) -> Heading | None:
    """Whether ``block`` is a heading, and how strong; ``nxt`` is the block after it."""
    if block.kind == "heading":
        return Heading(block.text.strip(), strong=block.level or 1)
    if explicit_only:
        return None
    text = _single_line(block)
    if not text:
        return None
    if block.page_title or _is_chapter(text):
        return Heading(text, strong=1)
    depth = _numbered(text)
    if depth is not None and (
        (depth >= 2 and nxt is not None)
        or _introduces_body(nxt)
        or (nxt is not None and nxt.kind == "heading")
        or (nxt is not None and (_numbered(nxt.text) or _is_chapter(nxt.text)))
        or (nxt is not None and _single_line(nxt) and _is_title_line(nxt.text, after_next))
    ):
        if anchored and depth == 1:
            return Heading(text, weak=WEAK_NUMBERED)
        return Heading(text, strong=depth)
    if _is_caps_heading(text, nxt):
        return Heading(text, weak=WEAK_CAPS)
    if _is_title_line(text, nxt):
        return Heading(text, weak=WEAK_TITLE)
    return None


def _push(stack: list[Heading], heading: Heading) -> None:
    if heading.strong is not None:
        rank = heading.strong
        while stack and (stack[-1].strong is None or stack[-1].strong >= rank):
            stack.pop()
    else:
        weak = heading.weak or WEAK_TITLE
        while stack and stack[-1].weak is not None and stack[-1].weak >= weak:
            stack.pop()
    stack.append(heading)


def build_sections(blocks: list[Block]) -> tuple[str, list[Section]]:
    """Lay blocks out as the document text and return it with its sections.

    Blocks are separated by blank lines. A section spans the body under one heading
    path (the heading line itself sits just before it), so passages cut from a section
    never include the next heading.
    """
    explicit_only = any(block.kind == "heading" for block in blocks)
    anchored = not explicit_only and any(
        block.page_title or (_single_line(block) and _is_chapter(block.text.strip()))
        for block in blocks
    )
    parts: list[str] = []
    sections: list[Section] = []
    stack: list[Heading] = []
    path: list[str] = []
    body_start: int | None = None
    body_end = 0
    position = 0

    def close() -> None:
        nonlocal body_start
        if body_start is not None:
            sections.append(Section(heading_path=list(path), start=body_start, end=body_end))
        body_start = None

    for index, block in enumerate(blocks):
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        after_next = blocks[index + 2] if index + 2 < len(blocks) else None
        heading = detect_heading(
            block, nxt, explicit_only=explicit_only, anchored=anchored, after_next=after_next
        )
        start = position
        parts.append(block.text)
        position += len(block.text) + 2
        if heading is not None:
            close()
            _push(stack, heading)
            path = [h.text for h in stack]
            continue
        if body_start is None:
            body_start = start
        body_end = start + len(block.text)
    close()
    return "\n\n".join(parts), sections
