"""Issue #14 items 8 and 9 in a real browser, at desktop and phone widths:

* the sources library filters and sorts through its GET form, with and without JavaScript,
  and labels each date by what it is ("Checked on" for the contacts register);
* a library question's answer links to the library with the matching filter;
* the Evaluations page lists runs with their verdicts in words, opens a report and compares
  two runs (per-case changes and metric deltas), with and without JavaScript.

Every page changed here is scanned with axe-core (WCAG 2.2 A/AA) and photographed.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from assistant.evaluation.runner import new_run_id
from assistant.evaluation.runs import write_run
from tests.e2e.conftest import DESKTOP, PHONE, Server, Session, screenshot
from tests.e2e.flows import ANSWERS, same_origin_only
from tests.e2e.test_accessibility import run_axe
from tests.unit.eval_sample_runs import sample_run

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
MODES = [("desktop", True), ("phone", True), ("desktop", False), ("phone", False)]
MODE_IDS = [f"{w}-{'js' if js else 'nojs'}" for w, js in MODES]


def _no_axe_violations(page: Any) -> None:
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, indent=1)


def _submit(page: Any, button: str) -> None:
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")


def _ask(page: Any, question: str, javascript: bool) -> Any:
    """Ask through the page; with JavaScript, poll from Python (the CSP forbids eval)."""
    before = page.locator(ANSWERS).count()
    page.fill("#question", question)
    if not javascript:
        with page.expect_navigation():
            page.click("#ask-form button[type=submit]")
        return page.locator(ANSWERS).last
    page.click("#ask-form button[type=submit]")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = page.locator(ANSWERS).count() > before
        if done and page.locator("#conversation .app-pending").count() == 0:
            return page.locator(ANSWERS).nth(before)
        page.wait_for_timeout(200)
    raise AssertionError("no answer within 120 s")


# --- the sources library ---------------------------------------------------------------------


@pytest.mark.parametrize(("width", "javascript"), MODES, ids=MODE_IDS)
def test_library_filters_and_sorts_with_its_form(
    make_session: Any, width: str, javascript: bool
) -> None:
    s: Session = make_session(viewport=WIDTHS[width], javascript=javascript)
    page = s.page
    page.goto("/sources")
    everything = page.locator("table.app-source-table tbody tr").count()
    page.select_option("#library-kind", "briefing")
    page.select_option("#library-sort", "newest")
    _submit(page, "Show documents")
    assert "kind=briefing" in page.url and "sort=newest" in page.url
    rows = page.locator("table.app-source-table tbody tr")
    assert 0 < rows.count() < everything
    for i in range(rows.count()):
        assert "Briefing" in rows.nth(i).locator("[data-label='Type']").inner_text()
    dates = rows.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)
    assert f"of {everything} match the filter" in page.locator("#library-count").inner_text()
    assert page.locator("#library-kind").input_value() == "briefing"  # the form keeps the choice
    screenshot(page, f"sources-filtered-{width}-{'js' if javascript else 'nojs'}")
    if javascript:
        _no_axe_violations(page)
    # Back to everything, then a status filter: historical documents only.
    page.click("a:has-text('Show all')")
    page.wait_for_load_state()
    assert page.locator("table.app-source-table tbody tr").count() == everything
    page.select_option("#library-status", "historical")
    _submit(page, "Show documents")
    statuses = page.locator("table.app-source-table tbody [data-label='Status']").all_inner_texts()
    assert statuses and all("Historical" in t for t in statuses)
    assert same_origin_only(s.requests, s.server.base_url) == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_library_dates_say_what_they_are(make_session: Any, width: str) -> None:
    s: Session = make_session(viewport=WIDTHS[width])
    page = s.page
    page.goto("/sources?kind=contacts")
    row = page.locator("tr", has=page.locator("a:has-text('Lambeth safeguarding contacts')"))
    date_cell = row.locator("[data-label='Date']").inner_text()
    assert "Checked on 23 November 2026" in date_cell and "Published" not in date_cell
    page.goto("/sources/lambeth-contacts-and-routes")
    meta = page.locator(".app-doc-meta").inner_text()
    assert "Checked on" in meta and "Published" not in meta
    screenshot(page, f"document-checked-date-{width}")
    _no_axe_violations(page)
    page.goto("/sources?kind=annual-report")
    assert "Period ended 31 March 2024" in page.locator("main").inner_text()


@pytest.mark.parametrize(("width", "javascript"), MODES, ids=MODE_IDS)
def test_library_question_links_to_the_filtered_library(
    make_session: Any, width: str, javascript: bool
) -> None:
    s: Session = make_session(viewport=WIDTHS[width], javascript=javascript)
    page = s.page
    page.goto("/")
    answer = _ask(page, "Which briefings are there?", javascript)
    link = answer.locator("a[data-library-link]")
    assert link.get_attribute("href") == "/sources?kind=briefing"
    assert "briefings in the sources library" in link.inner_text()
    screenshot(page, f"chat-library-link-{width}-{'js' if javascript else 'nojs'}")
    if javascript:
        _no_axe_violations(page)
    with page.expect_navigation():
        link.click()
    types = page.locator("table.app-source-table tbody [data-label='Type']").all_inner_texts()
    assert types and all("Briefing" in t for t in types)
    assert page.locator("#library-kind").input_value() == "briefing"


# --- evaluations -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eval_runs(server: Server) -> dict[str, str]:
    """A good run and a newer failing one, in the served data folder's eval-runs."""
    runs_dir = server.data_dir / "eval-runs"
    made = {}
    for name, good, day in (("good", True, 1), ("bad", False, 2)):
        run = sample_run(good=good)
        run.started = datetime(2031, 1, day, 9, 0, tzinfo=UTC)
        run.run_id = new_run_id(run.started)
        made[name] = write_run(run, runs_dir).name
    return made


