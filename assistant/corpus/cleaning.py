"""Remove conversion noise from raw document text and return readable blocks.

The seed documents are text conversions of PDFs and Word files. They carry page
furniture (a navigation menu repeated on every page, page numbers, table-of-contents
number columns), conversion tags (``[bookmark: …]``, ``[image: ]``, ``<ul>``/``<p>``,
``**``) and tables flattened to tab-separated rows that break across pages. Retrieval
and the document view both depend on this being undone, so the cleaner returns
``Block``s: paragraphs, lists, rendered tables and explicit headings, in order, with
the text exactly as the reader will see it. Heading detection for unmarked titles is
``sectioning``'s job.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

CLEANING_VERSION = "1"
"""Bump when cleaning changes the text a document produces (it is part of content_hash)."""

BlockKind = Literal["text", "list", "table", "heading"]


@dataclass
class Block:
    """One paragraph-sized unit of cleaned text (lines joined by ``\\n``)."""

    text: str
    kind: BlockKind = "text"
    level: int | None = None
    """Heading level for explicit headings (markdown ``#``, Word/HTML headings, bookmarks)."""
    page_title: bool = False
    """The line names an entry of the repeated navigation menu: a top-level title."""


# --- inline clean-up ----------------------------------------------------------------

_BOOKMARK = re.compile(r"\[bookmark:\s*([^\]]*)\]")
_IMAGE = re.compile(r"\[image:[^\]]*\]")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]*)\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:|www\.)[^>\s]+|[^@\s<>]+@[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MD_ESCAPE = re.compile(r"\\([()\[\]*_#.\-!`>+])")
_STAR_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)__(?=\S)([^_\n]+?)(?<=\S)__(?!\w)")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean_inline(text: str) -> str:
    """Strip conversion tags and markdown emphasis from one line of text."""
    text = _IMAGE.sub("", text)
    text = _BOOKMARK.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text)

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2).strip()
        if not url or url.startswith("#") or url == label:
            return label
        return f"{label} ({url})"

    text = _MD_LINK.sub(link, text)
    text = _AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _TAG.sub("", text)
    text = text.replace("**", "")
    text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
    text = _STAR_EMPHASIS.sub(r"\1", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    text = re.sub(r"([“‘(]) ", r"\1", text)
    text = re.sub(r" ([”’)])", r"\1", text)
    return text.strip()


# --- line classification -------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-*+•·▪◦‣○■□➢►]|-\s*>|>)(?:\s+|$)")
_NUMBERED_ITEM = re.compile(r"^(?:\d{1,2}[.)]|\([a-z0-9]{1,3}\))\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^[\s\-=_:|+~*]*$")
_NUMBER_LINE = re.compile(r"^\d{1,3}$")
_PAGE_LINE = re.compile(r"^page\s+\d{1,4}(?:\s+of\s+\d{1,4})?$", re.IGNORECASE)
_PICTURE_ALT = re.compile(
    r"^(?:an?|the)\s+(?:photograph|photo|picture|image|illustration)\s+(?:of|showing)\b",
    re.IGNORECASE,
)
_CONTENTS = re.compile(r"^(?:table\s+of\s+)?contents:?$", re.IGNORECASE)
_BLOCK_MARKUP = re.compile(r"<(?:ul|ol|li|p)\b")
_NUMERIC_CELL = re.compile(r"^[£$€]?-?[\d,.]+%?$")


@dataclass
class _Line:
    text: str
    item: bool = False


@dataclass
class _Raw:
    """A block while it is being cleaned."""

    kind: BlockKind
    lines: list[_Line] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    level: int | None = None
    page_title: bool = False

    @property
    def plain(self) -> str:
        if self.rows:
            return "\n".join("\t".join(row) for row in self.rows)
        return "\n".join(line.text for line in self.lines)


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _ZERO_WIDTH.sub("", text).replace("\u00a0", " ").replace("\f", "\n\n")
    # An opening quote left alone on its line belongs to the text after it.
    text = re.sub(r"(?m)^[ \t]*([“\"])[ \t]*\n+[ \t]*(?=\w)", r"\1", text)
    if text.startswith("---\n"):  # YAML front matter of markdown files
        end = text.find("\n---", 4)
        if end != -1:
            text = text[end + 4 :]
    return text


def _is_table_line(line: str) -> bool:
    if "\t" in line.strip(" \n") and line.strip():
        return True
    stripped = line.strip()
    return stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3


def _table_cells(line: str) -> list[str]:
    stripped = line.strip("\n")
    if "\t" not in stripped and stripped.strip().startswith("|"):
        cells = stripped.strip().strip("|").split("|")
    else:
        cells = stripped.split("\t")
    cells = [_BOOKMARK.sub("", _IMAGE.sub("", cell)).strip() for cell in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _classify_line(line: str) -> _Raw | _Line | None:
    """A heading block, a text line, or None for a line that is noise."""
    stripped = _SPACES.sub(" ", line).strip()
    if not stripped:
        return None
    bookmark = re.match(r"^\[bookmark:\s*(_Toc[^\]]*)\]\s*(.+)$", stripped)
    if bookmark and clean_inline(bookmark.group(2)):
        return _Raw("heading", [_Line(clean_inline(bookmark.group(2)))], level=1)
    item = False
    bullet = _BULLET.match(stripped)
    if bullet:
        stripped = stripped[bullet.end() :].strip()
        item = True
        while (again := _BULLET.match(stripped)) is not None:  # "- > text", "- - text"
            stripped = stripped[again.end() :].strip()
    heading = _MD_HEADING.match(stripped)
    if heading:
        text = clean_inline(heading.group(2))
        return _Raw("heading", [_Line(text)], level=len(heading.group(1))) if text else None
    if stripped.startswith("```"):
        return None
    text = clean_inline(stripped)
    if not text or _SEPARATOR.match(text) or _PAGE_LINE.match(text):
        return None
    if _PICTURE_ALT.match(text):
        return None
    if not _NUMBER_LINE.match(text) and sum(ch.isalnum() for ch in text) < 2:
        return None  # mojibake and stray punctuation ("â /", "“")
    if item and _NUMBERED_ITEM.match(text):
        return _Line(text, item=True)
    return _Line(text, item=item or bool(_NUMBERED_ITEM.match(text) and len(text) > 60))


def _split_blocks(text: str) -> list[_Raw]:
    blocks: list[_Raw] = []
    current: _Raw | None = None

    def close() -> None:
        nonlocal current
        if current is not None and (current.lines or current.rows):
            blocks.append(current)
        current = None

    for line in text.split("\n"):
        if not line.strip():
            close()
            continue
        if _is_table_line(line):
            if current is None or current.kind != "table":
                close()
                current = _Raw("table")
            cells = _table_cells(line)
            if cells and not all(_SEPARATOR.match(cell) for cell in cells):
                current.rows.append(cells)
            continue
        if current is not None and current.kind == "table":
            close()
        parsed = _classify_line(line)
        if parsed is None:
            continue
        if isinstance(parsed, _Raw):
            close()
            blocks.append(parsed)
            continue
        if current is None:
            current = _Raw("text")
        current.lines.append(parsed)
    close()
    return blocks


# --- page furniture ------------------------------------------------------------------


def _key(raw: _Raw) -> str:
    return re.sub(r"\s+", " ", raw.plain.replace("\t", " ")).strip().upper()


def _is_caps_short(raw: _Raw) -> bool:
    if raw.kind not in ("text", "heading") or len(raw.lines) > 4:
        return False
    text = raw.plain
    letters = [ch for ch in text if ch.isalpha()]
    return (
        bool(letters)
        and all(ch.isupper() for ch in letters)
        and len(text.split()) <= 6
        and not re.search(r"[.!?;:]$", text)
    )


def _remove_menus(blocks: list[_Raw]) -> list[_Raw]:
    """Drop navigation menus: runs of ≥3 short capitalised blocks that recur in the document.

    Lines matching a menu entry in ordinary case ("What Went Well") are the page titles
    the menu points to, so they are kept and marked as top-level titles.
    """
    counts = Counter(_key(b) for b in blocks if _is_caps_short(b))
    candidate = [_is_caps_short(b) and counts[_key(b)] >= 2 for b in blocks]
    remove = [False] * len(blocks)
    vocabulary: set[str] = set()
    i = 0
    while i < len(blocks):
        if not candidate[i]:
            i += 1
            continue
        j = i
        while j < len(blocks) and candidate[j]:
            j += 1
        # A real heading that happens to sit next to the menu recurs far less often.
        top = max(counts[_key(blocks[k])] for k in range(i, j))
        start, end = i, j
        while start < end and counts[_key(blocks[start])] * 2 < top:
            start += 1
        while end > start and counts[_key(blocks[end - 1])] * 2 < top:
            end -= 1
        if end - start >= 3:
            for k in range(start, end):
                remove[k] = True
                vocabulary.add(_key(blocks[k]))
        i = j
    kept: list[_Raw] = []
    for index, block in enumerate(blocks):
        if remove[index]:
            continue
        key = _key(block)
        if key in vocabulary:
            if _is_caps_short(block):
                continue  # a stray menu entry on its own
            if len(block.lines) == 1:
                block.page_title = True
        kept.append(block)
    return kept


def _is_number_block(raw: _Raw) -> bool:
    return raw.kind == "text" and all(_NUMBER_LINE.match(line.text) for line in raw.lines)


def _is_toc_table(raw: _Raw) -> bool:
    if raw.kind != "table":
        return False
    for row in raw.rows:
        cells = [cell for cell in row if cell]
        if len(cells) < 2 or not _NUMBER_LINE.match(cells[-1]):
            return False
    return True


def _is_toc_entry(raw: _Raw) -> bool:
    if raw.kind != "text":
        return False
    return all(re.search(r"(?:\.{3,}|\s{2,}|…+)\s*\d{1,3}$", line.text) for line in raw.lines)


def _remove_contents(blocks: list[_Raw]) -> list[_Raw]:
    """Drop a table of contents: the "Contents" line and the entries with page numbers."""
    out: list[_Raw] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("text", "heading") and _CONTENTS.match(block.plain.strip()):
            j = i + 1
            while j < len(blocks):
                nxt = blocks[j]
                after = blocks[j + 1] if j + 1 < len(blocks) else None
                tocish = _is_number_block(nxt) or _is_toc_table(nxt) or _is_toc_entry(nxt)
                title_then_page = (
                    nxt.kind == "text"
                    and len(nxt.lines) == 1
                    and len(nxt.plain.split()) <= 14
                    and after is not None
                    and (_is_number_block(after) or _is_toc_table(after) or _is_toc_entry(after))
                )
                if not (tocish or title_then_page):
                    break
                j += 1
            if j > i + 1:
                i = j
                continue
        out.append(block)
        i += 1
    return out


def _number_lists(blocks: list[_Raw]) -> list[_Raw]:
    """Lone numbers: list numbering when they count 1, 2, 3… before text; else page numbers."""
    out: list[_Raw] = []
    expected: int | None = None
    for i, block in enumerate(blocks):
        if not _is_number_block(block):
            out.append(block)
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        value = int(block.lines[0].text) if len(block.lines) == 1 else -1
        after = blocks[i + 2] if i + 2 < len(blocks) else None
        starts_list = (
            value == 1
            and after is not None
            and _is_number_block(after)
            and after.lines[0].text == "2"
        )
        if (
            len(block.lines) == 1
            and nxt is not None
            and nxt.kind == "text"
            and nxt.lines[0].text[:1].islower()
        ):  # "130" / "languages are spoken in Lambeth": a figure, not a page number
            nxt.lines[0] = _Line(f"{value} {nxt.lines[0].text}", nxt.lines[0].item)
            continue
        if (
            nxt is not None
            and nxt.kind == "text"
            and not _is_number_block(nxt)
            and (starts_list or (expected is not None and value == expected))
        ):
            nxt.lines[0] = _Line(f"{value}. {nxt.lines[0].text}", item=True)
            expected = value + 1
            continue
        expected = None if not starts_list else expected
    return out


# --- tables --------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def _has_header(rows: list[list[str]]) -> bool:
    if len(rows) < 2:
        return False
    first = rows[0]
    filled = [cell for cell in first if cell]
    if len(filled) < 2:
        return False
    return all(
        _words(cell) <= 20 and not _BLOCK_MARKUP.search(cell) and not _NUMERIC_CELL.match(cell)
        for cell in filled
    )


def _is_continuation(row: list[str], previous: list[str] | None) -> bool:
    if previous is None or not row:
        return False
    if row[0]:
        return False
    long_cells = any(_words(cell) >= 5 for cell in row) or any(
        _words(cell) > 12 for cell in previous
    )
    return long_cells


def _merge_rows(target: list[list[str]], rows: list[list[str]]) -> None:
    for row in rows:
        previous = target[-1] if target else None
        if previous is not None and _is_continuation(row, previous):
            width = max(len(previous), len(row))
            previous.extend([""] * (width - len(previous)))
            for index, cell in enumerate(row):
                if cell:
                    previous[index] = f"{previous[index]} {cell}".strip()
        else:
            target.append(row)


def _merge_split_tables(blocks: list[_Raw]) -> list[_Raw]:
    """Re-join a table broken across pages (repeated title line and header row between)."""
    out: list[_Raw] = []
    for block in blocks:
        if block.kind != "table":
            out.append(block)
            continue
        merged_rows = block.rows
        last_table = next((k for k in range(len(out) - 1, -1, -1) if out[k].kind == "table"), None)
        if last_table is not None and all(row == out[last_table].rows[0] for row in block.rows):
            continue  # a header row repeated at the foot of a page, with no rows under it
        if last_table is not None:
            previous = out[last_table]
            between = out[last_table + 1 :]
            before = out[last_table - 1] if last_table > 0 else None
            repeat_title = (
                len(between) == 1
                and before is not None
                and between[0].plain.strip() == before.plain.strip()
            )
            same_header = _has_header(previous.rows) and block.rows[0] == previous.rows[0]
            first = block.rows[0]
            lower_start = bool(first and first[0][:1].islower())
            if (not between or repeat_title) and (same_header or lower_start):
                del out[last_table + 1 :]
                if same_header:
                    merged_rows = block.rows[1:]
                if lower_start and not same_header and previous.rows:
                    tail = previous.rows[-1]
                    for index, cell in enumerate(first):
                        if index < len(tail):
                            tail[index] = f"{tail[index]} {cell}".strip()
                        else:
                            tail.append(cell)
                    merged_rows = block.rows[1:]
                header = previous.rows[0]
                _merge_rows(previous.rows, [r for r in merged_rows if r != header])
                continue
        rows: list[list[str]] = []
        _merge_rows(rows, merged_rows)
        block.rows = rows
        out.append(block)
    return out


def _cell_parts(cell: str) -> tuple[list[str], bool]:
    """A cell's paragraphs or list items, with HTML list/paragraph markup undone."""
    is_list = bool(re.search(r"<(?:ul|ol|li)\b|•", cell))
    text = re.sub(r"</?p\b[^>]*>", "\n", cell)
    text = re.sub(r"<li\b[^>]*>", "\n•", text)
    text = re.sub(r"</?(?:ul|ol|li)\b[^>]*>", "\n", text)
    parts = [clean_inline(part) for part in re.split(r"\n|•", text)]
    return [part for part in parts if part], is_list


def _render_table(rows: list[list[str]]) -> list[_Raw]:
    if not rows:
        return []
    header = rows[0] if _has_header(rows) else None
    body = rows[1:] if header else rows
    long_rows = any(
        _words(cell) > 12 or _BLOCK_MARKUP.search(cell) or "•" in cell
        for row in body
        for cell in row
    )
    if not long_rows:
        lines: list[str] = []
        for row in rows:
            cells = [" ".join(_cell_parts(cell)[0]) for cell in row]
            cells = [cell for cell in cells if cell]
            if cells:
                lines.append(" | ".join(cells))
        return [_Raw("table", [_Line(line) for line in lines])] if lines else []
    blocks: list[_Raw] = []
    for row in body:
        lines = []
        columns = list(enumerate(row))
        filled = [(i, cell) for i, cell in columns if cell]
        if not filled:
            continue
        lead_index, lead = filled[0]
        used = {lead_index}
        lead_text = " ".join(_cell_parts(lead)[0])
        if len(lead_text) <= 3 and len(filled) > 1:  # "1." | "Number of cases …"
            second_index, second = filled[1]
            lead_text = f"{lead_text} {' '.join(_cell_parts(second)[0])}"
            used.add(second_index)
        lines.append(lead_text)
        for index, cell in filled:
            if index in used:
                continue
            parts, is_list = _cell_parts(cell)
            if not parts:
                continue
            label = clean_inline(header[index]) if header and index < len(header) else ""
            if is_list:
                if label:
                    lines.append(f"{label}:")
                lines.extend(f"• {part}" for part in parts)
            else:
                text = " ".join(parts)
                lines.append(f"{label}: {text}" if label else text)
        blocks.append(_Raw("table", [_Line(line) for line in lines]))
    return blocks


# --- paragraphs ----------------------------------------------------------------------

_TERMINAL = re.compile(r"[.!?:;)\"”’]$")
_FIELD = re.compile(r"^[A-Z][\w ]{0,30}:\s")  # "Purpose: …", "Date: …"


def _mark_colon_lists(lines: list[_Line]) -> None:
    """DOCX lists lose their bullets: short lines after "…include:" are list items."""
    in_list = False
    for line in lines:
        if line.item:
            in_list = False if not line.text.endswith(":") else in_list
            continue
        if in_list and _words(line.text) <= 25:
            line.item = True
            continue
        in_list = line.text.endswith(":") and _words(line.text) >= 3


def _join_lines(lines: list[_Line]) -> list[_Line]:
    """Undo hard wrapping inside a block; keep list items and real line breaks."""
    if (
        len(lines) > 1
        and not any(line.item for line in lines)
        and max(len(line.text) for line in lines) <= 60
        and sum(bool(_FIELD.match(line.text)) for line in lines) < 2
    ):  # a narrow column of short lines (infographics, title pages) is one sentence
        return [_Line(" ".join(line.text for line in lines))]
    out: list[_Line] = []
    for line in lines:
        if out and line.item and out[-1].item and line.text[:1].islower():
            prev = out[-1]
            if not _TERMINAL.search(prev.text):  # a bullet's text broken onto a nested bullet
                out[-1] = _Line(f"{prev.text} {line.text}", True)
                continue
        if out and not line.item:
            prev = out[-1]
            wrapped = not _TERMINAL.search(prev.text) and (
                line.text[:1].islower()
                or (len(prev.text) >= 50 and not prev.item and not _FIELD.match(line.text))
            )
            if wrapped:
                out[-1] = _Line(f"{prev.text} {line.text}", prev.item)
                continue
        out.append(_Line(line.text, line.item))
    return out


def _render_text(raw: _Raw) -> _Raw:
    _mark_colon_lists(raw.lines)
    lines = _join_lines(raw.lines)
    rendered = []
    for line in lines:
        if line.item and not _NUMBERED_ITEM.match(line.text):
            rendered.append(_Line(f"• {line.text}", True))
        else:
            rendered.append(line)
    kind: BlockKind = "list" if all(line.item for line in rendered) else "text"
    return _Raw(kind, rendered, page_title=raw.page_title)


def _join_broken_paragraphs(blocks: list[_Raw]) -> list[_Raw]:
    """A paragraph split by a page break continues in lower case: join it back."""
    out: list[_Raw] = []
    for block in blocks:
        if (
            out
            and block.kind in ("text", "list")
            and out[-1].kind in ("text", "list")
            and block.lines
            and block.lines[0].text[:1].islower()
            and not _TERMINAL.search(out[-1].lines[-1].text)
        ):
            prev = out[-1]
            first = block.lines[0]
            prev.lines[-1] = _Line(f"{prev.lines[-1].text} {first.text}", prev.lines[-1].item)
            prev.lines.extend(block.lines[1:])
            continue
        out.append(block)
    return out


def _drop_repeats(blocks: list[_Raw], window: int = 8) -> list[_Raw]:
    """A long block repeated within a few blocks is a page-break duplicate."""
    out: list[_Raw] = []
    for block in blocks:
        key = _key(block)
        if _words(key) >= 12 and any(_key(prev) == key for prev in out[-window:]):
            continue
        out.append(block)
    return out


def clean_blocks(raw: str) -> list[Block]:
    """Raw text (any loader's output) → cleaned blocks in reading order."""
    blocks = _split_blocks(_normalise(raw))
    blocks = _remove_menus(blocks)
    blocks = _remove_contents(blocks)
    blocks = _number_lists(blocks)
    blocks = [b for b in blocks if not _is_number_block(b)]
    blocks = _merge_split_tables(blocks)
    rendered: list[_Raw] = []
    for block in blocks:
        if block.kind == "table":
            rendered.extend(_render_table(block.rows))
        elif block.kind == "heading":
            rendered.append(block)
        else:
            rendered.append(_render_text(block))
    rendered = _join_broken_paragraphs(rendered)
    rendered = _drop_repeats(rendered)
    return [
        Block(
            text=b.plain,
            kind=b.kind,
            level=b.level,
            page_title=b.page_title,
        )
        for b in rendered
        if b.plain.strip()
    ]


def clean_text(raw: str) -> str:
    """Cleaned text with blocks separated by blank lines (headings as plain lines)."""
    return "\n\n".join(block.text for block in clean_blocks(raw))
