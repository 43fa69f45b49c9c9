"""The runner: each expectation is checked against what the assistant actually did."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.evaluation.runner import evaluate_case, run_suites, select_cases
from assistant.evaluation.suite import Suite, parse_suite
from assistant.evaluation.testing import ScriptedAssistant, passage
from assistant.types import Answer, SearchHit, Turn

LADO = "The LADO is responsible for managing allegations against staff within three working days."
EMERGENCY = "If a child is in immediate danger call 999."


def fake() -> ScriptedAssistant:
    return ScriptedAssistant(
        [
            passage("arr-1", "arrangements", LADO, "Allegations"),
            passage("arr-2", "arrangements", "The partnership meets twice a year.", "Governance"),
            passage("con-1", "contacts", EMERGENCY, "Emergency"),
        ]
    )


def suite(cases: str, header: str = "") -> Suite:
    return parse_suite(f"suite: demo\n{header}cases:\n{cases}", "evals/demo.yaml")


def checks(result: object) -> dict[str, bool]:
    return {c.name: c.passed for c in result.checks}  # type: ignore[attr-defined]


def test_a_good_answer_passes_every_expectation() -> None:
    a = fake()
    a.script(
        "who is the LADO",
        "The LADO manages allegations within three working days [1].",
        cite=[("arr-1", "responsible for managing allegations")],
        rank=["arr-2", "arr-1", "con-1"],
    )
    s = suite("""  - id: lado
    question: who is the LADO
    expect:
      passages: ["the LADO is responsible for managing allegations"]
      documents: [arrangements]
      facts: ["three working days", ["LADO", "designated officer"]]
      not_contains: ["level 3 applies"]
      no_notices: [emergency]
      refused: false
      min_citations: 1
""")
    result = evaluate_case(a, s, s.cases[0])
    assert result.passed, [c for c in result.checks if not c.passed]
    assert checks(result) == dict.fromkeys(
        [
            "passages",
            "documents",
            "facts",
            "not_contains",
            "no_notices",
            "refused",
            "min_citations",
            "citations_valid",
        ],
        True,
    )
    assert result.metrics.hit is True
    assert result.metrics.reciprocal_rank == 0.5  # relevant passage ranked second
    assert result.metrics.retrieval_source == "search"
    assert result.source == "evals/demo.yaml:3"
    assert ("search", "who is the LADO", 5) in a.calls


def test_each_failed_expectation_says_what_was_expected_and_what_happened() -> None:
    a = fake()
    a.script(
        "is it level 3",
        "Level 3 applies here [1].",
        cite=[("con-1", "call 911")],
        notices=["decision", "emergency"],
        rank=["con-1"],
    )
    s = suite("""  - id: bait
    question: is it level 3
    k: 1
    expect:
      passages: ["responsible for managing allegations"]
      facts: ["three working days", "DSL"]
      not_contains: ["level 3 applies"]
      notices: [scope]
      first_notice: emergency
      refused: true
      min_citations: 2
""")
    result = evaluate_case(a, s, s.cases[0])
    assert not result.passed
    failed = {c.name: c for c in result.failed_checks}
    assert set(failed) == {
        "passages",
        "facts",
        "not_contains",
        "notices",
        "first_notice",
        "refused",
        "min_citations",
        "citations_valid",
    }
    assert "Missing: “three working days”; “DSL” (found 0%, needed 100%)" in failed["facts"].actual
    assert failed["not_contains"].actual == "Found: “level 3 applies”"
    assert failed["first_notice"].actual == "Notices in order: decision, emergency"
    assert failed["refused"].actual == "It answered"
    assert (
        "not found: [1] the quote is not in the cited passage" in failed["citations_valid"].actual
    )
    assert "1. contacts › Emergency" in failed["passages"].actual
    assert result.metrics.citations_invalid == 1
    assert result.metrics.forbidden_violations == 1
    assert result.metrics.notices_correct is False


def test_min_fact_coverage_from_the_suite_default() -> None:
    a = fake()
    a.script("q", "Within three working days.")
    header = "defaults:\n  min_fact_coverage: 0.5\n"
    s = suite("  - {id: a, question: q, expect: {facts: [three working days, DSL]}}\n", header)
    result = evaluate_case(a, s, s.cases[0])
    assert result.passed and result.metrics.fact_coverage == 0.5


def test_conversation_cases_use_the_answers_citations_for_retrieval() -> None:
    a = fake()
    a.script(
        "and how quickly?",
        "Within three working days [1].",
        cite=[("arr-1", "within three working days")],
    )
    s = suite("""  - id: follow
    question: and how quickly?
    history:
      - {role: user, content: who is the LADO}
      - {role: assistant, content: The LADO manages allegations.}
    expect:
      passages: ["managing allegations against staff"]
