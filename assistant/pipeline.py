"""The Assistant facade: triage → retrieve → compose → verify → Answer.

One instance serves the web pages, the JSON API, the CLI and the eval runner. Triage
runs first and in code, so the emergency route is decided before anything is searched
and no input, document or model can switch it off.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answerability import (
    AnswerTypes,
    CorpusTerms,
    GateCalibration,
    assess,
    leading_sentences,
)
from assistant.citations import VerifiedAnswer, guard_output, verify
from assistant.compose import ComposerUnavailable, Draft
from assistant.compose.extractive import compose_extractive
from assistant.compose.focus import focus_of
from assistant.contacts import ContactsRegister, normalise_phone
from assistant.controls import (
    LLM_OFF_TEXT,
    OperatorControls,
    Switchboard,
    search_only_text,
    topic_off_text,
)
from assistant.conversation import check_history, key_question, standalone_question
from assistant.crisis import CardKind, CrisisFile, CrisisStep, render_card
from assistant.embeddings import (
    Embedder,
    SentenceEmbedder,
    ensure_onnx,
    ensure_onnx_apart,
    load_embedder,
)
from assistant.errors import (
    HistoryError,
    IndexMissingError,
    QuestionError,
    UnknownPartnershipError,
)
from assistant.feedback import AuditEvent, FeedbackIdError, FeedbackStore, check_feedback_ids
from assistant.guidance import GuidanceData
from assistant.guidance_answers import (
    asks_about_levels,
    escalation_markdown,
    escalation_route,
    guidance_kind,
    threshold_view,
)
from assistant.identifiers import passage_doc_id
from assistant.index import StoredGeneration, current_generation
from assistant.ingest import IngestReport, ingest, restore_collection
from assistant.library import filter_sources, library_words
from assistant.live_index import LiveIndex
from assistant.notices import build_notices, not_covered_notice, out_of_date_notice
from assistant.pathways import (
    PATHWAYS_NAME,
    CitedPathway,
    PathwayFile,
    PathwayMatcher,
    PathwaysError,
    step_label,
)
from assistant.prepared import PreparedQuestion
from assistant.question_intent import question_intents
from assistant.retrieval import LONDON, RetrievalResult, Retriever
from assistant.settings import Settings
from assistant.store import VectorStore
from assistant.triage import TriageResult, Understanding, triage
from assistant.triage.text import normalise
from assistant.types import (
    NOTICE_ORDER,
    Answer,
    Citation,
    DocumentView,
    GateEvidence,
    LibraryLink,
    Notice,
    RelatedDocument,
    SearchHit,
    SourceInfo,
    StreamEvent,
    Turn,
    passage_url,
)

log = logging.getLogger(__name__)

UNDER_CARD_EXCLUDED = frozenset({"annual-report", "improvement-plan", "briefing"})
"""Never cited under the crisis card: statistics, plans and case reviews (every briefing is
a 7-minute briefing, several of them case reviews)."""
UNDER_CARD_HEADING = "Your question, from the documents"
ROUTE_MORE_HEADING = "More from the documents"
UNDER_CARD_COMPOSERS = frozenset({"extractive", "practice-route"})
"""Answers that may follow the crisis card: sentences quoted from practice documents."""
ROUTE_ASKS = frozenset({"route", "contact", "process"})
"""The question forms (``TriageResult.asks``) whose answer may lead with a pathway."""
ROUTE_MORE_SENTENCES = 6
"""At most this many of the documents' sentences follow a pathway's steps."""
ROUTE_HEADINGS = {"process": "What happens"}
"""The heading over a pathway's steps by question form ("What to do" otherwise)."""
_CITE_MARK = re.compile(r"\[(\d+)\]")

_WANTS_ROUTE = re.compile(
    r"\b(how (?:do|can|should|would) (?:i|we|you)|what (?:do|should|can) (?:i|we) do|"
    r"what (?:are|is) the (?:steps?|route|process)|steps?|route|who do i|how to|"
    r"still (?:worried|concerned)|closed|nfa|no further action|disagree|not happy|"
    r"before escalating|how long)\b",
    re.I,
)


@dataclass(frozen=True)
class _Loaded:
    """What one index generation serves with: swapped as one reference on a switch."""

    retriever: Retriever
    corpus_terms: CorpusTerms


