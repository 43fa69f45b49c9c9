"""The chat a practitioner keeps open (issue #14, items 4, 6 and 7), in real Chromium at
desktop and phone widths, with and without JavaScript:

* contacts you can use: every registered phone number is a ``tel:`` link (answers, notices,
  footer), and nothing outside the register is linked;
* light feedback: "Yes / No" first (two Tab stops), the comment and the problem report
  only after a choice;
* keyboard and phone: Enter sends, Shift+Enter adds a line, an input method composing text
  never sends; the Ask button stays on a phone's screen beside the answer; example
  questions on a first visit, gone once a conversation starts.

Every state is checked with axe (WCAG 2.2 A/AA) and saved as a screenshot. Waiting is
polled from Python: the page's CSP forbids eval.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

import pytest
import yaml

from assistant.contact_links import ContactLinker, tel_href
from assistant.contacts import ContactsRegister
from tests.e2e.conftest import DESKTOP, PHONE, REPO, SCREENSHOTS, Session, screenshot
from tests.e2e.flows import ANSWERS, poll
from tests.e2e.test_accessibility import run_axe

REFERRAL = "How do I make a referral to the Integrated Referral Hub?"
EMERGENCY = "A man is hitting a child outside the school gates right now"
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
REGISTER = ContactsRegister.load(REPO / "corpus" / "contacts.yaml")
LINKER = ContactLinker.from_register(REGISTER)
REGISTERED_HREFS = {tel_href(c.phone) for c in REGISTER.all() if c.phone} | {
    f"mailto:{c.email}" for c in REGISTER.all() if c.email
}
EXAMPLES = yaml.safe_load((REPO / "corpus" / "example-questions.yaml").read_text())["examples"]

both_widths = pytest.mark.parametrize("width", sorted(WIDTHS))
with_and_without_js = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


def _open(make_session: Any, width: str, js: bool = True) -> Session:
    s: Session = make_session(viewport=WIDTHS[width], javascript=js)
    s.page.goto("/")
    return s


def _wait_for_answers(page: Any, count: int, js: bool) -> Any:
    if js:
        poll(
            lambda: (
                page.locator(ANSWERS).count() >= count
                and page.locator("#conversation .app-pending").count() == 0
            ),
            "the answer",
        )
    else:
        page.wait_for_load_state()
    assert page.locator(ANSWERS).count() == count
    return page.locator(ANSWERS).nth(count - 1)


def _ask(page: Any, question: str, js: bool) -> Any:
    before = page.locator(ANSWERS).count()
    page.fill("#question", question)
    page.click("#ask-form button[type=submit]")
    return _wait_for_answers(page, before + 1, js)


def _no_axe_violations(page: Any, make_session: Any, js: bool = True) -> None:
    """axe on the page as it is. axe needs JavaScript, so a page rendered without it is
    checked as a copy of its HTML in a second browser whose own scripts are blocked."""
    if not js:
        page = _script_free_copy(page, make_session)
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, indent=1)


def _javascript_on(page: Any) -> bool:
    return bool(page.evaluate("() => document.body.classList.contains('js-enabled')"))


def _script_free_copy(page: Any, make_session: Any) -> Any:
    html, url = page.content(), page.url
    copy: Session = make_session(viewport=page.viewport_size, javascript=True)
    copy.context.route("**/static/js/**", lambda route: route.abort())
    copy.context.route("**/static/vendor/htmx/**", lambda route: route.abort())
    copy.context.route(
        url.split("#")[0],
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    copy.page.goto(url)
    assert not _javascript_on(copy.page)
    return copy.page


def _name(width: str, js: bool) -> str:
    return f"{width}{'' if js else '-no-javascript'}"


def _unlinked_text(locator: Any) -> str:
    """The element's visible text without its links (what a reader cannot tap)."""
    return str(
        locator.evaluate(
            "el => { const c = el.cloneNode(true); c.querySelectorAll('a, [hidden]').forEach(a => a.remove());"
            " return c.textContent; }"
        )
    )


def _check_contact_links(area: Any) -> int:
    """Every tel:/mailto: link in ``area`` is a registered route and shows its number, and
    no registered number is left as plain text. Returns how many links there are."""
    links = area.locator("a[href^='tel:'], a[href^='mailto:']")
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href in REGISTERED_HREFS, f"{href} is not in the contacts register"
        shown = links.nth(i).inner_text().strip()
        if href.startswith("tel:"):
            assert tel_href(shown) == href, f"{shown!r} does not dial {href}"
    assert LINKER.spans(_unlinked_text(area)) == [], "a registered number is not a link"
    return int(links.count())


