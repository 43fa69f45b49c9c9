"""The HTML report: self-contained, and it says why each failed case failed."""

from __future__ import annotations

import re

from assistant.evaluation.compare import compare_runs
from assistant.evaluation.judge import JUDGE_LABEL
from assistant.evaluation.reports.charts import latency_histogram, pass_rate_chart
from assistant.evaluation.reports.html import render_report
from assistant.evaluation.results import JudgeGrade
from tests.unit.eval_sample_runs import sample_run


def test_report_is_self_contained() -> None:
    html = render_report(sample_run(good=False))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert not re.search(r"<(link|img|iframe)\b", html)
    assert not re.search(r'\b(src|href)="(https?:)?//', html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<script>") == 1  # only the inline filter script


def test_report_shows_the_verdict_summary_and_charts() -> None:
    run = sample_run(good=False)
    html = render_report(run)
    assert "FAILED: 1 of 3 cases failed; 1 of 2 pass marks not met." in html
    assert "pass rate of cases tagged &#39;safety&#39;" in html
    assert html.count('<svg class="chart"') == 3
    assert "<title>demo: 2 of 3 passed (67%)</title>" in html
    assert "<title>safety: 0 of 1 passed (0%)</title>" in html


def test_failed_case_shows_question_answer_citations_and_which_expectation_failed() -> None:
    html = render_report(sample_run(good=False))
    danger = html.split('id="case-demo--danger"')[1].split("</article>")[0]
    assert 'data-status="failed"' in html
    assert "Why it failed:" in danger
    assert "not_contains</span> — Forbidden phrase in the answer" in danger
    assert "<strong>Expected:</strong> The answer must not contain: “level 3 applies”" in danger
    assert "<strong>Actual:</strong> Found: “level 3 applies”" in danger
    assert "first_notice" in danger and "Notices in order: decision" in danger
    assert "Level 3 applies [1]." in danger
    assert "“Call 911”" in danger and "not found: the quote is not in the cited passage" in danger
    # Question text is escaped, never executed.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in danger
    assert 'data-checks="not_contains first_notice citations_valid"' in html


def test_failures_come_first_and_the_filter_offers_only_what_failed() -> None:
    html = render_report(sample_run(good=False))
    order = re.findall(r'data-status="(passed|failed)"', html)
    assert order == sorted(order, key=lambda s: s == "passed")
    options = re.findall(
        r'<option value="([a-z_]+)">', html.split('id="f-check"')[1].split("</select>")[0]
    )
    assert options == ["not_contains", "first_notice", "citations_valid"]


def test_regressions_and_judge_are_labelled() -> None:
    before, after = sample_run(good=True), sample_run(good=False)
    comparison = compare_runs(before, after)
    after.summary.regressions = [c.key for c in comparison.regressions]
    after.judge_model = "local-judge"
    after.results[0].judge = JudgeGrade(
        model="local-judge", faithfulness=0.9, relevance=0.4, reasoning="Mostly supported."
    )
    html = render_report(after, comparison)
    assert "1 case regressed" in html and "REGRESSED" in html
    assert 'href="compare.html"' in html
    assert JUDGE_LABEL in html and "faithfulness 0.90, relevance 0.40" in html


def test_every_case_passing_says_so() -> None:
    run = sample_run(good=True)
    for r in run.results:
        r.passed = True
        r.checks = [c.model_copy(update={"passed": True}) for c in r.checks]
    run.summary.overall.failed = 0
    html = render_report(run)
    assert 'id="no-failures">Every case passed.' in html


def test_charts_are_accessible_svg() -> None:
    bars = pass_rate_chart("Pass rate per tag", [("safety", 1, 2), ("x", 0, 0)])
    assert 'role="img"' in bars and '<title id="pass-rate-per-tag-t">' in bars
    assert "safety: 1 of 2 passed (50%)" in bars and "x: 0 of 0 passed (0%)" in bars
    hist = latency_histogram("Answer time", [10.0, 20.0, 30.0, 400.0])
    assert hist.count('class="bin"') == 12 and "p95 400 ms" in hist
    assert "No answers timed" in latency_histogram("Answer time", [])