class Assistant:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._index: LiveIndex[_Loaded] = LiveIndex(
            self.settings.data_dir, self._load_generation, check_every_s=self.settings.index_check_s
        )
        self.contacts = ContactsRegister.load(self.settings.corpus_dir / "contacts.yaml")
        self.guidance = GuidanceData.load(self.settings.corpus_dir)
        self.pathway_file = _load_pathways(self.settings.corpus_dir / PATHWAYS_NAME)
        self._pathway_matcher: PathwayMatcher | None = None
        self._pathways_cache: tuple[object, dict[str, CitedPathway]] | None = None
        self.feedback = FeedbackStore.for_settings(self.settings)
        self.crisis = CrisisFile.load(self.settings.corpus_dir / "crisis.yaml")
        self._llm: Any = None
        self._understanding: Understanding | None = None
        self._understanding_lock = threading.Lock()
        self.gate = GateCalibration.load(self.settings.corpus_dir / "answerability.yaml")
        self.answer_types = AnswerTypes.load(self.settings.corpus_dir / "answer-types.yaml")
        self.switchboard = Switchboard(self.settings.data_dir, self.settings.corpus_dir)

    # ---- lifecycle -------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(
                self.settings.embedding.model_path,
                self.settings.embedding.batch_size,
                export_dir=self.export_dir,
            )
        return self._embedder

    @property
    def export_dir(self) -> Path:
        """Where the embedding model's ONNX export lives (``assistant.embeddings``)."""
        return self.settings.data_dir / "model"

    def prepare_embedder(self) -> Path | None:
        """Make the ONNX export of the embedding model if there is none, in a separate
        process so this one never loads torch; the server calls it before it starts."""
        return ensure_onnx_apart(self.export_dir, self.settings.embedding.model_path)

    @property
    def understanding(self) -> Understanding:
        """The situation classifier and danger lexicon (built once; exemplar vectors cached).

        If the model cannot be loaded, triage still runs on the patterns, the lexicon and
        the language check (EM-02: the 999 route never depends on a model).

        Built under a lock: without one, every request arriving before the warm-up has
        finished embedded the whole exemplar bank (thousands of sentences) again."""
        if self._understanding is not None:
            return self._understanding
        with self._understanding_lock:
            if self._understanding is None:
                folder = self.settings.corpus_dir / "triage"
                try:
                    embedder: Embedder | None = self.embedder
                except Exception as error:  # pragma: no cover - depends on the install
                    log.error("embedding model unavailable; triage runs on patterns: %s", error)
                    embedder = None
                self._understanding = Understanding.load(
                    folder, embedder, cache_dir=self.settings.data_dir / "triage"
                )
            return self._understanding

    def store(self) -> VectorStore:
        return VectorStore(self.settings.chroma, self.settings.data_dir)

    def ingest(self, *, force: bool = False, progress: Any = None) -> IngestReport:
        report = ingest(self.settings, self.embedder, self.store(), force=force, progress=progress)
        if isinstance(self.embedder, SentenceEmbedder):  # the real model, not a test's fake
            ensure_onnx(self.export_dir, self.settings.embedding.model_path)
        if self._index.ready:  # switch now; the old generation serves until the new one is in
            self._index.refresh(wait=True)
        else:
            self.load()
        return report

    def index_exists(self) -> bool:
        return current_generation(self.settings.data_dir) is not None

    def restore_store(self) -> bool:
        """Make the current generation's vector collection whole from its stored vectors
        (no model needed). ``assistant serve --workers N`` does it once before the workers
        start, so they find it complete. Returns whether anything was written."""
        return restore_collection(StoredGeneration.load(self.settings.data_dir), self.store())

    def load(self) -> None:
        """Load the model and the current index (slow: call once, off the request path).

        Later generations are picked up by themselves (``assistant.live_index``)."""
        self._index.load()

    def _load_generation(self, name: str) -> _Loaded:
        generation = StoredGeneration.load(self.settings.data_dir, name)
        store = self.store()
        restore_collection(generation, store)
        return _Loaded(
            Retriever(generation, self.embedder, store, self.settings.retrieval),
            CorpusTerms.of(p.text for p in generation.passages.values()),
        )

    def index_problem(self) -> str | None:
        """Why the loaded index cannot answer (for ``/readyz``), or None if it can: its
        vector collection must exist and hold every passage."""
        if not self._index.ready:
            return "The index is not loaded yet."
        retriever = self.retriever
        name = retriever.generation.info.generation
        expected = len(retriever.generation.passage_order)
        try:
            count = retriever.store.count(name)
        except Exception as error:
            return f"The loaded index ({name}) does not answer: {type(error).__name__}: {error}"
        if count != expected:
            return f"The loaded index ({name}) holds {count} of its {expected} passages."
        return None

    def warm_up_triage(self) -> None:
        """Embed the exemplar bank and load the language data now, not on the first question."""
        understanding = self.understanding
        triage("warm up: is the child safe?", understanding=understanding)

    @property
    def ready(self) -> bool:
        return self._index.ready

    @property
    def retriever(self) -> Retriever:
        """The serving generation's retriever (the one pinned for this request, if any)."""
        return self._index.current().retriever

    @property
    def _corpus_terms(self) -> CorpusTerms | None:
        return self._index.current().corpus_terms if self._index.ready else None

    def corpus_version(self) -> str:
        return self.retriever.generation.info.corpus_version

    # ---- input checks ------------------------------------------------------------------

    def partnerships(self) -> list[str]:
        return self.retriever.partnerships

    def _partnership(self, partnership: str | None) -> str:
        chosen = (partnership or self.settings.default_partnership).strip().lower()
        valid = self.partnerships()
        if chosen not in valid:
            raise UnknownPartnershipError(chosen, valid)
        return chosen

    def _question(self, text: str, what: str = "question") -> str:
        if not isinstance(text, str) or not text.strip():
            raise QuestionError(f"The {what} is empty. Type a {what} to search the documents.")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            raise QuestionError(
                f"The {what} is {len(text):,} characters long; the limit is {limit:,}. "
                "Shorten it and leave out identifying details."
            )
        return text.strip()

    @staticmethod
    def _history(history: list[Turn] | list[dict[str, Any]] | None) -> list[Turn]:
        if history is None:
            return []
        if not isinstance(history, list):
            raise HistoryError("history must be a list of turns like {role, content}.")
        turns: list[Turn] = []
        for i, item in enumerate(history):
            if isinstance(item, Turn):
                turns.append(item)
                continue
            if not isinstance(item, dict) or not isinstance(item.get("content"), str):
                raise HistoryError(f"history[{i}] must be an object with role and content.")
            if item.get("role") not in ("user", "assistant"):
                raise HistoryError(
                    f"history[{i}] has unknown role {item.get('role')!r}: use user or assistant."
                )
            turns.append(Turn(role=item["role"], content=item["content"]))
        return check_history(turns)

    # ---- search ----------------------------------------------------------------------

    def search(self, query: str, k: int = 8, partnership: str | None = None) -> list[SearchHit]:
        return self.retrieve(query, k=k, partnership=partnership).hits

    def retrieve(
        self, query: str, k: int | None = None, partnership: str | None = None
    ) -> RetrievalResult:
        """Search with the same scoping as questions: a borough named in the query wins."""
        query = self._question(query, "query")
        with self._index.pinned():  # one generation for the whole search
            scope = self._partnership(partnership)
            checked = triage(
                query, [], default_partnership=scope, known_partnerships=self.partnerships()
            )
            # Only the redacted query is searched (and so reaches any cache or log below).
            terms = self._corpus_terms
            return self.retriever.search(
                terms.repair(checked.question) if terms is not None else checked.question,
                checked.partnership or scope,
                k,
                kind_priors=self._priors(checked.asks),
            )

    @staticmethod
    def _priors(asks: str) -> dict[str, float]:
        return question_intents().priors.get(asks, {})

    # ---- answering -------------------------------------------------------------------

    def ask(
        self,
        question: str,
        history: list[Turn] | list[dict[str, Any]] | None = None,
        partnership: str | None = None,
    ) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, history, partnership):
            if event.event == "done":
                answer = event.answer
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        history: list[Turn] | list[dict[str, Any]] | None = None,
        partnership: str | None = None,
    ) -> Iterator[StreamEvent]:
        """Notices first (before anything is searched), then answer parts, then citations."""
        yield from self.stream_prepared(self.prepare(question, history, partnership))

    def prepare(
        self,
        question: str,
        history: list[Turn] | list[dict[str, Any]] | None = None,
        partnership: str | None = None,
    ) -> PreparedQuestion:
        """Check and triage a question (the first half of ``stream``): only redacted text
        leaves here, and the danger checks have read the question as typed."""
        started = time.perf_counter()
        text = self._question(question)
        turns = self._history(history)
        try:
            scope = self._partnership(partnership)
            known = self.partnerships()
        except IndexMissingError:
            # No index: triage and the crisis card still run (EM-02); other answers fail.
            scope = (partnership or self.settings.default_partnership).strip().lower()
            known = [scope, LONDON]
        checked = triage(
            text,
            turns,
            default_partnership=scope,
            known_partnerships=known,
            understanding=self.understanding,
        )
        triage_ms = (time.perf_counter() - started) * 1000
        return PreparedQuestion(checked=checked, scope=scope, triage_ms=triage_ms)

    def stream_prepared(self, prepared: PreparedQuestion) -> Iterator[StreamEvent]:
        """The answer to a prepared question as events (the second half of ``stream``)."""
        started = time.perf_counter()
        checked, scope = prepared.checked, prepared.scope
        early = build_notices(checked, self.contacts)
        for notice in early:
            yield StreamEvent(event="notice", notice=notice)

        with self._index.pinned():  # the answer is built from one generation
            answer = self._answer(checked, early, scope)
            answer.library = self._library_link(checked, answer)
        elapsed_ms = (time.perf_counter() - started) * 1000 + prepared.triage_ms
        answer.latency_ms = round(elapsed_ms, 1)
        for notice in answer.notices:
            if notice not in early:
                yield StreamEvent(event="notice", notice=notice)
        for line in answer.answer.splitlines(keepends=True):
            yield StreamEvent(event="answer_part", text=line)
        for citation in answer.citations:
            yield StreamEvent(event="citation", citation=citation)
        self._audit(answer, checked)
        yield StreamEvent(event="done", answer=answer)

    def _answer(self, checked: TriageResult, notices: list[Notice], scope: str) -> Answer:
        partnership = checked.partnership or scope
        base: dict[str, Any] = {
            "answer_id": uuid.uuid4().hex,
            "question": checked.question,
            "partnership": partnership,
            "settings_fingerprint": self.settings.fingerprint(),
            "redactions": dict(checked.redactions),
        }
        if checked.child_or_parent:
            # A child or parent gets the child-help panel and no practitioner procedure,
            # not even the practitioner's crisis card (EM-07).
            return self._refusal(notices, base, None)
        if checked.emergency:
            # Danger now: the crisis card first (EM-01..03); nothing else, unless only the
            # classifier's likeness to danger fired and a practice question was asked.
            card = self._crisis_answer("emergency", notices, base)
            if checked.emergency_signals == ["classifier"] and checked.asks_question:
                return self._card_then_answer(card, checked, notices, base, partnership)
            return card
        if checked.disclosure:
            # EM-04: the disclosure card first, never retrieved report content; a level
            # question also gets the cited descriptors of every level (DSB-01: structured
            # guidance that hands the decision back).
            return self._with_threshold_view(
                checked, self._crisis_answer("disclosure", notices, base)
            )
        if checked.out_of_scope:
            # Requests outside the tool's purpose get the scope statement (DSB-08).
            return self._refusal(notices, base, None)
        if partnership not in self.partnerships():
            return self._refusal(notices, base, partnership)
        if checked.practitioner_crisis:
            # The support routes are in the first notice; no procedure text under them.
            return _fixed_answer("", [], notices, "support", base)
        return self._retrieved_answer(checked, notices, base, partnership)

    def _card_then_answer(
        self,
        card: Answer,
        checked: TriageResult,
        notices: list[Notice],
        base: dict[str, Any],
        partnership: str,
    ) -> Answer:
        """The 999 card first, then the cited answer to the practice question the message
        ends with ("…mum keeps ringing asking what happens now. what are the timescales i
        can tell her"). Only when the classifier alone read the message as danger now (no
        danger pattern or word, no other language): the card is never delayed or reworded
        (EM-03), and the answer under it cites practice documents only, never a report,
        plan or case review (the crisis banner's rule)."""
        if not self.ready or partnership not in self.partnerships():
            return card
        try:
            rest = self._retrieved_answer(
                checked, notices, dict(base), partnership, exclude_kinds=UNDER_CARD_EXCLUDED
            )
        except Exception:  # the card stands on its own; never lose it to a retrieval fault
            log.exception("the answer under the crisis card failed; the card is shown alone")
            return card
        if rest.refused or not rest.citations or rest.composer not in UNDER_CARD_COMPOSERS:
            return card
        joined, merged = _append_cited(card.answer, card.citations, UNDER_CARD_HEADING, rest)
        return card.model_copy(
            update={
                "answer": joined,
                "citations": merged,
                "notices": _ordered(
                    [*card.notices, *(n for n in rest.notices if n not in card.notices)]
                ),
                "composer": "crisis-card+extractive",
                "gate": rest.gate,
                "guidance": rest.guidance,
            }
        )

    def _retrieved_answer(
        self,
        checked: TriageResult,
        notices: list[Notice],
        base: dict[str, Any],
        partnership: str,
        exclude_kinds: frozenset[str] = frozenset(),
    ) -> Answer:
        """Search, compose, verify and gate: the answer from the documents."""
        query = self._standalone(checked)
        controls = self.switchboard.current()
        withdrawn = self.switchboard.topics.off_for(query, controls)
        if withdrawn is not None:  # HF-02: a topic switched off by an operator
            return self._refusal([*notices, _service(topic_off_text(withdrawn))], base, None)
        if controls.search_only:
            return self._search_only(query, partnership, checked, notices, base, controls)
        kind = guidance_kind(query)
        if kind == "escalation" and _WANTS_ROUTE.search(query):
            routed = self._escalation_answer(notices, base)
            if routed is not None:
                return routed
        asks = self._asks(query, checked)
        if self._corpus_terms is not None:  # "referal" is searched and weighed as "referral"
            query = self._corpus_terms.repair(query)
        result = self.retriever.search(query, partnership, kind_priors=self._priors(asks))
        if exclude_kinds:
            kept_kinds = [h for h in result.hits if h.doc.kind not in exclude_kinds]
            result = dataclasses.replace(result, hits=kept_kinds)
            if not kept_kinds:
                return self._refusal(notices, base, None)
        withheld = self.switchboard.topics.withheld_docs(controls)
        if withheld and any(h.doc.id in withheld for h in result.hits):
            kept = [h for h in result.hits if h.doc.id not in withheld]
            if not kept:
                topic = withheld[result.hits[0].doc.id]
                return self._refusal([*notices, _service(topic_off_text(topic))], base, None)
            result = dataclasses.replace(result, hits=kept)
        if not result.relevant:
            return self._refusal(notices, base, None)
        if kind == "escalation":  # a question about escalation: answer it, show the route too
            base["guidance"] = escalation_route(self.escalation(), contacts=self.contacts)
        # A what-do-I-do question that reads like a pathway gets its steps (speak to the
        # DSL, record, consult the IRH…), not the levels of need, even when it describes a
        # child's situation: the steps answer what was asked.
        route = None if kind == "escalation" else self._practice_route(query, asks)
        # "who do i tell if…" is answered by who to tell: the levels only when asked about.
        levels_asked = asks != "contact" or asks_about_levels(query)
        if kind == "thresholds" and route is None and levels_asked:
            base["guidance"] = threshold_view(
                query, self.thresholds(), self._descriptor_similarity, contacts=self.contacts
            )

        draft, service_notice = self._compose(query, result.hits, checked, controls)
        if self.settings.llm.model and draft.composer == "extractive":
            base["llm_fallback"] = "unavailable" if controls.llm_composer else "switched_off"
        # Under a pathway's steps the documents' answer is a short supplement.
        shown = _strongest(draft, ROUTE_MORE_SENTENCES) if route is not None else draft
        verified: VerifiedAnswer = verify(
            shown, result.hits, allowed_contacts=self._allowed_contacts()
        )
        if not base.get("guidance"):
            base["gate"] = self._gate(query, draft, checked)
            if base["gate"] is not None and not base["gate"].answerable:
                if route is not None:  # the documents' steps answer "what do I do" here
                    return self._route_answer(
                        route, None, notices + service_notice, base, asks=asks
                    )
                return self._refusal(notices + service_notice, base, None, related=result.hits)
        if base.get("guidance"):
            verified = self._with_levels(verified, base["guidance"])
        if not verified.citations:
            return self._refusal(notices + service_notice, base, None)

        extra = list(service_notice)
        cited_docs = {c.doc_id: c for c in verified.citations}
        stale = [c for c in cited_docs.values() if c.status in ("historical", "superseded")]
        if stale:
            extra.append(out_of_date_notice(stale, self.retriever.docs))
        answer = Answer(
            answer=verified.answer,
            citations=verified.citations,
            notices=_ordered(notices + extra),
            refused=False,
            composer=draft.composer,
            **base,
        )
        return self._route_answer(route, answer, notices, base, asks=asks) if route else answer

    def _practice_route(self, query: str, asks: str) -> CitedPathway | None:
        """The structured pathway a what-do-I-do or who-do-I-tell question reads like
        (``corpus/pathways.yaml``: its ``asks`` and ``match_floor``), cited; else None."""
        if asks not in ROUTE_ASKS or not self.pathway_file.pathways:
            return None
        if self._pathway_matcher is None:
            self._pathway_matcher = PathwayMatcher(self.pathway_file, self.embedder.embed)
        best = self._pathway_matcher.best(self.embedder.embed([query])[0])
        if best is None or best[1] < self.pathway_file.match_floor:
            return None
        return self._cited_pathways().get(best[0])

    def _cited_pathways(self) -> dict[str, CitedPathway]:
        """Every pathway cited against the current index generation (kept per generation)."""
        generation = self.retriever.generation
        cached = self._pathways_cache
        if cached is None or cached[0] is not generation:
            cached = (generation, {p.id: p for p in self.pathways()})
            self._pathways_cache = cached
        return cached[1]

    def _route_answer(
        self,
        route: CitedPathway,
        answer: Answer | None,
        notices: list[Notice],
        base: dict[str, Any],
        *,
        asks: str = "route",
    ) -> Answer:
        """The pathway's steps first ("What to do", or "What happens" for a process
        question), each cited, then the answer from the documents, if there is one, under
        its own heading."""
        lines = [f"**{ROUTE_HEADINGS.get(asks, 'What to do')}: {route.title}**", ""]
        citations: list[Citation] = []
        for step in route.steps:
            if guard_output(step.quote) is None:
                continue
            citations.append(step.citation.model_copy(update={"n": len(citations) + 1}))
            label = step_label(step.title)
            lines.append(f"{len(citations)}. **{label}** {step.quote} [{len(citations)}]")
        text = "\n".join(lines)
        if answer is None:
            return _fixed_answer(text, citations, notices, "practice-route", base)
        joined, merged = _append_cited(text, citations, ROUTE_MORE_HEADING, answer)
        return answer.model_copy(
            update={"answer": joined, "citations": merged, "composer": "practice-route"}
        )

    @staticmethod
    def _asks(query: str, checked: TriageResult) -> str:
        """A follow-up asks what its standalone rewrite asks."""
        if query == checked.question:
            return checked.asks
        return question_intents().of(normalise(query))

    def _gate(self, query: str, draft: Draft, checked: TriageResult) -> GateEvidence | None:
        """The answerability gate (assistant/answerability.py): do the chosen sentences
        address what was asked? Without a fitted calibration every draft goes through."""
        if self._corpus_terms is None or not draft.sentences:
            return None
        leading = leading_sentences(draft.sentences)
        evidence = assess(
            focus_of(query),
            [s.text for s in leading],
            [s.similarity for s in leading if s.similarity is not None],
            self._corpus_terms,
            off_topic=checked.off_topic,
            off_topic_margin=checked.off_topic_margin,
            question=query,
            answer_types=self.answer_types,
        )
        return self.gate.judge(evidence) if self.gate is not None else evidence

    def _with_threshold_view(self, checked: TriageResult, card: Answer) -> Answer:
        if not (
            checked.decision and self.ready and guidance_kind(checked.question) == "thresholds"
        ):
            return card
        view = threshold_view(
            checked.question,
            self.thresholds(),
            self._descriptor_similarity,
            contacts=self.contacts,
        )
        levels = view and self._with_levels(
            VerifiedAnswer(answer=card.answer, citations=card.citations, dropped=0, reasons=[]),
            view,
        )
        if not levels:
            return card
        return card.model_copy(
            update={"answer": levels.answer, "citations": levels.citations, "guidance": view}
        )

    def _crisis_answer(self, kind: CardKind, notices: list[Notice], base: dict[str, Any]) -> Answer:
        """The deterministic crisis card (assistant/crisis.py), cited when the index is loaded."""
        try:
            resolve = self._resolver()
        except Exception as error:  # the card must not depend on the index (EM-02)
            log.error("index unavailable; crisis card shown without passage links: %s", error)
            resolve = None

        def cite(n: int, step: CrisisStep) -> Citation | None:
            assert resolve is not None
            ref = resolve(step.doc_id, step.quote)
            return self._citation(n, step.quote, ref) if ref else None

        citations: list[Citation]
        if self.crisis is None:
            text, citations = "", []
        else:
            text, citations = render_card(self.crisis.card(kind), cite if resolve else None)
        return _fixed_answer(text, citations, notices, "crisis-card", base)

    def _citation(self, n: int, quote: str, ref: dict[str, Any]) -> Citation:
        doc = self.retriever.docs[ref["doc_id"]]
        return Citation.of(
            n, doc, passage_id=ref["passage_id"], section=ref["section"], quote=quote
        )

    def _with_levels(self, verified: VerifiedAnswer, view: dict[str, Any]) -> VerifiedAnswer:
        """Threshold answers always show what each level means, cited; never which applies."""
        citations = list(verified.citations)
        lines = (
            ["", "What each level of the London continuum means:"]
            if verified.answer
            else ["What each level of the London continuum means:"]
        )
        for level in view.get("levels", []):
            summary = level.get("summary") or {}
            ref = summary.get("citation")
            if not ref or guard_output(summary["quote"]) is None:
                continue
            citations.append(self._citation(len(citations) + 1, summary["quote"], ref))
            lines.append(
                f"- **Level {level['level']} – {level['name']}:** "
                f"{summary['quote']} [{len(citations)}]"
            )
        if len(citations) == len(verified.citations):
            return verified
        answer = "\n".join([verified.answer, *lines]) if verified.answer else "\n".join(lines)
        return verified.model_copy(update={"answer": answer.strip(), "citations": citations})

    def _standalone(self, checked: TriageResult) -> str:
        """What to search with: a follow-up made answerable on its own (the condense prompt
        when a model is set, which falls back to the rules itself, else the rule-based
        rewrite), and of a long account of a case, the question it ends with."""
        if self.settings.llm.model and checked.history:
            return key_question(
                str(self._llm_composer().condense(checked.question, checked.history))
            )
        return standalone_question(key_question(checked.question), checked.history)

    def _descriptor_similarity(self, question: str, texts: list[str]) -> list[float]:
        vectors = self.embedder.embed([question, *texts])
        return [float(v @ vectors[0]) for v in vectors[1:]]

    def _escalation_answer(self, notices: list[Notice], base: dict[str, Any]) -> Answer | None:
        """The numbered escalation route, each step cited, the 999 exception first."""
        route = escalation_route(self.escalation(), contacts=self.contacts)
        if route is None:
            return None
        text, refs = escalation_markdown(route)
        numbers: dict[tuple[str, str], int] = {}
        citations: list[Citation] = []
        for quote, ref in refs:
            key = (ref["passage_id"], quote)
            if key in numbers:
                continue
            numbers[key] = len(numbers) + 1
            citations.append(self._citation(numbers[key], quote, ref))
        if any(guard_output(line) is None for line in _quotes_only(text, refs)):
            return None
        return _fixed_answer(
            text, citations, notices, "escalation-route", {**base, "guidance": route}
        )

    def _compose(
        self,
        query: str,
        hits: list[SearchHit],
        checked: TriageResult,
        controls: OperatorControls,
    ) -> tuple[Draft, list[Notice]]:
        if self.settings.llm.model and not controls.llm_composer:
            return self._extractive(query, hits), [_service(LLM_OFF_TEXT)]
        if self.settings.llm.model:
            try:
                return self._llm_composer().compose(query, hits, checked.history), []
            except ComposerUnavailable as error:
                log.warning("LLM composer unavailable, using extractive: %s", error)
                notice = Notice(
                    kind="service",
                    text=(
                        "The language model was not available, so this answer quotes the "
                        "documents directly."
                    ),
                )
                return self._extractive(query, hits), [notice]
        return self._extractive(query, hits), []

    def _extractive(self, query: str, hits: list[SearchHit]) -> Draft:
        semantic = self.retriever.sentence_scores(query, hits)
        return compose_extractive(query, hits, semantic=semantic, answer_types=self.answer_types)

    def _llm_composer(self) -> Any:
        if self._llm is None:
            from assistant.compose.llm import LLMComposer

            self._llm = LLMComposer(self.settings.llm, self.settings.prompts_dir)
        return self._llm

    def _search_only(
        self,
        query: str,
        partnership: str,
        checked: TriageResult,
        notices: list[Notice],
        base: dict[str, Any],
        controls: OperatorControls,
    ) -> Answer:
        """HF-02 search-only mode: no composed answer, the matching documents to open."""
        result = self.retriever.search(
            query, partnership, kind_priors=self._priors(self._asks(query, checked))
        )
        withheld = self.switchboard.topics.withheld_docs(controls)
        hits = [h for h in result.hits if h.doc.id not in withheld]
        return Answer(
            answer="",
            citations=[],
            notices=_ordered([*notices, _service(search_only_text())]),
            refused=True,
            composer="search-only",
            related=_related_documents(hits, 6),
            **base,
        )

    def _refusal(
        self,
        notices: list[Notice],
        base: dict[str, Any],
        borough: str | None,
        *,
        related: list[SearchHit] | None = None,
    ) -> Answer:
        # Whatever else was said, a refusal says plainly the documents do not answer and
        # gives the human route (RF-01), with the closest documents to read for oneself.
        extra = [not_covered_notice(borough or base["partnership"], self.contacts)]
        return Answer(
            answer="",
            citations=[],
            notices=_ordered(notices + extra),
            refused=True,
            composer="none",
            related=_related_documents((related or [])[:6], 3),
            **base,
        )

    def _allowed_contacts(self) -> set[str]:
        allowed = set(self.contacts.phone_numbers()) | set(self.contacts.emails())
        allowed |= set(self.contacts.urls())
        allowed |= {normalise_phone("999")}
        return allowed

    def _audit(self, answer: Answer, checked: TriageResult) -> None:
        try:
            self.feedback.record_audit(
                AuditEvent(
                    answer_id=answer.answer_id,
                    partnership=answer.partnership,
                    cited_doc_ids=sorted({c.doc_id for c in answer.citations}),
                    cited_passage_ids=[c.passage_id for c in answer.citations],
                    notices=[n.kind for n in answer.notices],
                    redaction_counts=dict(checked.redactions),
                    refused=answer.refused,
                    composer=answer.composer,
                    settings_fingerprint=answer.settings_fingerprint,
                    latency_ms=answer.latency_ms,
                )
            )
        except Exception as error:  # auditing must never cost the user their answer
            log.error("audit event not recorded: %s", error)

    # ---- sources ---------------------------------------------------------------------

    def _library_link(self, checked: TriageResult, answer: Answer) -> LibraryLink | None:
        """A library question ("which briefings are there?") links to the sources library
        with the matching filter; a crisis card or a refused request never does."""
        if checked.asks != "library" or answer.composer in ("crisis-card", "support"):
            return None
        if checked.child_or_parent or checked.out_of_scope or not self.ready:
            return None
        words = library_words()
        chosen = words.filter_for(normalise(checked.question))
        return words.link(chosen, len(filter_sources(self.sources(), chosen)))

    def sources(self, kind: str | None = None) -> list[SourceInfo]:
        generation = self.retriever.generation
        counts: dict[str, int] = {}
        for passage in generation.passages.values():
            counts[passage.doc_id] = counts.get(passage.doc_id, 0) + 1
        infos = [
            SourceInfo(doc=d.doc, passage_count=counts.get(doc_id, 0), url=f"/sources/{doc_id}")
            for doc_id, d in generation.documents.items()
            if kind is None or d.doc.kind == kind
        ]
        return sorted(infos, key=lambda s: (s.doc.partnership != LONDON, s.doc.kind, s.doc.id))

    def document(self, doc_id: str) -> DocumentView | None:
        generation = self.retriever.generation
        clean = generation.documents.get(doc_id)
        if clean is None:
            return None
        passages = [
            p
            for pid in generation.passage_order
            if (p := generation.passages[pid]).doc_id == doc_id
        ]
        replacement = generation.documents.get(clean.doc.replaced_by or "")
        return DocumentView(
            doc=clean.doc,
            text=clean.text,
            sections=clean.sections,
            passages=passages,
            replaced_by=replacement.doc if replacement else None,
        )

    def problems(self) -> list[dict[str, str]]:
        return [p.model_dump() for p in self.retriever.generation.info.problems]

    # ---- structured guidance (thresholds, escalation) ----------------------------------

    def thresholds(self, partnership: str | None = None) -> dict[str, Any]:
        return self.guidance.thresholds(self._resolver())

    def escalation(self, partnership: str | None = None) -> dict[str, Any]:
        return self.guidance.escalation(self._resolver())

    def pathways(self, partnership: str | None = None) -> list[CitedPathway]:
        """The structured pathways (``corpus/pathways.yaml``), every step's quote cited."""
        with self._index.pinned():
            resolve = self._resolver()

            def cite(n: int, doc_id: str, quote: str) -> Citation | None:
                ref = resolve(doc_id, quote)
                return self._citation(n, quote, ref) if ref else None

            return self.pathway_file.cite(cite)

    def _resolver(self) -> Any:
        generation = self.retriever.generation

        def resolve(doc_id: str, quote: str) -> dict[str, Any] | None:
            """Find the passage holding a quote, so structured guidance cites like answers do."""
            clean = generation.documents.get(doc_id)
            if clean is None:
                return None
            wanted = " ".join(quote.split())
            for pid in generation.passage_order:
                passage = generation.passages[pid]
                if passage.doc_id == doc_id and wanted in " ".join(passage.text.split()):
                    return {
                        "doc_id": doc_id,
                        "title": clean.doc.title,
                        "passage_id": passage.id,
                        "section": passage.section,
                        "url": passage_url(doc_id, passage.id),
                        "published": clean.doc.published.isoformat(),
                        "status": clean.doc.status_label,
                    }
            return None

        return resolve

    # ---- feedback ----------------------------------------------------------------------

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
        """Store feedback on an answer this assistant gave. Ids must have the shapes it
        issues, and documents (and the documents of passages) must be in the index; a
        passage from an earlier index generation is kept, so no feedback is lost to a
        re-index."""
        check_feedback_ids(answer_id, passage_ids, doc_ids)
        known = self.retriever.generation.documents
        if not all(d in known for d in [*doc_ids, *map(passage_doc_id, passage_ids)]):
            raise FeedbackIdError("The feedback names a document that is not in the index.")
        return self.feedback.record_feedback(
            answer_id,
            helpful=helpful,
            comment=comment,
            kind="problem" if kind == "problem" else "rating",
            passage_ids=passage_ids,
            doc_ids=doc_ids,
        )


