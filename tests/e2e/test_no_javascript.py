"""Without JavaScript the form posts and the server renders the full page with the answer."""

from __future__ import annotations

from tests.e2e.conftest import DESKTOP, Session, screenshot


def test_question_answer_and_follow_up_without_javascript(make_session) -> None:
    s: Session = make_session(viewport=DESKTOP, javascript=False)
    page = s.page
    page.goto("/")
    page.fill("#question", "How do I make a referral to the Integrated Referral Hub?")
    page.click("#ask-form button[type=submit]")
    page.wait_for_load_state()
    answers = page.locator("#conversation article.app-exchange")
    assert answers.count() == 1
    assert answers.first.locator("a.app-cite").count() >= 1
    assert "AI-assisted answer" in answers.first.inner_text()
    assert page.url.endswith("#latest")
    # Copy needs JavaScript, so it stays hidden.
    assert not answers.first.locator("button.app-copy").is_visible()
    # Follow-up: the signed conversation travels in the form; both answers are rendered.
    page.fill("#question", "What should I send after phoning?")
    page.click("#ask-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#conversation article.app-exchange").count() == 2
    assert (
        page.locator("#conversation article.app-exchange").first.locator("a.app-cite").count() >= 1
    )
    screenshot(page, "chat-no-javascript-desktop")
    # A citation is an ordinary link to the document at the passage, highlighted.
    page.locator("#conversation a.app-cite").first.click()
    page.wait_for_load_state()
    assert page.url.split("#")[1].startswith("p-")
    assert page.locator(".app-passage:target").count() == 1


def test_feedback_without_javascript_keeps_the_conversation(make_session) -> None:
    s: Session = make_session(viewport=DESKTOP, javascript=False)
    page = s.page
    page.goto("/")
    page.fill("#question", "How do I make a referral to the Integrated Referral Hub?")
    page.click("#ask-form button[type=submit]")
    page.wait_for_load_state()
    page.locator(".app-feedback button:has-text('Yes')").first.click()
    page.wait_for_load_state()
    assert "Thank you for your feedback" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#conversation article.app-exchange").count() == 1


def test_empty_question_without_javascript_shows_error_summary(make_session) -> None:
    s: Session = make_session(viewport=DESKTOP, javascript=False)
    page = s.page
    page.goto("/")
    page.click("#ask-form button[type=submit]")
    page.wait_for_load_state()
    assert "Enter a question" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#question-error").is_visible()
