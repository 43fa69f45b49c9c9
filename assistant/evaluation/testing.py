"""A scripted stand-in for the Assistant facade, for tests and report demos (no model).

Answers are looked up by question; unknown questions get a "not covered" refusal. It lets
the runner, the reports and the web Evaluations page be tested in milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date

from assistant.types import (
    Answer,
    Citation,
    DocumentView,
    Notice,
    Passage,
    SearchHit,
    SourceDocument,
    Turn,
)


def make_doc(doc_id: str, title: str | None = None) -> SourceDocument:
    return SourceDocument(
        id=doc_id,
        title=title or doc_id.replace("-", " ").title(),
        publisher="Lambeth Safeguarding Children Partnership",
        partnership="lambeth",
        kind="procedure",
        published=date(2025, 1, 1),
        status="current",
        file=f"documents/{doc_id}.md",
    )


class ScriptedAssistant:
    """``ask``/``search``/``document``/``corpus_version`` over a few in-memory passages."""

    def __init__(self, passages: Sequence[Passage], version: str = "corpus-v1") -> None:
        self.passages = list(passages)
        self.docs = {p.doc_id: make_doc(p.doc_id) for p in passages}
        self.answers: dict[str, Answer] = {}
        self.rankings: dict[str, list[str]] = {}
        self.errors: dict[str, Exception] = {}
        self.version = version
        self.calls: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()

    # --- scripting -------------------------------------------------------------------

    def script(
        self,
        question: str,
        text: str,
        cite: Sequence[tuple[str, str]] = (),
        notices: Sequence[str] = (),
        refused: bool = False,
        rank: Sequence[str] = (),
        latency_ms: float = 5.0,
    ) -> None:
        """Answer ``question`` with ``text`` citing (passage_id, quote) pairs."""
        by_id = {p.id: p for p in self.passages}
        citations = []
        for n, (pid, quote) in enumerate(cite, start=1):
            passage = by_id.get(pid)
            doc_id = passage.doc_id if passage else pid.split("#")[0]
            doc = self.docs.get(doc_id) or make_doc(doc_id)
            citations.append(
                Citation(
                    n=n,
                    doc_id=doc_id,
                    title=doc.title,
                    section=passage.section if passage else "",
                    url=f"/sources/{doc_id}#p-{pid}",
                    quote=quote,
                    passage_id=pid,
                    published=doc.published,
                    status=doc.status,
                    publisher=doc.publisher,
                )
            )
        self.answers[question] = Answer(
            answer=text,
            citations=citations,
            notices=[Notice(kind=k, text=f"{k} notice") for k in notices],
            refused=refused,
            answer_id=f"a-{len(self.answers) + 1}",
            question=question,
            latency_ms=latency_ms,
        )
        if rank:
            self.rankings[question] = list(rank)

    # --- facade ----------------------------------------------------------------------

    def ask(
        self, question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> Answer:
        with self._lock:
            self.calls.append(("ask", question, len(history or [])))
        if question in self.errors:
            raise self.errors[question]
        if question in self.answers:
            return self.answers[question]
        return Answer(
            answer="The documents do not cover this. Ask your DSL.",
            citations=[],
            notices=[Notice(kind="not_covered", text="Not covered")],
            refused=True,
            answer_id="a-none",
            question=question,
        )

    def search(self, query: str, k: int = 8, partnership: str | None = None) -> list[SearchHit]:
        with self._lock:
            self.calls.append(("search", query, k))
        by_id = {p.id: p for p in self.passages}
        order = self.rankings.get(query, [p.id for p in self.passages])
        return [
            SearchHit(
                passage=by_id[pid],
                doc=self.docs[by_id[pid].doc_id],
                score=1.0 / (i + 1),
                rank=i + 1,
            )
            for i, pid in enumerate(order[:k])
            if pid in by_id
        ]

    def document(self, doc_id: str) -> DocumentView | None:
        if doc_id not in self.docs:
            return None
        passages = [p for p in self.passages if p.doc_id == doc_id]
        return DocumentView(
            doc=self.docs[doc_id],
            text=" ".join(p.text for p in passages),
            sections=[],
            passages=passages,
        )

    def corpus_version(self) -> str:
        return self.version


def passage(pid: str, doc_id: str, text: str, heading: str = "Section") -> Passage:
    return Passage(id=pid, doc_id=doc_id, text=text, heading_path=[heading], start=0, end=len(text))
