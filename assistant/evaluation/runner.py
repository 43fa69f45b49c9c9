"""Run suites against the assistant facade and record what happened to every expectation.

Cases run in a thread pool (the facade is thread-safe for reads). Each expectation becomes
a ``CheckResult`` with a plain-English "expected" and "actual", which is what the L&D team
reads in the report when a case fails.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Protocol

from assistant.evaluation import metrics
from assistant.evaluation.judge import Judge
from assistant.evaluation.results import (
    CaseMetrics,
    CaseResult,
    CheckResult,
    CitationRecord,
    NoticeRecord,
    RetrievedRecord,
    Run,
    SuiteInfo,
    Summary,
)
from assistant.evaluation.suite import Case, Expect, Fact, Suite
from assistant.types import Answer, SearchHit, Turn

log = logging.getLogger(__name__)


class EvalTarget(Protocol):
    """The part of the ``Assistant`` facade the runner uses (a fake in unit tests)."""

    def ask(
        self, question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> Answer: ...

    def search(self, query: str, k: int = 8, partnership: str | None = None) -> list[SearchHit]: ...

    def corpus_version(self) -> str: ...


class PassageTexts:
    """Passage texts by id, from search hits or ``target.document(doc_id)``; thread-safe."""

    def __init__(self, target: Any) -> None:
        self._target = target
        self._texts: dict[str, str] = {}
        self._docs_loaded: set[str] = set()
        self._missing_docs: set[str] = set()
        self._lock = threading.Lock()

    def remember(self, passage_id: str, text: str) -> None:
        with self._lock:
            self._texts[passage_id] = text

    def text(self, doc_id: str, passage_id: str) -> tuple[str | None, str | None]:
        """``(text, None)``, or ``(None, why)`` — why is None when it cannot be checked."""
        with self._lock:
            if passage_id in self._texts:
                return self._texts[passage_id], None
        document = getattr(self._target, "document", None)
        if document is None:
            return None, None
        if doc_id not in self._docs_loaded and doc_id not in self._missing_docs:
            try:
                view = document(doc_id)
            except Exception:  # a cited document that does not exist is a broken citation
                view = None
            if view is None:
                with self._lock:
                    self._missing_docs.add(doc_id)
            else:
                with self._lock:
                    self._docs_loaded.add(doc_id)
                    for passage in view.passages:
                        self._texts[passage.id] = passage.text
        with self._lock:
            if passage_id in self._texts:
                return self._texts[passage_id], None
            if doc_id in self._missing_docs:
                return None, f"document {doc_id!r} is not in the corpus"
            return None, f"passage {passage_id!r} is not in document {doc_id!r}"


def _quoted(items: Sequence[str]) -> str:
    return "; ".join(f"“{i}”" for i in items)


def _fact_text(fact: Fact) -> str:
    return f"“{fact}”" if isinstance(fact, str) else " or ".join(f"“{a}”" for a in fact)


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _retrieval_checks(
    expect: Expect, ranked: list[RetrievedRecord], k: int, source: str
) -> list[CheckResult]:
    where = (
        f"one of the top {k} search results"
        if source == "search"
        else "one of the passages the answer cites"
    )
    found = [r for r in ranked[:k] if r.matched]
    listing = "; ".join(f"{r.rank}. {r.doc_id} › {r.section}" for r in ranked[:k]) or "nothing"
    checks: list[CheckResult] = []
    if expect.passages:
        passage_hit = any(
            any(metrics.snippet_matches(s, r.text) for s in expect.passages) for r in ranked[:k]
        )
        checks.append(
            CheckResult(
                name="passages",
                passed=passage_hit,
                expected=f"{where.capitalize()} must contain one of: {_quoted(expect.passages)}",
                actual=(
                    f"Found at rank {found[0].rank} ({found[0].doc_id})"
                    if passage_hit and found
                    else "Found"
                    if passage_hit
                    else f"Not found. {source.capitalize()} returned: {listing}"
                ),
            )
        )
    if expect.documents:
        doc_ranks = [r for r in ranked[:k] if r.doc_id in expect.documents]
        checks.append(
            CheckResult(
                name="documents",
                passed=bool(doc_ranks),
                expected=f"{where.capitalize()} must come from: {', '.join(expect.documents)}",
                actual=(
                    f"Found at rank {doc_ranks[0].rank} ({doc_ranks[0].doc_id})"
                    if doc_ranks
                    else f"Not found. {source.capitalize()} returned: {listing}"
                ),
            )
        )
    return checks


def _answer_checks(
    expect: Expect, answer: Answer, latency_ms: float, citations: list[CitationRecord]
) -> tuple[list[CheckResult], CaseMetrics]:
    checks: list[CheckResult] = []
    m = CaseMetrics(latency_ms=latency_ms, citations_total=len(citations))
    kinds = [n.kind for n in answer.notices]
    if expect.facts:
        coverage, missing = metrics.fact_coverage(expect.facts, answer.answer)
        needed = expect.min_fact_coverage if expect.min_fact_coverage is not None else 1.0
        m.fact_coverage = coverage
        checks.append(
            CheckResult(
                name="facts",
                passed=coverage + 1e-9 >= needed,
                expected=(
                    "The answer must contain: "
                    + "; ".join(_fact_text(f) for f in expect.facts)
                    + (f" (at least {_pct(needed)} of them)" if needed < 1 else "")
                ),
                actual=(
                    f"All found ({_pct(coverage)})"
                    if not missing
                    else f"Missing: {'; '.join(_fact_text(f) for f in missing)} "
                    f"(found {_pct(coverage)}, needed {_pct(needed)})"
                ),
            )
        )
    if expect.not_contains:
        bad = metrics.forbidden_phrases_found(expect.not_contains, answer.answer)
        m.forbidden_violations = len(bad)
        checks.append(
            CheckResult(
                name="not_contains",
                passed=not bad,
                expected=f"The answer must not contain: {_quoted(expect.not_contains)}",
                actual=f"Found: {_quoted(bad)}" if bad else "None of them appear",
            )
        )
    shown = ", ".join(kinds) or "no notices"
    if expect.notices:
        problems = metrics.notice_problems(kinds, present=expect.notices)
        checks.append(
            CheckResult(
                name="notices",
                passed=not problems,
                expected=f"These notices must be shown: {', '.join(expect.notices)}",
                actual=f"Shown: {shown}",
            )
        )
    if expect.no_notices:
        problems = metrics.notice_problems(kinds, absent=expect.no_notices)
        checks.append(
            CheckResult(
                name="no_notices",
                passed=not problems,
                expected=f"These notices must not be shown: {', '.join(expect.no_notices)}",
                actual=f"Shown: {shown}",
            )
        )
    if expect.first_notice:
        problems = metrics.notice_problems(kinds, first=expect.first_notice)
        checks.append(
            CheckResult(
                name="first_notice",
                passed=not problems,
                expected=f"The first notice must be: {expect.first_notice}",
                actual=f"Notices in order: {shown}",
            )
        )
    if expect.notices or expect.no_notices or expect.first_notice:
        m.notices_correct = not metrics.notice_problems(
            kinds, expect.notices, expect.no_notices, expect.first_notice
        )
    if expect.refused is not None:
        m.refusal_correct = answer.refused == expect.refused
        checks.append(
            CheckResult(
                name="refused",
                passed=m.refusal_correct,
                expected=(
                    "The assistant must decline to answer (refuse)"
                    if expect.refused
                    else "The assistant must answer (not refuse)"
                ),
                actual="It refused" if answer.refused else "It answered",
            )
        )
    if expect.min_citations is not None:
        checks.append(
            CheckResult(
                name="min_citations",
                passed=len(citations) >= expect.min_citations,
                expected=f"At least {expect.min_citations} citation(s)",
                actual=f"{len(citations)} citation(s)",
            )
        )
    invalid = [c for c in citations if c.valid is False]
    m.citations_invalid = len(invalid)
    if citations:
        checks.append(
            CheckResult(
                name="citations_valid",
                passed=not invalid,
                expected="Every citation's quote must appear word for word in the passage it cites",
                actual=(
                    "All quotes found"
                    if not invalid
                    else f"{len(invalid)} of {len(citations)} not found: "
                    + "; ".join(f"[{c.n}] {c.problem}" for c in invalid)
                ),
            )
        )
    if expect.max_latency_ms is not None:
        checks.append(
            CheckResult(
                name="max_latency_ms",
                passed=latency_ms <= expect.max_latency_ms,
                expected=f"An answer within {expect.max_latency_ms:.0f} ms",
                actual=f"{latency_ms:.0f} ms",
            )
        )
    return checks, m


def _citation_records(answer: Answer, texts: PassageTexts) -> list[CitationRecord]:
    records = []
    for c in answer.citations:
        text, why = texts.text(c.doc_id, c.passage_id)
        valid: bool | None
        if text is None:
            valid = False if why else None
            problem = why
        else:
            valid = metrics.quote_in_passage(c.quote, text)
            problem = None if valid else "the quote is not in the cited passage"
        records.append(
            CitationRecord(
                n=c.n,
                doc_id=c.doc_id,
                passage_id=c.passage_id,
                title=c.title,
                section=c.section,
                quote=c.quote,
                valid=valid,
                problem=problem,
            )
        )
    return records


def evaluate_case(
    target: EvalTarget,
    suite: Suite,
    case: Case,
    texts: PassageTexts | None = None,
    judge: Judge | None = None,
) -> CaseResult:
    """Ask one case's question and check every expectation; never raises for a bad answer."""
    texts = texts or PassageTexts(target)
    expect = suite.case_expect(case)
    k = suite.case_k(case)
    partnership = suite.case_partnership(case)
    history = [Turn(role=t.role, content=t.content) for t in case.history]
    result = CaseResult(
        suite=suite.suite,
        case_id=case.id,
        question=case.question,
        history=[t.model_dump() for t in case.history],
        partnership=partnership,
        tags=suite.case_tags(case),
        description=case.description,
        source=f"{suite.path}:{case.line}" if case.line else suite.path,
        passed=False,
    )
    wants_retrieval = bool(expect.passages or expect.documents)
    checks: list[CheckResult] = []
    ranked: list[RetrievedRecord] = []
    try:
        if wants_retrieval and not history:
            hits = target.search(case.question, k=k, partnership=partnership)
            for hit in hits:
                texts.remember(hit.passage.id, hit.passage.text)
            ranked = [
                RetrievedRecord(
                    rank=i + 1,
                    doc_id=h.doc.id,
                    passage_id=h.passage.id,
                    section=h.passage.section,
                    text=h.passage.text,
                )
                for i, h in enumerate(hits)
            ]
        started = time.perf_counter()
        answer = target.ask(case.question, history=history or None, partnership=partnership)
        latency_ms = (time.perf_counter() - started) * 1000
    except Exception as exc:  # the report shows it; one broken case must not stop a run
        log.warning("case %s/%s raised %s", suite.suite, case.id, exc)
        result.error = f"{type(exc).__name__}: {exc}"
        result.checks = [
            CheckResult(
                name="error",
                passed=False,
                expected="The assistant answers without an error",
                actual=result.error,
            )
        ]
        result.metrics = CaseMetrics(
            hit=False if wants_retrieval else None, reciprocal_rank=0.0 if wants_retrieval else None
        )
        return result
    citations = _citation_records(answer, texts)
    source = "search"
    if wants_retrieval and history:
        source = "citations"
        ranked = []
        for c in sorted(citations, key=lambda c: c.n):
            text, _ = texts.text(c.doc_id, c.passage_id)
            ranked.append(
                RetrievedRecord(
                    rank=len(ranked) + 1,
                    doc_id=c.doc_id,
                    passage_id=c.passage_id,
                    section=c.section,
                    text=text or c.quote,
                )
            )
    answer_checks, case_metrics = _answer_checks(expect, answer, latency_ms, citations)
    if wants_retrieval:
        for r in ranked:
            r.matched = metrics.passage_relevant(
                r.text, r.doc_id, expect.passages, expect.documents
            )
        rank = metrics.first_relevant_rank([r.matched for r in ranked])
        case_metrics.hit = metrics.hit_at_k(rank, k)
        case_metrics.reciprocal_rank = metrics.reciprocal_rank(rank, k)
        case_metrics.k = k
        case_metrics.retrieval_source = source
        checks.extend(_retrieval_checks(expect, ranked, k, source))
    checks.extend(answer_checks)
    result.answer = answer.answer
    result.refused = answer.refused
    result.notices = [NoticeRecord(kind=n.kind, text=n.text) for n in answer.notices]
    result.citations = citations
    result.retrieved = ranked
    result.checks = checks
    result.metrics = case_metrics
    result.passed = all(c.passed for c in checks)
    if judge is not None and not answer.refused and answer.citations:
        result.judge = judge.grade(case.question, answer.answer, [c.quote for c in citations])
    return result


