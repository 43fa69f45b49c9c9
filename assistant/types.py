"""Domain models shared by every layer.

These are the contract between ingest, retrieval, composing, verification and the
interfaces (web, CLI, eval runner). They are pydantic models so every interface can
serialise them the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Partnership = str
"""Partnership slug: ``lambeth``, ``lewisham`` …, ``london`` for London-wide documents or
``national`` for England-wide guidance (Working Together, KCSIE, legislation)."""

LONDON: Partnership = "london"
NATIONAL: Partnership = "national"
WIDE_SCOPES: tuple[Partnership, ...] = (LONDON, NATIONAL)
"""Scopes searched with every partnership: London-wide and England-wide documents.

``national`` is never offered as a partnership to choose: it is not a place a question
can be "about" (so "the national definition of neglect" stays a Lambeth question)."""
WIDE_SCOPE_LABELS: dict[Partnership, str] = {LONDON: "London-wide", NATIONAL: "National (England)"}
"""How the wide scopes are shown in the sources list and on document pages."""

DocumentKind = Literal[
    "arrangements",
    "threshold",
    "escalation",
    "briefing",
    "annual-report",
    "improvement-plan",
    "contacts",
    "procedure",
    "overview",
    "guidance",
    "definition",
    "pathway",
]
DocumentStatus = Literal["current", "superseded", "historical"]
DateKind = Literal["published", "period-end", "checked"]
"""What a document's date is (manifest ``date_kind``); shown as "Published", "Period ended"
or "Checked on"."""
NoticeKind = Literal[
    "emergency",
    "disclosure",
    "decision",
    "personal_data",
    "injection",
    "scope",
    "not_covered",
    "out_of_date",
    "service",
]
"""Notice kinds, in the fixed order they are shown (see ``NOTICE_ORDER``).

DESIGN.md §4 lists emergency, decision, personal_data, not_covered, out_of_date and
injection. ``disclosure`` (possible significant harm: speak to the DSL today),
``scope`` (request outside the tool's purpose) and ``service`` (the optional language
model was unavailable, so the extractive answer is shown) are additions.
"""

NOTICE_ORDER: tuple[NoticeKind, ...] = (
    "emergency",
    "disclosure",
    "decision",
    "personal_data",
    "injection",
    "scope",
    "not_covered",
    "out_of_date",
    "service",
)


class SourceDocument(BaseModel):
    """One entry of ``corpus/manifest.yaml``."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    publisher: str
    partnership: Partnership
    kind: DocumentKind
    published: date
    period: str | None = None
    date_kind: DateKind = "published"
    """What ``published`` is: the publication date, the end of the reporting period
    (``period-end``) or, for undated pages, the day the project checked them (``checked``)."""
    status: DocumentStatus
    source_url: str | None = None
    prepared_for_assistant: bool = False
    file: str
    limits: list[str] = Field(default_factory=list)
    """Points the summary could not confirm (shown as "Limits of this summary", never
    indexed: a gap note in retrievable text would be quoted as if it were guidance)."""
    replaced_by: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Id of the document that replaces this one (an original that replaced a summary).
    Only a ``superseded`` document may name one; the manifest loader checks both."""

    @property
    def status_label(self) -> str:
        """How the status is shown to users (non-negotiable 6)."""
        if self.prepared_for_assistant:
            summary = "summary prepared for this assistant"
            return summary if self.status == "current" else f"{self.status} {summary}"
        return self.status


class Section(BaseModel):
    """A span of the cleaned document text under one heading path."""

    heading_path: list[str]
    start: int
    end: int


class CleanDocument(BaseModel):
    """A document after loading and cleaning: the text the UI shows and offsets refer to."""

    doc: SourceDocument
    text: str
    sections: list[Section]
    content_hash: str


class Passage(BaseModel):
    """A retrievable chunk: never straddles a section; offsets index ``CleanDocument.text``."""

    model_config = ConfigDict(frozen=True)

    id: str
    doc_id: str
    text: str
    heading_path: list[str]
    start: int
    end: int

    @property
    def section(self) -> str:
        return " › ".join(self.heading_path)


class SearchHit(BaseModel):
    """A passage ranked for a query, with its document's metadata."""

    passage: Passage
    doc: SourceDocument
    score: float
    rank: int

    @property
    def url(self) -> str:
        return passage_url(self.doc.id, self.passage.id)


def passage_url(doc_id: str, passage_id: str) -> str:
    """Where a passage is shown highlighted in its document (stable across ingests)."""
    return f"/sources/{doc_id}#p-{passage_id}"


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Notice(BaseModel):
    kind: NoticeKind
    text: str