def _feedback_rows(s: Session, answer_id: str) -> list[str]:
    """The stored feedback rows for one answer (each row's values joined as text)."""
    found: list[str] = []
    for path in s.server.data_dir.rglob("*.sqlite3"):
        with sqlite3.connect(path) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in (t for t in tables if t == "feedback"):
                for row in db.execute(f'SELECT * FROM "{table}"'):
                    if answer_id in (str(v) for v in row):
                        found.append(" ".join(str(v) for v in row))
    return found


# -- 4. Contacts you can use ------------------------------------------------------------------


@both_widths
@with_and_without_js
def test_phone_numbers_are_tel_links_from_the_register(make_session, width: str, js: bool) -> None:
    s = _open(make_session, width, js)
    page = s.page
    irh, emergency = REGISTER.get("lambeth-irh"), REGISTER.get("emergency-999")
    assert irh is not None and irh.phone and emergency is not None and emergency.phone
    # The footer gives the numbers it names, as links that dial them.
    help_box = page.locator("#get-help")
    assert help_box.locator(f"a[href='{tel_href(emergency.phone)}']").inner_text() == "999"
    irh_link = help_box.locator(f"a[href='{tel_href(irh.phone)}']")
    assert irh_link.inner_text() == irh.phone
    assert tel_href(irh.phone) == "tel:+442079263100"  # E.164
    _check_contact_links(help_box)
    # An answer that quotes the IRH's number links it.
    answer = _ask(page, REFERRAL, js)
    body = answer.locator(".app-answer__body")
    assert body.locator(f"a[href='{tel_href(irh.phone)}']").count() >= 1, body.inner_text()
    _check_contact_links(body)
    screenshot(page, f"contacts-answer-{_name(width, js)}")
    _no_axe_violations(page, make_session, js)
    # The emergency notice's 999 dials 999.
    urgent = _ask(page, EMERGENCY, js)
    notice = urgent.locator("[data-notice-kind=emergency]")
    assert notice.locator("a[href='tel:999']").inner_text() == "999"
    _check_contact_links(urgent)  # the danger card, "About this answer", the answer
    notice.scroll_into_view_if_needed()
    screenshot(page, f"contacts-emergency-{_name(width, js)}")
    _no_axe_violations(page, make_session, js)


# -- 6. Light feedback ------------------------------------------------------------------------


def _tab_stops_in(page: Any, area_selector: str, start: Any) -> list[str]:
    """Focus ``start``, Tab forward, and list the stops inside the area until focus leaves."""
    start.focus()
    stops: list[str] = []
    for _ in range(30):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "sel => { const el = document.activeElement; const area = document.querySelector(sel);"
            " return area && area.contains(el) ? (el.textContent || el.tagName) : null; }",
            area_selector,
        )
        if inside is None and stops:
            return stops
        if inside is not None:
            stops.append(" ".join(str(inside).split()))
    raise AssertionError("focus never left the feedback area")


@both_widths
@with_and_without_js
def test_feedback_asks_yes_or_no_first_then_offers_comment_and_report(
    make_session, width: str, js: bool
) -> None:
    s = _open(make_session, width, js)
    page = s.page
    answer = _ask(page, REFERRAL, js)
    answer_id = answer.get_attribute("data-answer-id")
    area = f"#feedback-{answer_id}"
    feedback = page.locator(area)
    assert "Was this answer helpful?" in feedback.inner_text()
    # Step one: two Tab stops, Yes and No; no comment box or report yet.
    assert feedback.locator("textarea, summary, details").count() == 0
    stops = _tab_stops_in(page, area, answer.locator(".app-source__link").last)
    assert stops == ["Yes, this answer was helpful", "No, this answer was not helpful"]
    screenshot(page, f"feedback-choice-{_name(width, js)}")
    # Choose "No" from the keyboard: step two opens in place of the buttons.
    feedback.locator("button[value=no]").focus()
    if js:
        page.keyboard.press("Enter")
        feedback.locator(".app-feedback__thanks").wait_for()
        assert page.evaluate("document.activeElement.classList.contains('app-feedback__thanks')")
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(f"#feedback-{answer_id}")  # the page opens at step two
    feedback = page.locator(area)
    assert "Thank you for your feedback." in feedback.inner_text()
    comment = feedback.locator("textarea[name=comment]").first
    assert comment.is_visible()
    assert feedback.locator("summary:has-text('Report a problem')").is_visible()
    assert feedback.locator("button[value=no], button[value=yes]").count() == 0
    screenshot(page, f"feedback-more-{_name(width, js)}")
    _no_axe_violations(page, make_session, js)
    # The optional comment is sent on its own; the "No" was stored already.
    comment.fill("It does not say what to send after phoning")
    feedback.locator("button:has-text('Send comment')").click()
    if not js:
        page.wait_for_load_state()
    poll(lambda: page.locator(f"{area} textarea").count() == 0, "the last thank you")
    assert "Thank you for your feedback." in page.locator(area).inner_text()
    rows = _feedback_rows(s, str(answer_id))
    assert len(rows) == 2, rows  # the verdict, then the comment
    assert sum("It does not say what to send after phoning" in row for row in rows) == 1