def new_run_id(now: datetime | None = None) -> str:
    """``20250102T030405Z-1a2b3c`` — sorts by time, unique across machines."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def select_cases(suites: Sequence[Suite], tags: Sequence[str]) -> list[tuple[Suite, Case]]:
    """Every (suite, case) pair, keeping only cases with one of ``tags`` when given."""
    wanted = set(tags)
    return [(s, c) for s in suites for c in s.cases if not wanted or wanted & set(s.case_tags(c))]


def summarise_run(
    suites: Sequence[Suite], results: Sequence[CaseResult], filtered: bool = False
) -> Summary:
    by_suite = [metrics.summarise_suite(s, results, filtered) for s in suites]
    return Summary(
        overall=metrics.summarise(results),
        by_suite=by_suite,
        by_tag=metrics.summarise_by_tag(results),
        thresholds_passed=all(s.thresholds_passed for s in by_suite),
    )


def run_suites(
    target: EvalTarget,
    suites: Sequence[Suite],
    *,
    settings_fingerprint: str = "",
    tags: Sequence[str] = (),
    workers: int = 2,
    judge: Judge | None = None,
    git_commit: str | None = None,
    composer: str | None = None,
    on_result: Callable[[CaseResult], None] | None = None,
) -> Run:
    """Run every selected case; results keep the suites' order whatever finishes first."""
    started = datetime.now(UTC)
    pairs = select_cases(suites, tags)
    texts = PassageTexts(target)
    results: list[CaseResult | None] = [None] * len(pairs)

    def work(index: int) -> None:
        suite, case = pairs[index]
        result = evaluate_case(target, suite, case, texts, judge)
        results[index] = result
        if on_result is not None:
            on_result(result)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in [pool.submit(work, i) for i in range(len(pairs))]:
            future.result()
    done = [r for r in results if r is not None]
    # A suite with no selected case (filtered out by --tag) is not part of this run.
    suites = [s for s in suites if any(suite is s for suite, _ in pairs)]
    return Run(
        run_id=new_run_id(started),
        started=started,
        finished=datetime.now(UTC),
        settings_fingerprint=settings_fingerprint,
        corpus_version=target.corpus_version(),
        git_commit=git_commit,
        composer=composer,
        judge_model=judge.model_name if judge is not None else None,
        tags_filter=list(tags),
        workers=workers,
        suites=[
            SuiteInfo(
                name=s.suite,
                description=s.description,
                path=s.path,
                cases=sum(1 for p in pairs if p[0] is s),
            )
            for s in suites
        ],
        results=done,
        summary=summarise_run(suites, done, filtered=bool(tags)),
    )