@pytest.mark.parametrize(("width", "javascript"), MODES, ids=MODE_IDS)
def test_evaluations_list_open_a_report_and_compare_two_runs(
    make_session: Any, eval_runs: dict[str, str], width: str, javascript: bool
) -> None:
    s: Session = make_session(viewport=WIDTHS[width], javascript=javascript)
    page = s.page
    page.goto("/")
    assert page.locator("nav.app-nav a[href='/evaluations']").count() == 1  # on by default
    page.goto("/evaluations")
    report = f"a[href='/evaluations/{eval_runs['bad']}/report.html']"
    bad_row = page.locator("tr", has=page.locator(report))
    gate = " ".join(bad_row.first.locator("[data-label='Gate']").inner_text().split())
    assert gate == "Failed 1 of 3 cases failed; 1 of 2 pass marks not met."
    screenshot(page, f"evaluations-{width}-{'js' if javascript else 'nojs'}")
    if javascript:
        _no_axe_violations(page)
    # Compare: the form preselects the newest run against the one before; pick ours.
    page.select_option("#compare-before", eval_runs["good"])
    page.select_option("#compare-after", eval_runs["bad"])
    _submit(page, "Compare runs")
    assert f"before={eval_runs['good']}" in page.url
    danger = page.locator("#case-changes tr[data-case='demo/danger']")
    assert "Passed before, fails now" in danger.inner_text()
    assert danger.locator("[data-label='Earlier']").inner_text().strip() == "Passed"
    assert danger.locator("[data-label='Later']").inner_text().strip() == "Failed"
    meets = page.locator("#case-changes tr[data-case='demo/meets']")
    assert "Failed before, passes now" in meets.inner_text()
    deltas = " ".join(page.locator("#metric-deltas").inner_text().split())
    assert "Citation validity" in deltas and "(worse)" in deltas
    screenshot(page, f"evaluation-compare-{width}-{'js' if javascript else 'nojs'}")
    if javascript:
        _no_axe_violations(page)
    # The later run's report opens from the compare view.
    with page.expect_navigation():
        page.click("a:has-text('Open the report') >> nth=1")
    assert page.locator("#verdict").inner_text().startswith("FAILED: 1 of 3 cases failed")
    assert same_origin_only(s.requests, s.server.base_url) == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_compare_two_same_runs_shows_an_error_summary(
    make_session: Any, eval_runs: dict[str, str], width: str
) -> None:
    s: Session = make_session(viewport=WIDTHS[width])
    page = s.page
    page.goto("/evaluations/compare")
    page.select_option("#compare-before", eval_runs["bad"])
    page.select_option("#compare-after", eval_runs["bad"])
    _submit(page, "Compare runs")
    summary = page.locator(".govuk-error-summary")
    assert "Choose two different runs to compare" in summary.inner_text()
    assert page.locator("#compare-after-error").is_visible()
    screenshot(page, f"evaluation-compare-error-{width}")
    _no_axe_violations(page)
