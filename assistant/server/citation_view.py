"""Citations you can check: one marker per passage, sources grouped by document.

Issue #14: one answer listed 15 sources, ten of them the same document. The verifier
numbers a citation per (passage, quote), so two sentences quoted from one passage got two
numbers. Here, for display only:

* ``by_passage`` renumbers the answer's citations so each passage has one number (in the
  order the answer first cites it), rewrites the ``[n]`` markers to match — a run such as
  ``[2][3]`` that now names one passage twice becomes ``[2]`` — and keeps every quote of
  the passage, for the preview;
* ``source_groups`` groups the renumbered citations by document, each with the sections
  cited, so the Sources list names a document once.

The markers in the answer and the numbers in the Sources list come from the same
renumbering, so they always agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from assistant.types import Answer, Citation

__all__ = ["CitedSection", "PassageCitations", "SourceGroup", "by_passage", "source_groups"]

_MARKER_RUN = re.compile(r"(?:\[\d+(?:\s*,\s*\d+)*\])+")
_NUMBER = re.compile(r"\d+")


class PassageCitations(BaseModel):
    """The answer with one citation (and one number) per passage."""

    answer: Answer
    quotes: dict[int, list[str]] = Field(default_factory=dict)
    """Every distinct quote of each (new) citation number's passage, in answer order."""


class CitedSection(BaseModel):
    """One cited passage of a document, as listed under the document in Sources."""

    n: int
    passage_id: str
    section: str
    url: str
    panel_url: str


class SourceGroup(BaseModel):
    """One document in the Sources list, with the passages of it the answer cites."""

    doc_id: str
    title: str
    document_url: str
    source_url: str | None = None
    sections: list[CitedSection] = Field(min_length=1)


def by_passage(answer: Answer) -> PassageCitations:
    """Renumber ``answer``'s citations: one per passage, numbered by first mention."""
    old = {c.n: c for c in answer.citations}
    order: list[int] = [
        int(n) for n in _NUMBER.findall(" ".join(_MARKER_RUN.findall(answer.answer)))
    ]
    order.extend(c.n for c in answer.citations)  # cited nowhere in the text: listed last
    new_of_passage: dict[str, int] = {}
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    quotes: dict[int, list[str]] = {}
    for n in order:
        citation = old.get(n)
        if citation is None or n in renumber:
            continue
        new = new_of_passage.get(citation.passage_id)
        if new is None:
            new = len(citations) + 1
            new_of_passage[citation.passage_id] = new
            citations.append(citation.model_copy(update={"n": new}))
            quotes[new] = []
        renumber[n] = new
        if citation.quote and citation.quote not in quotes[new]:
            quotes[new].append(citation.quote)

    def rewrite(match: re.Match[str]) -> str:
        numbers = [renumber[int(n)] for n in _NUMBER.findall(match.group(0)) if int(n) in renumber]
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    text = _MARKER_RUN.sub(rewrite, answer.answer)
    merged = answer.model_copy(update={"answer": text, "citations": citations})
    return PassageCitations(answer=merged, quotes=quotes)


def panel_url(citation: Citation) -> str:
    return f"/sources/{citation.doc_id}/passages/{citation.passage_id}"


def source_groups(
    citations: Sequence[Citation], section_label: dict[int, str]
) -> list[SourceGroup]:
    """The citations grouped by document, documents and sections in citation order.

    ``section_label`` is each citation number's section as shown (without the title)."""
    groups: dict[str, SourceGroup] = {}
    for c in sorted(citations, key=lambda c: c.n):
        group = groups.get(c.doc_id)
        section = CitedSection(
            n=c.n,
            passage_id=c.passage_id,
            section=section_label.get(c.n, "") or "Passage",
            url=c.url,
            panel_url=panel_url(c),
        )
        if group is None:
            groups[c.doc_id] = SourceGroup(
                doc_id=c.doc_id,
                title=c.title,
                document_url=f"/sources/{c.doc_id}",
                source_url=c.source_url,
                sections=[section],
            )
        else:
            group.sections.append(section)
    return list(groups.values())
