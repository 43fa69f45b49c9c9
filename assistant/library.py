"""The sources library: filtering and sorting the indexed documents, and the library filter
a library question ("which briefings are there?") links to.

One typed ``LibraryFilter`` serves the ``/sources`` page (query parameters of a GET form,
so it works without JavaScript), ``GET /api/sources`` and the link under a library answer.
Which words pick which filter is data: ``corpus/library-filters.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from assistant.settings import REPO_ROOT
from assistant.types import DocumentKind, DocumentStatus, LibraryLink, SourceInfo

LIBRARY_FILTERS_FILE = REPO_ROOT / "corpus" / "library-filters.yaml"
LIBRARY_PATH = "/sources"

SortKey = Literal["kind", "newest", "oldest", "title", "partnership", "status"]
SORTS: tuple[tuple[SortKey, str], ...] = (
    ("kind", "Type of document"),
    ("newest", "Date, newest first"),
    ("oldest", "Date, oldest first"),
    ("title", "Title, A to Z"),
    ("partnership", "Partnership"),
    ("status", "Status, current first"),
)
DEFAULT_SORT: SortKey = "kind"
STATUS_ORDER: tuple[DocumentStatus, ...] = ("current", "superseded", "historical")


class LibraryFilter(BaseModel):
    """What the library shows: every field optional; empty strings (a form's "All") are unset."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DocumentKind | None = None
    partnership: str | None = Field(default=None, pattern=r"^[a-z][a-z-]*$", max_length=40)
    status: DocumentStatus | None = None
    sort: SortKey = DEFAULT_SORT

    @field_validator("kind", "partnership", "status", "sort", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            value = value.strip().lower() or None
        if value is None and info.field_name == "sort":
            return DEFAULT_SORT
        return value

    @property
    def narrows(self) -> bool:
        """Whether any filter (not just the order) is chosen."""
        return any((self.kind, self.partnership, self.status))

    def params(self) -> dict[str, str]:
        """The query parameters that differ from the defaults, in a fixed order."""
        values = {
            "kind": self.kind,
            "partnership": self.partnership,
            "status": self.status,
            "sort": None if self.sort == DEFAULT_SORT else self.sort,
        }
        return {k: v for k, v in values.items() if v}

    def url(self) -> str:
        params = self.params()
        return f"{LIBRARY_PATH}?{urlencode(params)}" if params else LIBRARY_PATH


def _sort_key(sort: SortKey, info: SourceInfo) -> tuple[object, ...]:
    doc = info.doc
    newest = -doc.published.toordinal()
    if sort == "newest":
        return (newest, doc.title.lower())
    if sort == "oldest":
        return (-newest, doc.title.lower())
    if sort == "title":
        return (doc.title.lower(),)
    if sort == "partnership":
        return (doc.partnership, newest, doc.title.lower())
    if sort == "status":
        return (STATUS_ORDER.index(doc.status), newest, doc.title.lower())
    return (doc.kind, newest, doc.title.lower())


def filter_sources(infos: Iterable[SourceInfo], chosen: LibraryFilter) -> list[SourceInfo]:
    """The documents ``chosen`` selects, in its order."""
    kept = [
        i
        for i in infos
        if (chosen.kind is None or i.doc.kind == chosen.kind)
        and (chosen.partnership is None or i.doc.partnership == chosen.partnership)
        and (chosen.status is None or i.doc.status == chosen.status)
    ]
    return sorted(kept, key=lambda i: _sort_key(chosen.sort, i))


# --- library questions → the filter their answer links to -------------------------------------


class _Choice(BaseModel):
    name: str
    patterns: list[str]


class _FiltersFile(BaseModel):
    kinds: dict[str, _Choice]
    partnerships: dict[str, _Choice]
    statuses: dict[str, _Choice]


@dataclass(frozen=True)
class _Words:
    name: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class LibraryWords:
    kinds: dict[str, _Words]
    partnerships: dict[str, _Words]
    statuses: dict[str, _Words]

    @classmethod
    def load(cls, path: Path) -> LibraryWords:
        data = _FiltersFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))

        def compiled(choices: dict[str, _Choice]) -> dict[str, _Words]:
            return {
                key: _Words(c.name, tuple(re.compile(p) for p in c.patterns))
                for key, c in choices.items()
            }

        words = cls(compiled(data.kinds), compiled(data.partnerships), compiled(data.statuses))
        for kind in words.kinds:  # a misspelt kind or status fails on load, not on a question
            LibraryFilter(kind=kind)
        for status in words.statuses:
            LibraryFilter(status=status)
        return words

    @staticmethod
    def _first(choices: dict[str, _Words], text: str) -> str | None:
        return next(
            (key for key, w in choices.items() if any(p.search(text) for p in w.patterns)), None
        )

    def filter_for(self, normalised_question: str) -> LibraryFilter:
        """The filter a library question asks for (the whole library when it names none)."""
        return LibraryFilter(
            kind=self._first(self.kinds, normalised_question),
            partnership=self._first(self.partnerships, normalised_question),
            status=self._first(self.statuses, normalised_question),
        )

    def link(self, chosen: LibraryFilter, count: int) -> LibraryLink:
        """The link under the answer, e.g. "See the 11 briefings in the sources library"."""
        if count == 0:
            return LibraryLink(
                url=LIBRARY_PATH, label="Browse every document in the sources library", count=0
            )
        noun = self.kinds[chosen.kind].name if chosen.kind in self.kinds else "documents"
        if count == 1:
            noun = noun.removesuffix("s") if noun.endswith("s") else noun
        status = f"{self.statuses[chosen.status].name} " if chosen.status in self.statuses else ""
        scope = (
            f" ({self.partnerships[chosen.partnership].name})"
            if chosen.partnership in self.partnerships
            else ""
        )
        label = f"See the {count} {status}{noun}{scope} in the sources library"
        return LibraryLink(url=chosen.url(), label=label, count=count)


@lru_cache(maxsize=1)
def library_words() -> LibraryWords:
    return LibraryWords.load(LIBRARY_FILTERS_FILE)
