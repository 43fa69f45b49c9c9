"""Safety checks on each corpus file before anything of it is indexed (issue #12, PI-02).

``load_checked_document`` is how ingest reads a manifest entry. It **refuses** (raises
``RefusedFile``, a ``DocumentError``) a file that

* is reached through a symbolic link: any component of its path below the corpus folder,
  the file itself or a folder on the way, is a link (links are never followed, wherever
  they point);
* lies outside the corpus folder: an absolute manifest path, one with ``..``, or a path
  that resolves elsewhere;
* is binary although its suffix says text (``.txt``, ``.md``, ``.html`` …): it holds a NUL
  byte or is not valid UTF-8;
* is mostly non-printable: more than ``NONPRINTABLE_LIMIT`` of the characters read from it
  are control, format or unassigned characters (line breaks and tabs excepted) or U+FFFD;
* changed while it was being read (it was swapped for another file or a link).

It **flags** (the document is still indexed; ``assistant ingest`` prints a warning) text
that looks aimed at an AI rather than a practitioner, from the phrase list in
``injection-phrases.yaml``, and hidden text: zero-width characters, bidi controls and, in
HTML and markdown sources, comments and ``display:none``-style hiding.
"""

from __future__ import annotations

import html
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.corpus import clean_document_text
from assistant.corpus.loaders import DocumentError, load_raw_text
from assistant.types import CleanDocument, SourceDocument

PHRASES_FILE = Path(__file__).with_name("injection-phrases.yaml")

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
"""Formats read as UTF-8 text: a NUL byte or invalid UTF-8 means the file is not text."""

MARKUP_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm"})
"""Formats whose source can hide text from a reader (comments, CSS)."""

NONPRINTABLE_LIMIT = 0.10
"""Refuse text in which more than this share of characters is non-printable."""

RefusalCheck = Literal["symlink", "outside-corpus", "not-text", "non-printable", "changed"]
FlagKind = Literal["instruction-like text", "hidden text"]


class RefusedFile(DocumentError):
    """A file refused for safety: never read into the index, whatever else it holds."""

    def __init__(self, check: RefusalCheck, reason: str, path: Path | str | None = None) -> None:
        self.check: RefusalCheck = check
        super().__init__(reason, path)


class Refusal(BaseModel):
    """One file ingest refused for safety (it is also listed in the report's problems)."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    file: str
    check: RefusalCheck
    reason: str


class Flag(BaseModel):
    """Something in an indexed document a person should look at (PI-02)."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    file: str
    kind: FlagKind
    found: str


@dataclass(frozen=True)
class CheckedDocument:
    document: CleanDocument
    flags: list[Flag]


# --- reading a file safely ----------------------------------------------------------


def _refuse_outside(file: str) -> RefusedFile:
    return RefusedFile(
        "outside-corpus",
        "refused: the path points outside the corpus folder (absolute paths and '..' are "
        "not allowed; put the file under the corpus folder)",
        file,
    )


def resolve_corpus_file(corpus_dir: Path, file: str) -> Path:
    """The path of manifest ``file`` under ``corpus_dir``, checked component by component.

    Raises ``RefusedFile`` for links and paths outside the folder, ``DocumentError`` for a
    missing file or one that is not a regular file. ``corpus_dir`` itself may be a link:
    the operator chose it.
    """
    if "\x00" in file:
        raise RefusedFile("outside-corpus", "refused: the path contains a NUL character", file)
    posix = PurePosixPath(file.replace("\\", "/"))
    if posix.is_absolute() or PureWindowsPath(file).drive or ".." in posix.parts or not posix.parts:
        raise _refuse_outside(file)
    root = corpus_dir.resolve()
    current = root
    info: os.stat_result | None = None
    for part in posix.parts:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError as error:
            raise DocumentError("file not found", file) from error
        except OSError as error:
            raise DocumentError(f"cannot read file ({error.strerror})", file) from error
        if stat.S_ISLNK(info.st_mode):
            link = current.relative_to(root).as_posix()
            what = "the file" if link == posix.as_posix() else f"the folder {link!r}"
            raise RefusedFile(
                "symlink",
                f"refused: {what} is a symbolic link; ingest never follows links (copy the "
                "file into the corpus folder instead)",
                file,
            )
    if info is None or not stat.S_ISREG(info.st_mode):
        raise DocumentError("not a file", file)
    if not current.resolve(strict=True).is_relative_to(root):
        raise _refuse_outside(file)
    return current