def _related_documents(hits: list[SearchHit], limit: int) -> list[RelatedDocument]:
    """The distinct documents of ``hits``, best first, as links to open."""
    documents: dict[str, RelatedDocument] = {}
    for hit in hits:
        documents.setdefault(
            hit.doc.id,
            RelatedDocument(doc_id=hit.doc.id, title=hit.doc.title, url=f"/sources/{hit.doc.id}"),
        )
    return list(documents.values())[:limit]


def _service(text: str) -> Notice:
    return Notice(kind="service", text=text)


def _quotes_only(text: str, refs: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [quote for quote, _ in refs]


def _load_pathways(path: Path) -> PathwayFile:
    """A broken pathways file costs the pathways (logged with pathway and step), not the app."""
    try:
        return PathwayFile.load(path)
    except PathwaysError as error:
        log.error("structured pathways not loaded: %s", error)
        return PathwayFile()


def _fixed_answer(
    text: str,
    citations: list[Citation],
    notices: list[Notice],
    composer: str,
    base: dict[str, Any],
) -> Answer:
    """An answer a fixed route wrote (a card, a route, a pathway, the support routes)."""
    return Answer(
        answer=text,
        citations=citations,
        notices=_ordered(notices),
        refused=False,
        composer=composer,
        **base,
    )


def _strongest(draft: Draft, n: int) -> Draft:
    """``draft`` with only the ``n`` sentences its composer ranked first (a sentence brought
    in to make one readable shares its rank); an unranked draft is cut after ``n``."""
    if all(s.rank is None for s in draft.sentences):
        return draft.model_copy(update={"sentences": draft.sentences[:n]})
    kept = [s for s in draft.sentences if s.rank is not None and s.rank < n]
    return draft.model_copy(update={"sentences": kept})


def _append_cited(
    text: str, citations: list[Citation], heading: str, rest: Answer
) -> tuple[str, list[Citation]]:
    """``text`` (citing 1..n) followed by ``rest`` under ``heading``, its citation numbers
    moved on past n."""
    offset = len(citations)
    shifted = [c.model_copy(update={"n": c.n + offset}) for c in rest.citations]
    body = _CITE_MARK.sub(lambda m: f"[{int(m.group(1)) + offset}]", rest.answer)
    return f"{text}\n\n**{heading}**\n\n{body}", [*citations, *shifted]


def _ordered(notices: list[Notice]) -> list[Notice]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for notice in notices:
        key = (notice.kind, notice.text)
        if key not in seen:
            seen.add(key)
            unique.append(notice)
    return sorted(unique, key=lambda n: NOTICE_ORDER.index(n.kind))


__all__ = ["Assistant", "IndexMissingError"]
