"""The chat page end to end: cited answers, citations, follow-ups, notices, feedback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.conftest import Session, screenshot
from tests.e2e.flows import ask, same_origin_only

REFERRAL = "How do I make a referral to the Integrated Referral Hub?"


def test_first_use_notice_must_be_acknowledged(make_session) -> None:
    s: Session = make_session(viewport={"width": 1280, "height": 900}, acknowledged=False)
    page = s.page
    page.goto("/")
    body = page.locator("main").inner_text()
    assert "AI tool" in page.locator("body").inner_text()
    for limit in ("can be wrong", "does not decide thresholds", "identifying details", "999"):
        assert limit in body.replace("It does not", "does not")
    assert page.locator("#question").count() == 0  # cannot ask before acknowledging
    page.click("text=I understand – continue")
    page.wait_for_selector("#question")
    assert page.url.rstrip("/").endswith(s.server.base_url.split("//")[1]) or page.url.endswith("/")


def test_ask_shows_a_cited_answer_streamed_with_label(session: Session) -> None:
    page = session.page
    page.goto("/")
    answer = ask(page, REFERRAL)
    assert answer.locator(".app-answer__label").inner_text().startswith("AI-assisted answer")
    markers = answer.locator(".app-answer__body a.app-cite")
    assert markers.count() >= 1
    sources = answer.locator(".app-sources li")
    assert sources.count() >= 1
    meta = sources.first.inner_text()
    assert any(status in meta for status in ("Current", "Historical", "Superseded", "Summary"))
    assert answer.locator(".app-reminder").inner_text().strip()
    # The answer is announced once, complete, through the status region.
    status = page.locator("#answer-status").inner_text()
    assert status.startswith("Answer ready.")
    assert same_origin_only(session.requests, session.server.base_url) == []
    assert session.console_errors == []


def test_citation_opens_highlighted_passage_in_panel(session: Session) -> None:
    page = session.page
    page.goto("/")
    answer = ask(page, REFERRAL)
    url_before = page.url
    answer.locator(".app-answer__body a.app-cite").first.click()
    panel = page.locator("#citation-panel")
    panel.locator(".app-cited__passage mark").first.wait_for()
    assert page.url == url_before  # still in the conversation
    text = panel.inner_text()
    assert "Publisher" in text and "Published" in text and "Status" in text
    assert panel.locator("#panel-title").evaluate("el => el === document.activeElement")
    screenshot(page, "chat-citation-panel-desktop")
    # The full-document link opens the document at the passage, highlighted.
    panel.locator("text=Open the whole document at this passage").click()
    page.wait_for_selector(".app-passage:target")
    target = page.locator(".app-passage:target")
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.url.split("#")[1].startswith("p-")


def test_follow_up_stays_in_the_same_conversation(session: Session) -> None:
    page = session.page
    page.goto("/")
    ask(page, REFERRAL)
    assert page.locator("label[for=question]").inner_text() == "Ask a follow-up question"
    second = ask(page, "And what should I send after phoning?")
    assert page.locator("#conversation article.app-exchange").count() == 2
    assert second.locator(".app-answer__body").inner_text().strip()
    fields = page.locator("#conversation-state input[name=conversation]")
    assert fields.count() == 2  # the signed conversation now holds both answers
    assert all(fields.nth(i).input_value() for i in range(2))
    page.click("text=New conversation")
    page.wait_for_selector("#question")
    assert page.locator("#conversation article.app-exchange").count() == 0


def test_emergency_notice_comes_first_and_is_announced(session: Session) -> None:
    page = session.page
    page.goto("/")
    answer = ask(page, "A man is hitting a child outside the school gates right now")
    notices = answer.locator(".app-notice")
    assert notices.first.get_attribute("data-notice-kind") == "emergency"
    assert "999" in notices.first.inner_text()
    # Rendered before the answer body in the DOM.
    order = answer.evaluate(
        "el => el.querySelector('[data-notice-kind=emergency]')"
        ".compareDocumentPosition(el.querySelector('.app-answer')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert order
    screenshot(page, "chat-emergency-desktop")


def test_emergency_notice_arrives_as_an_alert_while_streaming(session: Session) -> None:
    page = session.page
    page.goto("/")
    page.evaluate(
        """() => { window.__alerts = [];
        new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
          if (n.nodeType === 1 && n.getAttribute('role') === 'alert') window.__alerts.push(n.dataset.noticeKind);
        }))).observe(document.getElementById('conversation'), {subtree: true, childList: true}); }"""
    )
    ask(page, "A child is in immediate danger right now")
    assert page.evaluate("window.__alerts")[0] == "emergency"


def test_personal_data_notice_and_not_echoed(session: Session) -> None:
    page = session.page
    page.goto("/")
    answer = ask(page, "My pupil is called Jayden Smith, DOB 03/04/2015. How do I make a referral?")
    shown = answer.locator("[data-notice-kind]").all()  # the danger card and About items
    kinds = [n.get_attribute("data-notice-kind") for n in shown]
    assert "personal_data" in kinds
    html = page.content()
    assert "Jayden" not in html and "03/04/2015" not in html
    assert page.locator("#question").input_value() == ""


def test_feedback_is_stored_with_answer_and_passages_redacted(session: Session) -> None:
    page = session.page
    page.goto("/")
    answer = ask(page, REFERRAL)
    answer_id = answer.get_attribute("data-answer-id")
    passage = answer.locator("input[name=passage_ids]").first.get_attribute("value")
    answer.locator(".app-feedback button:has-text('No')").click()  # step one stores "No"
    answer.locator("textarea[name=comment]").first.fill(
        "Wrong number for Jayden Smith, DOB 03/04/2015"
    )
    answer.locator("button:has-text('Send comment')").click()
    answer.locator(".app-feedback__thanks:not(:has(+ form))").wait_for()
    rows = _rows_mentioning(session.server.data_dir, answer_id)
    assert rows, "feedback row not found in any SQLite database in the data directory"
    flat = " ".join(str(v) for row in rows for v in row)
    assert "03/04/2015" not in flat
    assert passage in flat


def _rows_mentioning(data_dir: Path, needle: str) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    for path in (
        list(data_dir.rglob("*.sqlite3"))
        + list(data_dir.rglob("*.db"))
        + list(data_dir.rglob("*.sqlite"))
    ):
        with sqlite3.connect(path) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                for row in db.execute(f'SELECT * FROM "{table}"'):
                    if any(needle in str(v) for v in row):
                        found.append(row)
    return found


def test_problem_report_is_stored(session: Session) -> None:
    page = session.page
    page.goto("/")
    answer = ask(page, REFERRAL)
    answer_id = answer.get_attribute("data-answer-id")
    answer.locator(".app-feedback button:has-text('No')").click()  # the report opens after
    answer.locator("summary:has-text('Report a problem')").click()
    answer.locator(".app-problem textarea").fill("The phone number in this passage is out of date.")
    answer.locator("button:has-text('Send report to content owners')").click()
    page.locator("text=sent to the content owners").wait_for()
    rows = _rows_mentioning(session.server.data_dir, answer_id)
    assert any("problem" in [str(v) for v in row] for row in rows)


def test_partnership_selector_defaults_to_lambeth(session: Session) -> None:
    page = session.page
    page.goto("/")
    assert page.locator("#partnership").input_value() == "lambeth"
    options = page.locator("#partnership option").all_inner_texts()
    assert "Lambeth" in options and len(options) >= 1


def test_copy_answer_copies_plain_text_with_sources(session: Session) -> None:
    session.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = session.page
    page.goto("/")
    answer = ask(page, REFERRAL)
    answer.locator("button.app-copy").click()
    page.locator("button.app-copy:has-text('Answer copied')").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Sources:" in copied and "[1]" in copied


def test_empty_question_shows_an_error(session: Session) -> None:
    page = session.page
    page.goto("/")
    page.click("#ask-form button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter a question" in page.locator(".govuk-error-summary").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