def _read_regular_file(path: Path, file: str) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path``, opened without following a link (in case one was swapped in)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as error:
        if os.path.islink(path):
            raise RefusedFile(
                "changed", "refused: the file became a symbolic link", file
            ) from error
        raise DocumentError(f"cannot read file ({error.strerror})", file) from error
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise DocumentError("not a file", file)
        return handle.read(), opened


def _text_of(data: bytes, file: str) -> str:
    """UTF-8 text of a text-format file, or ``RefusedFile`` if it is binary."""
    if b"\x00" in data:
        raise RefusedFile(
            "not-text",
            "refused: binary content (the file contains NUL bytes, so it is not a text file)",
            file,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefusedFile(
            "not-text",
            f"refused: not UTF-8 text (invalid byte at position {error.start}): binary content, "
            "or text saved in another encoding (re-save text as UTF-8)",
            file,
        ) from error


def _is_nonprintable(char: str) -> bool:
    if char in "\n\r\t":
        return False
    return char == "\ufffd" or unicodedata.category(char).startswith("C")


def nonprintable_share(text: str) -> float:
    """Share of ``text`` that is control/format/unassigned characters or U+FFFD."""
    if not text:
        return 0.0
    return sum(1 for char in text if _is_nonprintable(char)) / len(text)


def _check_printable(text: str, file: str) -> None:
    share = nonprintable_share(text)
    if share > NONPRINTABLE_LIMIT:
        raise RefusedFile(
            "non-printable",
            f"refused: mostly non-printable ({share:.0%} of the characters are control or "
            f"other non-printable characters; the limit is {NONPRINTABLE_LIMIT:.0%})",
            file,
        )


def load_checked_document(
    doc: SourceDocument, corpus_dir: Path, phrases: InjectionPhrases | None = None
) -> CheckedDocument:
    """Check, load, clean and scan one manifest entry.

    Raises ``RefusedFile`` (a safety refusal) or ``DocumentError`` (unreadable), both naming
    ``doc.file``; the flags of a document that loads are returned with it.
    """
    path = resolve_corpus_file(corpus_dir, doc.file)
    raw_bytes, opened = _read_regular_file(path, doc.file)
    suffix = path.suffix.lower()
    source = _text_of(raw_bytes, doc.file) if suffix in TEXT_SUFFIXES else None
    try:
        raw = load_raw_text(path)
    except DocumentError as error:
        raise DocumentError(error.reason, doc.file) from error
    except OSError as error:
        raise DocumentError(f"cannot read file ({error.strerror})", doc.file) from error
    try:
        now = os.lstat(path)
    except OSError as error:
        raise RefusedFile(
            "changed", "refused: the file went away while it was read", doc.file
        ) from error
    if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
        raise RefusedFile(
            "changed",
            "refused: the file was replaced while it was read (run ingest again)",
            doc.file,
        )
    _check_printable(raw, doc.file)
    document = clean_document_text(doc, raw, raw_bytes)
    scanner = phrases or InjectionPhrases.load()
    findings = scan_text(raw, source, suffix, scanner)
    flags = [Flag(doc_id=doc.id, file=doc.file, kind=kind, found=found) for kind, found in findings]
    return CheckedDocument(document=document, flags=flags)


# --- flags: instruction-like and hidden text ------------------------------------------

_INVISIBLE = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space (BOM)",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
}
_IGNORED_IN_PHRASES = re.compile("[" + "".join(_INVISIBLE) + "\u00ad]")
_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}
)

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HIDING = [
    (re.compile(r"display\s*:\s*none", re.IGNORECASE), "display:none styling"),
    (re.compile(r"visibility\s*:\s*hidden", re.IGNORECASE), "visibility:hidden styling"),
    (
        re.compile(
            r"font-size\s*:\s*0+(?:\.0+)?\s*(?:px|pt|em|rem|%)?\s*(?:[;\"'}]|$)", re.I | re.M
        ),
        "zero font size",
    ),
    (re.compile(r"<[a-z][^<>]*\shidden(?=[\s>=/])", re.IGNORECASE), "hidden attribute"),
]


