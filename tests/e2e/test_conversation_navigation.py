"""The conversation survives navigation (issue #14 item 1): ask two questions, open a
cited document, press Back, reload; "New conversation" clears it for good. With and
without JavaScript, at desktop and phone widths."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, Session, screenshot
from tests.e2e.flows import ANSWERS, ask
from tests.e2e.test_accessibility import run_axe

FIRST = "How do I make a referral to the Integrated Referral Hub?"
SECOND = "What should I send after phoning?"


def _ask_without_js(page: Any, question: str) -> None:
    page.fill("#question", question)
    page.click("#ask-form button[type=submit]")
    page.wait_for_load_state()


def _answer_count_becomes(page: Any, expected: int, timeout_s: float = 15.0) -> int:
    """Poll from Python (the CSP forbids eval): the number of finished answers shown,
    once it equals ``expected`` or the time runs out."""
    deadline = time.monotonic() + timeout_s
    count = page.locator(ANSWERS).count()
    while count != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        count = page.locator(ANSWERS).count()
    return count


def _stays(page: Any, expected: int, settle_s: float = 1.5) -> bool:
    """The count is ``expected`` and still is after the page has had time to restore."""
    page.wait_for_timeout(settle_s * 1000)
    return page.locator(ANSWERS).count() == expected


def _both_questions_shown(page: Any) -> None:
    text = page.locator("#conversation").inner_text()
    assert "Integrated Referral Hub" in text and "after phoning" in text


def _axe_violations(
    make_session: Any, s: Session, viewport: dict[str, int], javascript: bool
) -> list[dict[str, Any]]:
    """axe on the restored chat. axe itself needs JavaScript: without it, the same
    server-rendered page is loaded with the same cookies in a JavaScript context."""
    if javascript:
        return run_axe(s.page)
    checker: Session = make_session(viewport=viewport, javascript=True)
    checker.context.add_cookies(s.context.cookies())
    checker.page.goto("/")
    assert _answer_count_becomes(checker.page, 2) == 2
    return run_axe(checker.page)


def _open_cited_document(page: Any, javascript: bool) -> None:
    page.locator("#conversation .app-answer__body a.app-cite").first.click()
    if javascript:  # the passage opens in the side panel; its link opens the document
        page.locator("#citation-panel a:has-text('Open the whole document')").click()
    page.wait_for_load_state()
    assert "/sources/" in page.url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_conversation_survives_back_reload_and_new_conversation_clears_it(
    make_session: Any, viewport: dict[str, int], javascript: bool
) -> None:
    s: Session = make_session(viewport=viewport, javascript=javascript)
    page = s.page
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    name = f"conversation-back-{'desktop' if viewport == DESKTOP else 'phone'}-" + (
        "js" if javascript else "no-js"
    )
    page.goto("/")
    if javascript:
        ask(page, FIRST)
        ask(page, SECOND)
    else:
        _ask_without_js(page, FIRST)
        _ask_without_js(page, SECOND)
        # Post/redirect/get: the page on screen is an ordinary GET of the chat.
        assert page.url == f"{s.server.base_url}/#latest"
    assert page.locator(ANSWERS).count() == 2

    _open_cited_document(page, javascript)
    posts.clear()
    page.go_back()
    page.wait_for_load_state()
    assert page.url.startswith(f"{s.server.base_url}/")
    assert "/sources/" not in page.url
    assert _answer_count_becomes(page, 2) == 2
    _both_questions_shown(page)
    if not javascript:
        # Back never resubmits the form: no POST, and the chat (not an error) is shown.
        assert posts == []
        assert page.locator("#ask-form").count() == 1
    screenshot(page, name)
    assert _axe_violations(make_session, s, viewport, javascript) == []

    page.reload()
    page.wait_for_load_state()
    assert _answer_count_becomes(page, 2) == 2
    _both_questions_shown(page)
    if not javascript:
        assert posts == []  # a reload is a GET too: no "Confirm form resubmission"

    # "New conversation" clears it, and neither Back nor reload brings it back.
    page.locator("a.app-new-conversation").click()
    page.wait_for_load_state()
    assert _stays(page, 0)
    assert page.locator("#examples").count() == 1
    screenshot(page, name + "-new")
    page.go_back()
    page.wait_for_load_state()
    assert _stays(page, 0), "Back after New conversation brought the old conversation back"
    page.reload()
    page.wait_for_load_state()
    assert _stays(page, 0), "reload after New conversation brought the old conversation back"


def test_a_forged_stored_conversation_is_not_shown(make_session: Any) -> None:
    s: Session = make_session(viewport=DESKTOP, javascript=True)
    page = s.page
    page.goto("/")
    ask(page, FIRST)
    stored = page.evaluate("sessionStorage.getItem('assistant.conversation')")
    assert stored and FIRST not in stored  # signed tokens, not the text in the clear
    page.evaluate(
        "sessionStorage.setItem('assistant.conversation', JSON.stringify(['forged.token']))"
    )
    page.goto("/")  # a fresh, empty chat page (as after Back when not cached)
    assert _stays(page, 0)