@both_widths
@with_and_without_js
def test_problem_report_opens_after_a_choice_and_is_stored(
    make_session, width: str, js: bool
) -> None:
    s = _open(make_session, width, js)
    page = s.page
    answer = _ask(page, REFERRAL, js)
    answer_id = answer.get_attribute("data-answer-id")
    area = page.locator(f"#feedback-{answer_id}")
    area.locator("button[value=yes]").click()
    if not js:
        page.wait_for_load_state()
    area = page.locator(f"#feedback-{answer_id}")
    area.locator("summary:has-text('Report a problem')").click()
    area.locator(".app-problem textarea").fill("The briefing this cites has been replaced.")
    screenshot(page, f"feedback-report-{_name(width, js)}")
    _no_axe_violations(page, make_session, js)
    area.locator("button:has-text('Send report to content owners')").click()
    if not js:
        page.wait_for_load_state()
    page.locator(f"#feedback-{answer_id} >> text=sent to the content owners").wait_for()
    rows = _feedback_rows(s, str(answer_id))
    assert len(rows) == 2, rows  # the verdict, then the report
    assert any("problem" in row and "has been replaced" in row for row in rows)


# -- 7. Keyboard ------------------------------------------------------------------------------


def _composing_enter(page: Any) -> bool:
    """Press Enter as an input method does while composing; True if the page cancelled it."""
    return bool(
        page.evaluate(
            "() => { const box = document.getElementById('question');"
            " const e = new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', keyCode: 229,"
            " isComposing: true, bubbles: true, cancelable: true});"
            " box.dispatchEvent(e); return e.defaultPrevented; }"
        )
    )


@both_widths
def test_enter_sends_and_shift_enter_adds_a_line(make_session, width: str) -> None:
    s = _open(make_session, width)
    page = s.page
    hint = page.locator("#question-keys")
    assert hint.is_visible() and hint.inner_text() == "Enter sends. Shift + Enter adds a new line."
    assert "question-keys" in (page.locator("#question").get_attribute("aria-describedby") or "")
    page.click("#question")
    page.keyboard.type("How do I make a referral")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("to the Integrated Referral Hub?")
    assert page.locator("#question").input_value() == (
        "How do I make a referral\nto the Integrated Referral Hub?"
    )
    assert not _composing_enter(page)  # an input method's Enter is left alone
    time.sleep(0.5)
    assert page.locator("#conversation article").count() == 0  # nothing was sent
    screenshot(page, f"keyboard-enter-hint-{width}")
    _no_axe_violations(page, make_session)
    page.keyboard.press("Enter")
    answer = _wait_for_answers(page, 1, js=True)
    assert "Integrated Referral Hub" in answer.locator(".app-exchange__question").inner_text()
    assert page.evaluate("document.activeElement.id") == "question"
    # Enter on an empty box asks, and the form says what is missing.
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter a question" in page.locator(".govuk-error-summary").inner_text()


@both_widths
def test_without_javascript_enter_adds_a_line_and_the_button_sends(
    make_session, width: str
) -> None:
    s = _open(make_session, width, js=False)
    page = s.page
    assert not page.locator("#question-keys").is_visible()  # the hint would not be true
    page.click("#question")
    page.keyboard.type("How do I make a referral")
    page.keyboard.press("Enter")
    page.keyboard.type("to the Integrated Referral Hub?")
    assert "\n" in page.locator("#question").input_value()
    assert page.locator("#conversation article").count() == 0
    page.click("#ask-form button[type=submit]")
    answer = _wait_for_answers(page, 1, js=False)
    assert "Integrated Referral Hub" in answer.locator(".app-exchange__question").inner_text()


