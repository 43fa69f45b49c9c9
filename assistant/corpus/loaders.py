"""Read a document file into raw text, choosing the reader by file suffix.

Every reader returns plain text in one shape the cleaner understands: paragraphs
separated by blank lines, headings marked with markdown ``#`` (HTML h1–h6, Word
"Heading N" and "Title" styles), list items as ``• item`` lines and table rows as
tab-separated cells. Anything unreadable raises ``DocumentError`` with a reason a
corpus maintainer can act on.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

Loader = Callable[[Path], str]

LOADERS: dict[str, Loader] = {}
"""File suffix (lower case, with the dot) → reader returning raw text."""


class DocumentError(Exception):
    """A document that cannot be read: the message names the file and the reason."""

    def __init__(self, reason: str, path: Path | str | None = None) -> None:
        self.reason = reason
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


def register_loader(*suffixes: str) -> Callable[[Loader], Loader]:
    """Register a reader for one or more suffixes (e.g. ``".htm"``)."""

    def decorate(loader: Loader) -> Loader:
        for suffix in suffixes:
            LOADERS[suffix.lower()] = loader
        return loader

    return decorate


def supported_suffixes() -> list[str]:
    return sorted(LOADERS)


def load_raw_text(path: Path) -> str:
    """Raw text of ``path``; raises ``DocumentError`` (missing, empty, unreadable, unsupported)."""
    if not path.exists():
        raise DocumentError("file not found", path)
    if not path.is_file():
        raise DocumentError("not a file", path)
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise DocumentError(
            f"unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(supported_suffixes())}",
            path,
        )
    if path.stat().st_size == 0:
        raise DocumentError("empty file", path)
    try:
        text = loader(path)
    except DocumentError as error:
        if error.path is None:
            raise DocumentError(error.reason, path) from error
        raise
    if not text.strip():
        raise DocumentError("no text found in the file", path)
    return text


def _decode_utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"not UTF-8 text (invalid byte at position {error.start}); re-save the file as UTF-8",
            path,
        ) from error


@register_loader(".txt", ".md", ".markdown")
def load_plain_text(path: Path) -> str:
    """Text and markdown are read as they are (UTF-8 only: a guessed encoding corrupts quotes)."""
    return _decode_utf8(path.read_bytes(), path)


# --- HTML -----------------------------------------------------------------------------

_HTML_SKIP = {"script", "style", "noscript", "template", "nav", "footer", "header", "svg", "head"}
_HTML_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_HTML_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "body",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "aside",
    "details",
    "summary",
    "form",
    "fieldset",
    "ul",
    "ol",
    "caption",
    "html",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _HtmlText:
    """Walks the parsed tree once, emitting blocks in document order."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.inline: list[str] = []

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline = []
        lines = [_squash(line) for line in text.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            self.blocks.append(joined)

    def walk(self, node: object) -> None:
        from bs4 import Comment, NavigableString, Tag

        for child in getattr(node, "children", []):
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _HTML_SKIP:
                continue
            if name in _HTML_HEADINGS:
                self.flush()
                text = _squash(child.get_text(" "))
                if text:
                    self.blocks.append("#" * _HTML_HEADINGS[name] + " " + text)
            elif name == "li":
                self.flush()
                nested = [c for c in child.find_all(["ul", "ol"], recursive=False)]
                for sub in nested:
                    sub.extract()
                text = _squash(child.get_text(" "))
                if text:
                    self.blocks.append("• " + text)
                for sub in nested:
                    self.walk(sub)
            elif name == "table":
                self.flush()
                rows = []
                for tr in child.find_all("tr"):
                    cells = [_squash(c.get_text(" ")) for c in tr.find_all(["th", "td"])]
                    if any(cells):
                        rows.append("\t".join(cells))
                if rows:
                    self.blocks.append("\n".join(rows))
            elif name == "br":
                self.inline.append("\n")
            elif name in _HTML_BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


def html_to_text(html: str) -> str:
    """HTML → text blocks with ``#`` headings, ``•`` list items and tab-separated table rows."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    root = soup.body or soup
    walker = _HtmlText()
    walker.walk(root)
    walker.flush()
    # Consecutive list items stay together as one block.
    out: list[str] = []
    for block in walker.blocks:
        if out and block.startswith("• ") and out[-1].split("\n")[-1].startswith("• "):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)


@register_loader(".html", ".htm")
def load_html(path: Path) -> str:
    return html_to_text(_decode_utf8(path.read_bytes(), path))


# --- DOCX -----------------------------------------------------------------------------


def _docx_heading_level(style_name: str) -> int | None:
    if style_name == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style_name)
    return int(match.group(1)) if match else None


def _docx_blocks(path: Path) -> Iterator[str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    body = document.element.body
    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            level = _docx_heading_level(style or "")
            if level is not None:
                yield "#" * level + " " + _squash(text)
            elif "List" in (style or ""):
                yield "• " + text
            else:
                yield text
        elif tag == "tbl":
            table = Table(element, document)
            rows = []
            for row in table.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:  # merged cells repeat: keep each once
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_squash(cell.text))
                if any(cells):
                    rows.append("\t".join(cells))
            if rows:
                yield "\n".join(rows)


@register_loader(".docx")
def load_docx(path: Path) -> str:
    from docx.opc.exceptions import PackageNotFoundError

    try:
        blocks = list(_docx_blocks(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentError(f"corrupt or unreadable DOCX ({type(error).__name__})", path) from error
    except Exception as error:  # lxml and zip errors vary by file: all mean "unreadable"
        raise DocumentError(f"corrupt or unreadable DOCX ({type(error).__name__})", path) from error
    out: list[str] = []
    for block in blocks:  # list paragraphs of one list stay in one block
        if out and block.startswith("• ") and out[-1].split("\n")[-1].startswith("• "):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)


# --- PDF ------------------------------------------------------------------------------


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers/footers: lines at a page's edge repeated on most pages."""
    if len(pages) < 3:
        return pages
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        edges = {line.strip() for line in lines[:2] + lines[-2:] if line.strip()}
        edge_counts.update(edges)
    threshold = max(3, len(pages) // 2)
    running = {line for line, count in edge_counts.items() if count >= threshold}
    return [
        [
            line
            for i, line in enumerate(lines)
            if not ((i < 2 or i >= len(lines) - 2) and line.strip() in running)
        ]
        for lines in pages
    ]


@register_loader(".pdf")
def load_pdf(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("encrypted PDF (a password is needed)", path)
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    except DocumentError:
        raise
    except Exception as error:  # pypdf raises many types for damaged files
        raise DocumentError(f"corrupt or unreadable PDF ({type(error).__name__})", path) from error
    if not any(line.strip() for lines in pages for line in lines):
        raise DocumentError("PDF has no extractable text (scanned images need OCR first)", path)
    pages = _strip_running_lines(pages)
    return "\n\n".join("\n".join(lines) for lines in pages)