class Citation(BaseModel):
    """A verified pointer from a sentence of the answer to a verbatim quote in a passage."""

    n: int
    doc_id: str
    title: str
    section: str
    url: str
    quote: str
    passage_id: str
    published: date
    status: DocumentStatus
    publisher: str
    prepared_for_assistant: bool = False
    source_url: str | None = None
    replaced_by: str | None = None
    """Id of the document that replaced the cited one, if any (shown with the citation)."""

    @classmethod
    def of(
        cls, n: int, doc: SourceDocument, *, passage_id: str, section: str, quote: str
    ) -> Citation:
        """A citation carrying everything users are shown about its source (title, publisher,
        date, status) from the document's manifest entry."""
        return cls(
            n=n,
            doc_id=doc.id,
            title=doc.title,
            section=section,
            url=passage_url(doc.id, passage_id),
            quote=quote,
            passage_id=passage_id,
            published=doc.published,
            status=doc.status,
            publisher=doc.publisher,
            prepared_for_assistant=doc.prepared_for_assistant,
            source_url=doc.source_url,
            replaced_by=doc.replaced_by,
        )


class RelatedDocument(BaseModel):
    """A document to read when the answer is "not covered"."""

    doc_id: str
    title: str
    url: str


OFF_TOPIC_FLOOR = -0.25
"""Off-topic margins below this read as ordinary practice questions (the gate's
``off_topic_margin`` feature counts from here; tune-split quartiles: answerable -0.18 to
-0.05, unanswerable -0.02 to 0.12)."""


class GateEvidence(BaseModel):
    """What the answerability gate saw (assistant/answerability.py), kept on the answer so
    evaluation reports can show why an answer went out or was withheld."""

    focus: list[str]
    addressed: list[str]
    unknown: list[str] = Field(default_factory=list)
    """Focus terms the corpus never uses."""
    coverage: float
    missing: float
    similarity: float
    off_topic: bool
    off_topic_margin: float | None = None
    """The classifier's off-topic score less its threshold (None: a follow-up or danger)."""
    unmet_types: list[str] = Field(default_factory=list)
    """Kinds of answer asked for (a name, a count, a timescale) no cited sentence holds."""
    probability: float | None = None
    answerable: bool = True

    def features(self) -> list[float]:
        """In the order of ``assistant.answerability.FEATURES``."""
        return [
            self.coverage,
            self.missing,
            self.similarity,
            float(self.off_topic) * (1.0 - self.coverage),
            min(len(self.unknown), 2) / 2,
            float(bool(self.unmet_types)),
            max(self.off_topic_margin - OFF_TOPIC_FLOOR, 0.0)
            if self.off_topic_margin is not None
            else 0.0,
        ]


LLMFallback = Literal["unavailable", "switched_off"]
"""Why an answer was extractive although a language model is configured: the model failed
or did not answer in time, or an operator switched it off (``assistant/controls.py``)."""


class LibraryLink(BaseModel):
    """Under the answer to a library question: the sources library with the matching filter."""

    url: str
    """``/sources`` with query parameters, e.g. ``/sources?kind=briefing``."""
    label: str
    count: int
    """How many documents the filtered library lists."""


class Answer(BaseModel):
    """The one object every interface renders (DESIGN.md §4 JSON shape, plus extras)."""

    answer: str
    citations: list[Citation]
    notices: list[Notice]
    refused: bool
    answer_id: str
    question: str = ""
    """The question as searched: personal data already replaced by placeholders."""
    partnership: Partnership = "lambeth"
    composer: str = "extractive"
    settings_fingerprint: str = ""
    latency_ms: float = 0.0
    guidance: dict[str, Any] | None = None
    """Structured guidance shown with the answer: the threshold view (four levels side by
    side, each quote cited, no level chosen) or the escalation route."""
    gate: GateEvidence | None = None
    """The answerability gate's evidence, for answers that went through it."""
    related: list[RelatedDocument] = Field(default_factory=list)
    """With a "not covered" answer: the documents closest to the question, to read."""
    library: LibraryLink | None = None
    """With the answer to a library question ("which briefings are there?"): the link to
    the sources library, filtered to match (``assistant/library.py``)."""
    redactions: dict[str, int] = Field(default_factory=dict, exclude=True)
    """Identifiers removed from the question, counted by kind (the keys of
    ``assistant.triage.personal_data.PLACEHOLDERS``). Counts only, for ``/metrics``; never
    serialised, so no client or stored answer carries it."""
    llm_fallback: LLMFallback | None = Field(default=None, exclude=True)
    """Set when a configured language model did not write the answer (for ``/metrics``;
    never serialised)."""


class SourceInfo(BaseModel):
    """A document as listed in the sources library."""

    doc: SourceDocument
    passage_count: int
    url: str


class DocumentView(BaseModel):
    """A document's cleaned text with its sections and passages, for the document page."""

    doc: SourceDocument
    text: str
    sections: list[Section]
    passages: list[Passage]
    replaced_by: SourceDocument | None = None
    """The document named by ``doc.replaced_by``, when it is indexed."""


StreamEventKind = Literal["notice", "answer_part", "citation", "done"]


class StreamEvent(BaseModel):
    """One server-sent event of a streamed answer: notices first, then parts, then citations.

    ``done`` carries the complete ``Answer`` so a client can replace what it built.
    """

    event: StreamEventKind
    notice: Notice | None = None
    text: str | None = None
    citation: Citation | None = None
    answer: Answer | None = None