def normalise_for_matching(text: str) -> str:
    """Case-folded, compatibility-normalised text without invisible characters.

    Only characters other than line breaks are removed or changed, so a line number in the
    result is the line number in ``text``. Whitespace runs are matched by the patterns.
    """
    text = unicodedata.normalize("NFKC", _IGNORED_IN_PHRASES.sub("", text))
    return text.translate(_APOSTROPHES).casefold()


class _PhraseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phrases: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class InjectionPhrases:
    """The phrase list of ``injection-phrases.yaml``, compiled for matching."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def from_phrases(cls, phrases: list[str]) -> InjectionPhrases:
        patterns: list[tuple[str, re.Pattern[str]]] = []
        for phrase in phrases:
            words = normalise_for_matching(phrase).split()
            if not words:
                raise ValueError("an injection phrase is empty")
            body = r"\s+".join(re.escape(word) for word in words)
            start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
            end = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
            patterns.append((" ".join(words), re.compile(start + body + end)))
        return cls(tuple(patterns))

    @classmethod
    def load(cls, path: Path = PHRASES_FILE) -> InjectionPhrases:
        return _load_phrases(path)

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(phrase, first line, count) for each phrase in ``text``."""
        normalised = normalise_for_matching(text)
        found: list[tuple[str, int, int]] = []
        for phrase, pattern in self.patterns:
            matches = list(pattern.finditer(normalised))
            if matches:
                found.append((phrase, _line(normalised, matches[0].start()), len(matches)))
        return found


@lru_cache(maxsize=4)
def _load_phrases(path: Path) -> InjectionPhrases:
    data = _PhraseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return InjectionPhrases.from_phrases(data.phrases)


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _where(line: int, count: int, place: str) -> str:
    times = "" if count == 1 else f"{count} times, first "
    return f"({times}on line {line}{place})"


def scan_text(
    text: str, source: str | None, suffix: str, phrases: InjectionPhrases
) -> list[tuple[FlagKind, str]]:
    """Flags for a document: ``text`` as the loader read it, ``source`` the file's own text.

    For plain text and markdown the two are the same; for HTML the source also holds what
    the loader drops (comments) and the text holds what the source spells as entities.
    Returns (kind, what was found) pairs, each finding once.
    """
    findings: list[tuple[FlagKind, str]] = []
    seen: set[str] = set()
    # Line numbers refer to the file when there is a source; to the extracted text otherwise.
    texts = [(source, "")] if source is not None else []
    if source is None or text != source:
        texts.append((text, " of the extracted text" if source is not None else ""))
    for body, place in texts:
        for phrase, line, count in phrases.find(body):
            if phrase not in seen:
                seen.add(phrase)
                findings.append(
                    ("instruction-like text", f'"{phrase}" {_where(line, count, place)}')
                )
    invisible_in = [(text.removeprefix("\ufeff"), " of the extracted text" if source else "")]
    if source is not None:
        readable = html.unescape(source) if suffix in MARKUP_SUFFIXES else source
        invisible_in.insert(0, (readable, ""))
    for body, place in invisible_in:
        for char, name in _INVISIBLE.items():
            positions = [m.start() for m in re.finditer(re.escape(char), body)]
            if positions and char not in seen:
                seen.add(char)
                line = _line(body, positions[0])
                findings.append(
                    (
                        "hidden text",
                        f"{name} U+{ord(char):04X} {_where(line, len(positions), place)}",
                    )
                )
    if source is not None and suffix in MARKUP_SUFFIXES:
        comments = list(_COMMENT.finditer(source))
        if comments:
            line = _line(source, comments[0].start())
            where = _where(line, len(comments), "")
            findings.append(("hidden text", f"HTML comment, not shown to readers {where}"))
        for pattern, name in _HIDING:
            hits = list(pattern.finditer(source))
            if hits:
                line = _line(source, hits[0].start())
                findings.append(("hidden text", f"{name} {_where(line, len(hits), '')}"))
    return findings