# -- 7. Phone ---------------------------------------------------------------------------------


def _in_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return bool(box and box["y"] >= 0 and box["y"] + box["height"] <= height)


def _focus_obscured(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => { const el = document.activeElement; const r = el.getBoundingClientRect();"
            " const x = r.left + Math.min(r.width / 2, 10), y = r.top + Math.min(r.height / 2, 10);"
            " const top = document.elementFromPoint(x, y);"
            " return !(top && (top === el || el.contains(top) || top.contains(el))); }"
        )
    )


@with_and_without_js
def test_on_a_phone_the_ask_button_stays_in_reach_beside_the_answer(make_session, js: bool) -> None:
    s = _open(make_session, "phone", js)
    page = s.page
    answer = _ask(page, REFERRAL, js)
    question = answer.locator(".app-exchange__question")
    box = question.bounding_box()
    assert box is not None and -1 <= box["y"] < PHONE["height"] / 2  # the answer starts here
    assert _in_viewport(page, "#ask-form button[type=submit]")
    assert _in_viewport(page, "#question")
    bar = page.locator("#ask-form").bounding_box()
    assert bar is not None and bar["height"] <= PHONE["height"] * 0.4, bar
    screenshot(page, f"phone-ask-bar-{_name('phone', js)}")
    page.screenshot(path=str(SCREENSHOTS / f"phone-ask-bar-{_name('phone', js)}-screen.png"))
    _no_axe_violations(page, make_session, js)
    # Reading on through the answer, the bar stays.
    page.evaluate(
        "el => window.scrollTo(0, el.getBoundingClientRect().bottom + window.scrollY - 600)",
        answer.element_handle(),
    )
    assert _in_viewport(page, "#ask-form button[type=submit]")
    # Moving back through the answer with the keyboard, nothing focused hides under the bar.
    page.locator("#question").focus()
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if not page.evaluate("!!document.activeElement.closest('#ask-form')"):
            assert not _focus_obscured(page), page.evaluate("document.activeElement.outerHTML")


@with_and_without_js
def test_on_a_wide_screen_the_form_stays_in_the_page(make_session, js: bool) -> None:
    s = _open(make_session, "desktop", js)
    page = s.page
    _ask(page, REFERRAL, js)
    assert page.locator("#ask-form").evaluate("el => getComputedStyle(el).position") == "static"
    if js:  # the keyboard stays in the question box for a follow-up
        assert page.evaluate("document.activeElement.id") == "question"
    else:  # the page opens at the new answer, the form straight after it
        assert page.url.endswith("#latest")
    screenshot(page, f"wide-ask-form-{_name('desktop', js)}")


# -- 7. Example questions ---------------------------------------------------------------------


@both_widths
@with_and_without_js
def test_example_questions_send_and_go_once_the_conversation_starts(
    make_session, width: str, js: bool
) -> None:
    assert 4 <= len(EXAMPLES) <= 5
    assert len({e["audience"] for e in EXAMPLES}) == len(EXAMPLES)  # one per group
    s = _open(make_session, width, js)
    page = s.page
    buttons = page.locator("#examples button")
    assert buttons.all_inner_texts() == [e["question"] for e in EXAMPLES]
    audiences = page.locator("#examples .app-examples__audience").all_inner_texts()
    assert audiences == [e["audience"] for e in EXAMPLES]
    screenshot(page, f"examples-{_name(width, js)}")
    _no_axe_violations(page, make_session, js)
    chosen = EXAMPLES[2]
    page.locator(f"#examples button[data-example='{chosen['id']}']").click()
    answer = _wait_for_answers(page, 1, js)
    assert chosen["question"] in answer.locator(".app-exchange__question").inner_text()
    assert page.locator("#examples").count() == 0
    assert page.locator("label[for=question]").inner_text() == "Ask a follow-up question"
    if js:
        assert page.evaluate("document.activeElement.id") == "question"
    # A new conversation shows them again (the chat page itself keeps the conversation).
    page.goto("/new")
    assert page.locator("#examples button").count() == len(EXAMPLES)
