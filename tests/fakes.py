"""A fake ``Assistant`` facade for server unit tests and the fake-mode end-to-end run.

It implements the facade interface the web layer codes against (see
``assistant/pipeline.py``) over a tiny in-memory corpus, with the behaviours the UI must
show: emergency first, decision boundary, personal data redacted and not echoed, not
covered, out-of-date sources. Feedback goes to a real SQLite file in the data directory
so the browser tests can check it was stored (and redacted).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from assistant.contacts import ContactsRegister, ContactsRegisterError
from assistant.controls import Switchboard, search_only_text
from assistant.errors import HistoryError, QuestionError, UnknownPartnershipError
from assistant.feedback import FeedbackIdError, check_feedback_ids
from assistant.identifiers import passage_doc_id
from assistant.notices import SCOPE_TEXT, decision_text, disclosure_text, not_covered_notice
from assistant.pathways import CitedPathway, CitedStep
from assistant.prepared import PreparedQuestion
from assistant.settings import Settings
from assistant.triage import TriageResult
from assistant.types import (
    NOTICE_ORDER,
    Answer,
    Citation,
    DocumentView,
    Notice,
    Passage,
    RelatedDocument,
    SearchHit,
    Section,
    SourceDocument,
    SourceInfo,
    StreamEvent,
    Turn,
    passage_url,
)

EMERGENCY_TEXT = (
    "If a child is in immediate danger, call 999 now. Then tell your designated "
    "safeguarding lead. Out of hours, call Lambeth's emergency duty team."
)
PERSONAL_DATA_TEXT = (
    "Your question seemed to include personal details (a name or date of birth). "
    "They were removed before searching and are not stored."
)
OUT_OF_DATE_TEXT = "One of the sources is historical. Check for current guidance."

_ARRANGEMENTS_TEXT = (
    "Lambeth multi-agency safeguarding arrangements\n\n"
    "Referrals\n\n"
    "Professionals who are worried about a child should phone the Integrated Referral "
    "Hub (IRH) on 020 7926 3100 to discuss their concerns. "
    "The IRH gives advice and decides on the next step with you.\n\n"
    "After phoning, send a Multi-agency Referral Form (MARF) within 24 hours.\n\n"
    "Escalation\n\n"
    "If you disagree with a decision made by another agency, first discuss it with the "
    "worker who made it. If the disagreement is not resolved, escalate to their manager.\n\n"
    "Immediate risk is escalated at once, without waiting for the steps above.\n"
)
_BRIEFING_TEXT = (
    "Seven-minute briefing: neglect\n\n"
    "What is neglect\n\n"
    "Neglect is the persistent failure to meet a child's basic needs. "
    "It is the most common reason for a child protection plan.\n\n"
    "What to do\n\n"
    "Record what you see and speak to your designated safeguarding lead.\n"
)
_HISTORICAL_TEXT = (
    "Annual report 2016-17\n\n"
    "Neglect\n\n"
    "In 2016-17 neglect was the largest category of child protection plans.\n"
)

_DOCS: list[tuple[SourceDocument, str]] = [
    (
        SourceDocument(
            id="fake-arrangements",
            title="Lambeth multi-agency safeguarding arrangements",
            publisher="Lambeth Safeguarding Children Partnership",
            partnership="lambeth",
            kind="arrangements",
            published=date(2025, 1, 1),
            status="current",
            source_url="https://example.org/arrangements",
            file="documents/fake-arrangements.txt",
        ),
        _ARRANGEMENTS_TEXT,
    ),
    (
        SourceDocument(
            id="fake-neglect-briefing",
            title="Seven-minute briefing: neglect",
            publisher="Safeguarding guidance assistant project",
            partnership="london",
            kind="briefing",
            published=date(2025, 6, 1),
            status="current",
            prepared_for_assistant=True,
            file="documents/fake-neglect-briefing.md",
            limits=["The neglect toolkit named in the briefing is not confirmed."],
        ),
        _BRIEFING_TEXT,
    ),
    (
        SourceDocument(
            id="fake-annual-report-2016",
            title="Lewisham LSCB Annual Report 2016-17",
            publisher="Lewisham Safeguarding Children Board",
            partnership="lewisham",
            kind="annual-report",
            published=date(2017, 3, 31),
            status="historical",
            file="documents/fake-annual-report-2016.txt",
        ),
        _HISTORICAL_TEXT,
    ),
]

_EMERGENCY = re.compile(r"\b(right now|immediate danger|not breathing|hitting|999)\b", re.I)
_DECISION = re.compile(r"\b(which level|what level|threshold level|should i refer)\b", re.I)
_DISCLOSURE = re.compile(r"\b(told me|disclosed|bruises?)\b", re.I)
_OUT_OF_PURPOSE = re.compile(r"\b(capital of|weather|recipe)\b", re.I)
_NOT_HELD = re.compile(r"\b(poem|esports)\b", re.I)
"""Questions the fake's documents do not answer (a "not covered" reply)."""
_EVERY_SENTENCE = re.compile(r"\bsentence by sentence\b", re.I)
"""Questions answered citing each sentence of the top passage apart (as the verifier does)."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_DOB = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_NAME = re.compile(r"\b(?:called|named|name is)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
_PHONE = re.compile(r"\b0\d{2,4}\s?\d{3,4}\s?\d{3,4}\b")
_INJECTION = re.compile(r"ignore (all|previous) instructions", re.I)
_WORD = re.compile(r"[a-z]{4,}")


def redact(text: str) -> tuple[str, bool]:
    """Replace names, dates of birth and phone numbers with placeholders."""
    redacted = _NAME.sub(lambda m: m.group(0).replace(m.group(1), "[NAME]"), text)
    redacted = _DOB.sub("[DATE]", redacted)
    redacted = _PHONE.sub("[PHONE]", redacted)
    return redacted, redacted != text


def redaction_counts(text: str) -> dict[str, int]:
    """How many identifiers of each kind ``redact`` replaces (the real redactor's kinds)."""
    found = {
        "name": len(_NAME.findall(text)),
        "date_of_birth": len(_DOB.findall(text)),
        "phone": len(_PHONE.findall(text)),
    }
    return {kind: n for kind, n in found.items() if n}


def _sections(text: str) -> tuple[list[Section], list[Passage], str]:
    """Split the fake text into sections (title line, then heading + paragraphs)."""
    blocks = text.split("\n\n")
    sections: list[Section] = []
    passages: list[Passage] = []
    doc_id = ""
    offset = 0
    title = blocks[0].strip()
    heading: str | None = None
    section_start = 0
    for block in blocks:
        start = text.index(block, offset)
        end = start + len(block)
        offset = end
        stripped = block.strip()
        if stripped == title and start == 0:
            continue
        if "." not in stripped and len(stripped) < 40:
            if heading is not None:
                sections.append(
                    Section(heading_path=[title, heading], start=section_start, end=start)
                )
            heading = stripped
            section_start = start
            continue
        passages.append(
            Passage(
                id=f"{doc_id}{len(passages):04d}",
                doc_id=doc_id,
                text=block,
                heading_path=[title, heading or title],
                start=start,
                end=end,
            )
        )
    if heading is not None:
        sections.append(Section(heading_path=[title, heading], start=section_start, end=len(text)))
    return sections, passages, title


def _build() -> dict[str, DocumentView]:
    views: dict[str, DocumentView] = {}
    for doc, text in _DOCS:
        sections, passages, _ = _sections(text)
        passages = [
            p.model_copy(  # the real shape: document id, hyphen, 10 hex digits
                update={
                    "id": f"{doc.id}-{hashlib.sha1(p.text.encode()).hexdigest()[:10]}",
                    "doc_id": doc.id,
                }
            )
            for i, p in enumerate(passages)
        ]
        views[doc.id] = DocumentView(doc=doc, text=text, sections=sections, passages=passages)
    return views


class FakeAssistant:
    """Deterministic stand-in for ``assistant.pipeline.Assistant`` (no model, no index)."""

    def __init__(self, settings: Settings | None = None, load_delay_s: float = 0.0) -> None:
        self.settings = settings or Settings()
        self._load_delay_s = load_delay_s
        self._ready = threading.Event()
        self._views = _build()
        self.calls: list[tuple[str, str, list[Turn], str | None]] = []
        self.answer_ids: set[str] = set()
        self.switchboard = Switchboard(self.settings.data_dir, self.settings.corpus_dir)
        try:
            self.contacts: ContactsRegister | None = ContactsRegister.load(
                self.settings.corpus_dir / "contacts.yaml"
            )
        except (ContactsRegisterError, OSError):  # the notices leave the number out
            self.contacts = None
        """Ids of the answers given, as the real assistant's audit events hold them."""

    # -- lifecycle -------------------------------------------------------------------
    def load(self) -> None:
        if self._load_delay_s:
            time.sleep(self._load_delay_s)
        self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    index_broken: str | None = None
    """Set to make ``index_problem`` (and so ``/readyz``) report the index as not answering."""

    def index_problem(self) -> str | None:
        return self.index_broken

    # -- validation ------------------------------------------------------------------
    def partnerships(self) -> list[str]:
        return ["lambeth", "lewisham"]

    def _partnership(self, partnership: str | None) -> str:
        slug = (partnership or self.settings.default_partnership).strip().lower()
        if slug not in self.partnerships():
            raise UnknownPartnershipError(slug, self.partnerships())
        return slug

    def _question(self, question: str) -> str:
        if not question or not question.strip():
            raise QuestionError("Enter a question.")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(f"Questions can be at most {limit:,} characters.")
        return question.strip()

    @staticmethod
    def _history(history: list[Turn] | None) -> list[Turn]:
        if history is None:
            return []
        if not isinstance(history, list) or not all(isinstance(t, Turn) for t in history):
            raise HistoryError("history must be a list of turns")
        return history

    # -- retrieval -------------------------------------------------------------------
    def search(self, query: str, k: int = 8, partnership: str | None = None) -> list[SearchHit]:
        self._question(query)
        slug = self._partnership(partnership)
        words = set(_WORD.findall(query.lower()))
        scored: list[tuple[float, Passage, SourceDocument]] = []
        for view in self._views.values():
            if view.doc.partnership not in (slug, "london"):
                continue
            for passage in view.passages:
                overlap = len(words & set(_WORD.findall(passage.text.lower())))
                if overlap:
                    scored.append((overlap / (len(words) or 1), passage, view.doc))
        scored.sort(key=lambda item: -item[0])
        return [
            SearchHit(passage=p, doc=d, score=round(s, 3), rank=i + 1)
            for i, (s, p, d) in enumerate(scored[:k])
        ]

    # -- answering -------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        partnership: str | None = None,
    ) -> Answer:
        question = self._question(question)
        turns = self._history(history)
        slug = self._partnership(partnership)
        redacted, had_personal = redact(question)
        self.calls.append((question, redacted, turns, slug))
        notices: list[Notice] = []
        if _EMERGENCY.search(redacted):
            notices.append(Notice(kind="emergency", text=EMERGENCY_TEXT))
        if _DISCLOSURE.search(redacted):  # the real texts, from the real contacts register
            notices.append(Notice(kind="disclosure", text=disclosure_text(self.contacts)))
        if _DECISION.search(redacted):
            notices.append(Notice(kind="decision", text=decision_text(self.contacts)))
        out_of_purpose = bool(_OUT_OF_PURPOSE.search(redacted))
        if out_of_purpose:
            notices.append(Notice(kind="scope", text=SCOPE_TEXT))
        if had_personal:
            notices.append(Notice(kind="personal_data", text=PERSONAL_DATA_TEXT))
        if _INJECTION.search(redacted):
            notices.append(
                Notice(kind="injection", text="Instructions in your question were ignored.")
            )
        # Follow-ups ("what about …") are made standalone from the previous user turn.
        query = redacted
        previous = [t.content for t in turns if t.role == "user"]
        if previous and len(_WORD.findall(redacted.lower())) < 5:
            query = f"{previous[-1]} {redacted}"
        answerable = not (out_of_purpose or _NOT_HELD.search(query))
        hits = self.search(query, k=3, partnership=slug) if answerable else []
        if self.switchboard.current().search_only:  # as the real assistant: no answer
            notices.append(Notice(kind="service", text=search_only_text()))
            hits = []
        citations: list[Citation] = []
        sentences: list[str] = []
        for hit in hits[:2]:
            quote = hit.passage.text.split(". ")[0].rstrip(".") + "."
            n = len(citations) + 1
            citations.append(
                Citation(
                    n=n,
                    doc_id=hit.doc.id,
                    title=hit.doc.title,
                    section=hit.passage.section,
                    url=hit.url,
                    quote=quote,
                    passage_id=hit.passage.id,
                    published=hit.doc.published,
                    status=hit.doc.status,
                    publisher=hit.doc.publisher,
                    prepared_for_assistant=hit.doc.prepared_for_assistant,
                    source_url=hit.doc.source_url,
                )
            )
            sentences.append(f"- {quote} [{n}]")
            if hit.doc.status != "current" and not any(x.kind == "out_of_date" for x in notices):
                notices.append(Notice(kind="out_of_date", text=OUT_OF_DATE_TEXT))
        if citations and _EVERY_SENTENCE.search(redacted):
            # As the real verifier numbers them: one citation per (passage, quote), so a
            # passage quoted sentence by sentence has several numbers (issue #14).
            first = citations[0]
            for quote in _SENTENCE.split(hits[0].passage.text.strip())[1:]:
                n = len(citations) + 1
                citations.append(first.model_copy(update={"n": n, "quote": quote}))
                sentences.append(f"- {quote} [{n}]")
        related: list[RelatedDocument] = []
        if citations:
            text = "The partnership's documents say:\n\n" + "\n".join(sentences)
        else:  # as the real assistant: no answer text, the route to a person, the nearest reads
            notices.append(not_covered_notice(slug, self.contacts))
            text = ""
            if not out_of_purpose:
                related = [
                    RelatedDocument(doc_id=v.doc.id, title=v.doc.title, url=f"/sources/{v.doc.id}")
                    for v in list(self._views.values())[:2]
                ]
        notices.sort(key=lambda x: NOTICE_ORDER.index(x.kind))
        answer_id = uuid.uuid4().hex
        self.answer_ids.add(answer_id)
        return Answer(
            answer=text,
            citations=citations,
            notices=notices,
            refused=not citations,
            related=related,
            answer_id=answer_id,
            question=redacted,
            partnership=slug,
            composer="extractive" if citations else "none",  # as the real assistant's
            redactions=redaction_counts(question),
        )

    def stream(
        self,
        question: str,
        history: list[Turn] | None = None,
        partnership: str | None = None,
    ) -> Iterator[StreamEvent]:
        yield from self._events(self.ask(question, history, partnership))

    def prepare(
        self,
        question: str,
        history: list[Turn] | None = None,
        partnership: str | None = None,
    ) -> PreparedQuestion:
        """As the real assistant: checked and redacted here, answered by ``stream_prepared``."""
        text = self._question(question)
        turns = self._history(history)
        slug = self._partnership(partnership)
        redacted, _ = redact(text)
        checked = TriageResult(
            question=redacted, history=turns, redactions=redaction_counts(text), partnership=slug
        )
        return PreparedQuestion(checked=checked, scope=slug)

    def stream_prepared(self, prepared: PreparedQuestion) -> Iterator[StreamEvent]:
        checked = prepared.checked
        answer = self.ask(checked.question, checked.history, prepared.scope)
        if checked.redactions:  # removed by ``prepare``, so ``ask`` did not see them
            notices = [*answer.notices, Notice(kind="personal_data", text=PERSONAL_DATA_TEXT)]
            notices.sort(key=lambda x: NOTICE_ORDER.index(x.kind))
            answer = answer.model_copy(
                update={"notices": notices, "redactions": dict(checked.redactions)}
            )
        yield from self._events(answer)

    @staticmethod
    def _events(answer: Answer) -> Iterator[StreamEvent]:
        for notice in answer.notices:
            yield StreamEvent(event="notice", notice=notice)
        for word in answer.answer.split(" "):
            yield StreamEvent(event="answer_part", text=word + " ")
        for citation in answer.citations:
            yield StreamEvent(event="citation", citation=citation)
        yield StreamEvent(event="done", answer=answer)

    # -- documents -------------------------------------------------------------------
    def sources(self, kind: str | None = None) -> list[SourceInfo]:
        return [
            SourceInfo(doc=v.doc, passage_count=len(v.passages), url=f"/sources/{v.doc.id}")
            for v in self._views.values()
            if kind is None or v.doc.kind == kind
        ]

    def document(self, doc_id: str) -> DocumentView | None:
        return self._views.get(doc_id)

    def thresholds(self, partnership: str | None = None) -> dict[str, Any]:
        self._partnership(partnership)
        passage = self._views["fake-arrangements"].passages[0]
        return {
            "title": "Continuum of help and support",
            "summary": "Four levels of need. The level decision rests with practitioners.",
            "levels": [
                {
                    "level": 1,
                    "name": "No additional needs",
                    "description": "Universal services meet the child's needs.",
                },
                {
                    "level": 2,
                    "name": "Early help",
                    "description": "Additional needs met by a lead professional.",
                },
            ],
            "source": {
                "title": "Lambeth multi-agency safeguarding arrangements",
                "url": passage_url("fake-arrangements", passage.id),
            },
        }

    def escalation(self, partnership: str | None = None) -> dict[str, Any]:
        self._partnership(partnership)
        return {
            "title": "Resolving professional disagreements",
            "steps": [
                {"step": 1, "action": "Discuss it with the worker who made the decision."},
                {"step": 2, "action": "Escalate to their manager."},
            ],
            "immediate_risk": "Immediate risk is escalated at once.",
        }

    def pathways(self, partnership: str | None = None) -> list[CitedPathway]:
        self._partnership(partnership)
        view = self._views["fake-arrangements"]
        steps = [
            ("Talk it through with the IRH", "Professionals who are worried about a child should"),
            ("Send the MARF", "After phoning, send a Multi-agency Referral Form (MARF)"),
        ]
        cited: list[CitedStep] = []
        for title, start in steps:
            passage = next(p for p in view.passages if start in p.text)
            text = passage.text[passage.text.index(start) :]
            quote = text[: text.index(".") + 1]
            n = len(cited) + 1
            citation = Citation.of(
                n, view.doc, passage_id=passage.id, section=passage.section, quote=quote
            )
            cited.append(
                CitedStep(n=n, title=title, who=None, when=None, quote=quote, citation=citation)
            )
        return [
            CitedPathway(id="worried-about-a-child", title="Worried about a child", steps=cited)
        ]

    # -- feedback --------------------------------------------------------------------
    def record_feedback(
        self,
        answer_id: str,
        *,
        helpful: bool | None,
        comment: str | None,
        kind: str,
        passage_ids: list[str],
        doc_ids: list[str],
    ) -> int:
        check_feedback_ids(answer_id, passage_ids, doc_ids)
        if not all(d in self._views for d in [*doc_ids, *map(passage_doc_id, passage_ids)]):
            raise FeedbackIdError("The feedback names a document that is not in the index.")
        if answer_id not in self.answer_ids:
            raise FeedbackIdError("There is no answer with this id.")
        clean = redact(comment)[0] if comment else None
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(self.settings.data_dir / "feedback.sqlite3") as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, answer_id TEXT,"
                " helpful INTEGER, comment TEXT, kind TEXT, passage_ids TEXT, doc_ids TEXT)"
            )
            cursor = db.execute(
                "INSERT INTO feedback (answer_id, helpful, comment, kind, passage_ids, doc_ids)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    None if helpful is None else int(helpful),
                    clean,
                    kind,
                    ",".join(passage_ids),
                    ",".join(doc_ids),
                ),
            )
            return int(cursor.lastrowid or 0)