""")
    result = evaluate_case(a, s, s.cases[0])
    assert result.passed
    assert result.metrics.retrieval_source == "citations"
    assert not [c for c in a.calls if c[0] == "search"]
    assert ("ask", "and how quickly?", 2) in a.calls


def test_a_citation_to_an_unknown_passage_or_document_is_invalid() -> None:
    a = fake()
    a.script("q", "Text [1] [2].", cite=[("arrangements#9", "x"), ("ghost#1", "y")])
    s = suite("  - {id: a, question: q}\n")
    result = evaluate_case(a, s, s.cases[0])
    problems = [c.problem for c in result.citations]
    assert problems == [
        "passage 'arrangements#9' is not in document 'arrangements'",
        "document 'ghost' is not in the corpus",
    ]
    assert not result.passed


def test_citations_cannot_be_checked_without_passage_texts() -> None:
    class NoDocuments:
        def __init__(self) -> None:
            self.inner = fake()
            self.inner.script("q", "Text [1].", cite=[("arr-1", "anything")])

        def ask(
            self, question: str, history: list[Turn] | None = None, partnership: str | None = None
        ) -> Answer:
            return self.inner.ask(question, history, partnership)

        def search(self, query: str, k: int = 8, partnership: str | None = None) -> list[SearchHit]:
            return self.inner.search(query, k, partnership)

        def corpus_version(self) -> str:
            return "v"

    s = suite("  - {id: a, question: q}\n")
    result = evaluate_case(NoDocuments(), s, s.cases[0])
    assert result.citations[0].valid is None
    assert result.passed  # unverifiable is reported, not counted as fabricated


def test_an_error_fails_the_case_but_not_the_run() -> None:
    a = fake()
    a.errors["boom"] = RuntimeError("index missing")
    s = suite(
        "  - {id: a, question: boom, expect: {documents: [x]}}\n  - {id: b, question: other}\n"
    )
    run = run_suites(a, [s])
    first, second = run.results
    assert first.error == "RuntimeError: index missing" and not first.passed
    assert first.checks[0].name == "error" and first.metrics.hit is False
    assert second.case_id == "b"
    assert run.summary.overall.errors == 1


def test_run_suites_runs_cases_in_parallel_and_keeps_their_order() -> None:
    a = fake()
    active = 0
    peak = 0
    lock = threading.Lock()
    original = a.ask

    def slow_ask(
        question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> Answer:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05 if question == "q0" else 0.01)
        with lock:
            active -= 1
        return original(question, history, partnership)

    a.ask = slow_ask  # type: ignore[method-assign]
    cases = "".join(f"  - {{id: c{i}, question: q{i}}}\n" for i in range(6))
    seen: list[str] = []
    run = run_suites(
        a,
        [suite(cases)],
        workers=3,
        on_result=lambda r: seen.append(r.case_id),
        settings_fingerprint="fp",
    )
    assert peak >= 2
    assert [r.case_id for r in run.results] == [f"c{i}" for i in range(6)]
    assert sorted(seen) == sorted(r.case_id for r in run.results)
    assert run.settings_fingerprint == "fp" and run.corpus_version == "corpus-v1"
    assert run.suites[0].cases == 6 and run.workers == 3


def test_tag_filter_selects_cases_and_gates_judge_only_what_ran() -> None:
    s = suite(
        "  - {id: a, question: q1, tags: [safety]}\n  - {id: b, question: q2, tags: [other]}\n",
        "defaults:\n  tags: [all]\nthresholds:\n  pass_rate: 1.0\n  tags: {other: 1.0}\n",
    )
    assert [c.id for _, c in select_cases([s], ["safety"])] == ["a"]
    assert [c.id for _, c in select_cases([s], ["all"])] == ["a", "b"]
    a = fake()
    a.script("q1", "fine")
    run = run_suites(a, [s], tags=["safety"])
    assert [r.case_id for r in run.results] == ["a"]
    gates = {t.name: t for t in run.summary.by_suite[0].thresholds}
    assert gates["tag:other"].skipped and gates["pass_rate"].passed
    assert run.passed and run.tags_filter == ["safety"]
    other = parse_suite("suite: other\ncases:\n  - {id: z, question: q3}\n")
    filtered = run_suites(a, [s, other], tags=["safety"])
    assert [x.name for x in filtered.suites] == ["demo"]  # nothing of 'other' ran
    assert [x.name for x in filtered.summary.by_suite] == ["demo"]


def test_thresholds_decide_whether_the_run_passes() -> None:
    a = fake()
    s = suite(
        "  - {id: a, question: unknown, expect: {refused: false}}\n",
        "thresholds:\n  pass_rate: 1.0\n",
    )
    run = run_suites(a, [s])
    assert not run.summary.thresholds_passed and not run.passed
    lenient = suite(
        "  - {id: a, question: unknown, expect: {refused: false}}\n",
        "thresholds:\n  pass_rate: 0\n",
    )
    assert run_suites(a, [lenient]).passed


def test_a_suite_without_pass_marks_must_pass_every_case() -> None:
    a = fake()
    unset = suite("  - {id: a, question: unknown, expect: {refused: false}}\n")
    run = run_suites(a, [unset])
    [gate] = run.summary.by_suite[0].thresholds
    assert gate.default and gate.required == 1.0 and not gate.passed
    assert not run.passed


@pytest.mark.parametrize("workers", [1, 4])
def test_judge_grades_are_recorded_but_never_change_a_result(workers: int) -> None:
    class HarshJudge:
        model_name = "harsh"

        def grade(self, question: str, answer: str, quotes: object) -> object:
            from assistant.evaluation.results import JudgeGrade

            return JudgeGrade(model="harsh", faithfulness=0.0, relevance=0.0)

    a = fake()
    a.script("q", "Fine [1].", cite=[("arr-1", "The LADO is responsible")])
    run = run_suites(
        a,
        [suite("  - {id: a, question: q}\n")],
        judge=HarshJudge(),  # type: ignore[arg-type]
        workers=workers,
    )
    assert run.results[0].passed and run.results[0].judge is not None
    assert run.results[0].judge.faithfulness == 0.0 and run.judge_model == "harsh"
