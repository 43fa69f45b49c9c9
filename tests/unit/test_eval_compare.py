"""Comparing runs: regressions and improvements are found case by case."""

from __future__ import annotations

from assistant.evaluation.compare import compare_runs
from assistant.evaluation.reports.compare_html import render_comparison
from tests.unit.eval_sample_runs import sample_run


def test_regressions_improvements_and_metric_directions() -> None:
    before, after = sample_run(good=False), sample_run(good=True)
    comparison = compare_runs(before, after)
    assert [c.key for c in comparison.regressions] == ["demo/meets"]
    assert comparison.regressions[0].newly_failed_checks == ["facts"]
    assert [c.key for c in comparison.improvements] == ["demo/danger"]
    assert set(comparison.improvements[0].fixed_checks) == {
        "citations_valid",
        "first_notice",
        "not_contains",
    }
    assert comparison.settings_changed and comparison.corpus_changed
    overall = {m.metric: m for m in comparison.metrics if m.scope == "overall"}
    assert overall["pass_rate"].direction == "same"  # 2 of 3 both times
    assert overall["forbidden_violations"].direction == "better"  # fewer is better
    assert overall["citation_validity"].direction == "better"


def test_new_and_removed_cases_are_not_regressions() -> None:
    before, after = sample_run(good=True), sample_run(good=True)
    after.results = [r for r in after.results if r.case_id != "lado"]
    before.results = [r for r in before.results if r.case_id != "danger"]
    comparison = compare_runs(before, after)
    assert not comparison.regressions
    assert [c.key for c in comparison.new_cases] == ["demo/danger"]
    assert [c.key for c in comparison.removed_cases] == ["demo/lado"]


def test_comparison_report_leads_with_regressions() -> None:
    html = render_comparison(compare_runs(sample_run(good=False), sample_run(good=True)))
    assert "1 case(s) regressed: they passed before and fail now." in html
    regressions = html.split('id="regressions"')[1].split('id="improvements"')[0]
    assert "demo/meets" in regressions and "It meets every month." in regressions
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "<link" not in html and "http://" not in html.replace("http://www.w3.org", "")
