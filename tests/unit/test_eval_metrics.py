"""Metric functions: the matching rules the suite format promises, and the aggregates."""

from __future__ import annotations

import pytest

from assistant.evaluation import metrics
from assistant.evaluation.results import CaseMetrics, CaseResult, JudgeGrade
from assistant.evaluation.suite import parse_suite


def test_normalise_straightens_quotes_dashes_case_and_space() -> None:
    assert metrics.normalise("  The  “LADO’s”\u00a0role –\nnow ") == 'the "lado\'s" role - now'


@pytest.mark.parametrize(
    ("snippet", "passage", "expected"),
    [
        ("the lado is responsible for", "The LADO  is\nresponsible for allegations.", True),
        ("child’s needs", "the child's needs", True),
        ("working days", "working-days", False),
        ("", "anything", False),
        ("LADO is responsible for managing", "The LADO is responsible for", False),
    ],
)
def test_snippet_matches(snippet: str, passage: str, expected: bool) -> None:
    assert metrics.snippet_matches(snippet, passage) is expected


def test_ranks_hit_at_k_and_reciprocal_rank() -> None:
    rank = metrics.first_relevant_rank([False, False, True, True])
    assert rank == 3
    assert metrics.hit_at_k(rank, 3) and not metrics.hit_at_k(rank, 2)
    assert metrics.reciprocal_rank(rank, 5) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(rank, 2) == 0.0
    assert metrics.first_relevant_rank([False]) is None
    assert metrics.reciprocal_rank(None, 5) == 0.0


def test_passage_relevance_uses_snippets_before_documents() -> None:
    assert metrics.passage_relevant("The LADO is here", "doc-x", ["lado is here"], ["doc-y"])
    assert not metrics.passage_relevant("Other text", "doc-y", ["lado is here"], ["doc-y"])
    assert metrics.passage_relevant("Other text", "doc-y", [], ["doc-y"])


def test_fact_coverage_accepts_alternatives_and_ignores_markup() -> None:
    answer = "Refer within **three working days** [1]. Contact the Local Authority [2] Officer."
    facts: list[str | list[str]] = [
        "three working days",
        ["LADO", "Local Authority Officer"],
        "five days",
    ]
    coverage, missing = metrics.fact_coverage(facts, answer)
    assert coverage == pytest.approx(2 / 3)
    assert missing == ["five days"]
    assert metrics.fact_coverage([], answer) == (1.0, [])


def test_forbidden_phrases_are_case_insensitive() -> None:
    assert metrics.forbidden_phrases_found(["level 3 applies", "no need"], "LEVEL 3  applies.") == [
        "level 3 applies"
    ]


def test_quote_must_be_verbatim_apart_from_whitespace() -> None:
    passage = "Practitioners should\nconsult the IRH."
    assert metrics.quote_in_passage("should consult the IRH", passage)
    assert not metrics.quote_in_passage("Should consult the IRH", passage)
    assert not metrics.quote_in_passage("  ", passage)


def test_notice_problems() -> None:
    assert (
        metrics.notice_problems(["emergency", "decision"], ["emergency"], ["scope"], "emergency")
        == []
    )
    problems = metrics.notice_problems(["decision"], ["emergency"], ["decision"], "emergency")
    assert problems == [
        "the 'emergency' notice was not shown",
        "the 'decision' notice was shown but must not be",
        "the first notice must be 'emergency', but it was 'decision'",
    ]
    assert "it was no notice" in metrics.notice_problems([], first="emergency")[0]


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert metrics.percentile(values, 50) == 50
    assert metrics.percentile(values, 95) == 95
    assert metrics.percentile([7.0], 95) == 7.0
    assert metrics.percentile([], 50) is None


def _result(case_id: str, passed: bool, tags: list[str], **m: object) -> CaseResult:
    return CaseResult(
        suite="s",
        case_id=case_id,
        question="q",
        tags=tags,
        passed=passed,
        metrics=CaseMetrics.model_validate(m),
    )


def test_summarise_aggregates_only_cases_that_measure_each_metric() -> None:
    results = [
        _result(
            "a",
            True,
            ["safety"],
            hit=True,
            reciprocal_rank=0.5,
            fact_coverage=1.0,
            citations_total=2,
            latency_ms=100,
            refusal_correct=True,
        ),
        _result(
            "b",
            False,
            ["safety", "x"],
            hit=False,
            reciprocal_rank=0.0,
            fact_coverage=0.5,
            citations_total=2,
            citations_invalid=1,
            latency_ms=300,
            forbidden_violations=2,
        ),
        _result("c", True, ["x"], latency_ms=200, notices_correct=True),
    ]
    results[2].judge = JudgeGrade(model="m", faithfulness=0.8, relevance=0.6)
    s = metrics.summarise(results)
    assert (s.cases, s.passed, s.failed) == (3, 2, 1)
    assert s.pass_rate == pytest.approx(2 / 3)
    assert s.retrieval_cases == 2 and s.hit_rate == 0.5 and s.mrr == 0.25
    assert s.fact_coverage == 0.75 and s.fact_cases == 2
    assert s.citation_validity == 0.75
    assert s.refusal_accuracy == 1.0 and s.refusal_cases == 1
    assert s.notice_accuracy == 1.0
    assert s.forbidden_violations == 2
    assert s.latency_p50_ms == 200 and s.latency_max_ms == 300
    assert s.judge_faithfulness == 0.8
    by_tag = metrics.summarise_by_tag(results)
    assert by_tag["safety"].pass_rate == 0.5 and by_tag["x"].cases == 2


def test_thresholds_fail_when_missed_or_unmeasurable() -> None:
    suite = parse_suite(
        "suite: s\nthresholds:\n  pass_rate: 0.6\n  mrr: 0.5\n  tags: {safety: 1.0, saftey: 1.0}\n"
        "cases:\n  - {id: a, question: q}\n"
    )
    results = [
        _result("a", True, ["safety"], hit=True, reciprocal_rank=0.25),
        _result("b", False, ["safety"]),
    ]
    summary = metrics.summarise_suite(suite, results)
    verdicts = {t.name: (t.passed, t.actual) for t in summary.thresholds}
    assert verdicts["pass_rate"] == (False, 0.5)
    assert verdicts["mrr"] == (False, 0.25)
    assert verdicts["tag:safety"] == (False, 0.5)
    assert verdicts["tag:saftey"] == (False, None)  # a misspelt tag cannot switch a gate off
    filtered = metrics.summarise_suite(suite, results, filtered=True)
    skipped = [t for t in filtered.thresholds if t.skipped]
    assert [t.name for t in skipped] == ["tag:saftey"] and skipped[0].passed
