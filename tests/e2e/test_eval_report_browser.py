"""The HTML report opened from disk in headless Chromium, with the network blocked.

It must render its summary, charts and failures, and its filters must work, without a
single request leaving the page (the report is emailed and archived; offline is a rule).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.compare import compare_runs
from assistant.evaluation.runs import write_run
from tests.unit.eval_sample_runs import sample_run

pytestmark = pytest.mark.e2e


@pytest.fixture
def run_folder(tmp_path: Path) -> Path:
    before, after = sample_run(good=True), sample_run(good=False)
    comparison = compare_runs(before, after)
    after.summary.regressions = [c.key for c in comparison.regressions]
    return write_run(after, tmp_path, comparison=comparison)


def open_offline(browser, path: Path):  # type: ignore[no-untyped-def]
    """A page on ``path`` where every non-file request is recorded and aborted."""
    page = browser.new_page()
    attempted: list[str] = []
    errors: list[str] = []

    def block(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    page.route("**/*", block)
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(("file:", "data:", "about:")) else attempted.append(r.url)
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, attempted, errors


def test_report_renders_offline_with_charts_and_failures(browser, run_folder: Path) -> None:  # type: ignore[no-untyped-def]
    page, attempted, errors = open_offline(browser, run_folder / "report.html")
    verdict = page.locator("#verdict").inner_text()
    assert verdict.startswith("FAILED: 1 of 3 cases failed") and "1 case regressed" in verdict
    # Three inline SVG charts, drawn with visible bars.
    assert page.locator("svg.chart").count() == 3
    assert page.locator("#chart-suites svg g.bar").count() == 1
    assert page.locator("#chart-latency rect.bin").count() > 0
    box = page.locator("#chart-suites svg").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 10
    # The failures list: the failed case is visible with why it failed.
    danger = page.locator("#case-demo--danger")
    assert danger.is_visible()
    assert "REGRESSED" in danger.inner_text()
    why = danger.locator(".check.failed").all_inner_texts()
    assert any("Forbidden phrase in the answer" in t and "level 3 applies" in t for t in why)
    assert page.locator("#f-count").inner_text() == "Showing 1 of 3 cases"
    assert not page.locator("#case-demo--lado").is_visible()  # passed cases hidden by default
    assert attempted == [] and errors == []
    page.close()


def test_filters_narrow_the_list(browser, run_folder: Path) -> None:  # type: ignore[no-untyped-def]
    page, attempted, errors = open_offline(browser, run_folder / "report.html")
    page.check("#f-passed")
    assert page.locator("#f-count").inner_text() == "Showing 3 of 3 cases"
    page.select_option("#f-tag", "shorthand")
    assert page.locator("#f-count").inner_text() == "Showing 1 of 3 cases"
    assert page.locator("#case-demo--lado").is_visible()
    page.select_option("#f-tag", "")
    page.select_option("#f-check", "first_notice")
    assert page.locator("#case-demo--danger").is_visible()
    assert not page.locator("#case-demo--lado").is_visible()
    page.select_option("#f-check", "")
    page.fill("#f-text", "board meet")
    assert page.locator("#f-count").inner_text() == "Showing 1 of 3 cases"
    assert page.locator("#case-demo--meets").is_visible()
    assert attempted == [] and errors == []
    page.close()


def test_comparison_report_renders_offline(browser, run_folder: Path) -> None:  # type: ignore[no-untyped-def]
    page, attempted, errors = open_offline(browser, run_folder / "compare.html")
    assert "regressed" in page.locator("#verdict").inner_text()
    assert page.locator("h2#regressions + article h3").inner_text() == "demo/danger"
    assert attempted == [] and errors == []
    page.close()
