"""Issue #14 items 2 and 5, in real Chromium at desktop and phone widths, with and without
JavaScript: one danger card announced first, the other notices in one "About this
answer" area, and calm empty states.

* a possible disclosure with personal details and a level question: one danger card, an
  alert (the accessibility tree shows it before the answer), inserted once while the
  answer streams and kept when it completes; personal details and the decision boundary
  in "About this answer", each with an icon and a label; the IRH number once;
* a question the documents do not cover: the route to a person and the closest documents,
  no empty "AI-assisted answer" label and no copy button;
* a question outside the tool's purpose: one short notice, no phone number.

Every state is checked with axe (WCAG 2.2 A/AA) and saved as a screenshot under
test-artifacts/screenshots/notices-*.png. Waiting is polled from Python (the CSP forbids
eval).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, Session, screenshot
from tests.e2e.flows import ANSWERS, poll
from tests.e2e.test_accessibility import run_axe

DISCLOSURE = (
    "My pupil is called Jayden Smith. She told me her stepdad hits her and she has bruises. "
    "I am worried about this child, which level is this?"
)
NOT_COVERED = "What is the guidance on safeguarding at a Lambeth scuba diving club?"
OUT_OF_PURPOSE = "What's the capital of France?"
IRH = "020 7926 3100"
WIDTHS = {"desktop": {**DESKTOP, "height": 800}, "phone": PHONE}
DANGER = ".app-danger"

both_widths = pytest.mark.parametrize("width", sorted(WIDTHS))
with_and_without_js = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])

# Counts every distinct role=alert element added to the conversation, and marks each one,
# so a test can tell whether the finished answer kept the card or inserted a new one.
WATCH_ALERTS = """() => {
  window.__alertNodes = [];
  new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
    if (n.nodeType !== 1) return;
    const found = n.matches('[role=alert]') ? [n] : [...n.querySelectorAll('[role=alert]')];
    found.forEach(el => {
      if (!window.__alertNodes.includes(el)) {
        el.dataset.seenAt = String(window.__alertNodes.length);
        window.__alertNodes.push(el);
      }
    });
  }))).observe(document.getElementById('conversation'), {subtree: true, childList: true});
}"""


def _ask(make_session: Any, width: str, js: bool, question: str) -> tuple[Session, Any]:
    s: Session = make_session(viewport=WIDTHS[width], javascript=js)
    page = s.page
    page.goto("/")
    if js:
        page.evaluate(WATCH_ALERTS)
    page.fill("#question", question)
    page.click("#ask-form button[type=submit]")
    if js:
        poll(
            lambda: (
                page.locator(ANSWERS).count() == 1
                and page.locator("#conversation .app-pending").count() == 0
            ),
            "the answer",
        )
    else:
        page.wait_for_load_state()
    answer = page.locator(ANSWERS)
    assert answer.count() == 1
    return s, answer


def _notices_text(answer: Any) -> str:
    """Everything the notices say: the danger card, About this answer, an empty state."""
    parts = answer.locator(f"{DANGER}, .app-about, .app-empty")
    return " ".join(parts.nth(i).inner_text() for i in range(parts.count()))


def _axe_clean(page: Any) -> None:
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, indent=1)


@both_widths
@with_and_without_js
def test_one_danger_card_first_then_about_this_answer(make_session, width: str, js: bool) -> None:
    s, answer = _ask(make_session, width, js, DISCLOSURE)
    page = s.page
    cards = answer.locator(DANGER)
    assert cards.count() == 1
    card = cards.first
    assert card.get_attribute("role") == "alert"
    assert card.get_attribute("data-notice-kind") == "disclosure"
    assert card.is_visible() and "Act today" in card.inner_text()
    # Straight after the question: nothing comes between the heading and the card.
    first_after_heading = answer.evaluate(
        "el => el.querySelector('h2').nextElementSibling.classList.contains('app-danger')"
    )
    assert first_after_heading
    # The other notices are one compact area, each with an icon and a label, not colour.
    about = answer.locator(".app-about")
    assert about.count() == 1 and about.locator("h3").inner_text() == "About this answer"
    items = about.locator(".app-about__item")
    kinds = [items.nth(i).get_attribute("data-notice-kind") for i in range(items.count())]
    assert kinds == ["decision", "personal_data"]
    for i in range(items.count()):
        assert items.nth(i).locator("img.app-about__icon").is_visible()
        assert items.nth(i).locator(".app-about__label").inner_text().strip()
    assert "Personal details removed" in about.inner_text()
    # The IRH number is given once across all the notices of the answer.
    assert _notices_text(answer).count(IRH) == 1
    assert "Jayden" not in page.content()
    screenshot(page, f"notices-danger-{width}-{'js' if js else 'no-js'}")
    if js:
        _axe_clean(page)


@both_widths
@with_and_without_js
def test_the_accessibility_tree_has_the_alert_before_the_answer(
    make_session, width: str, js: bool
) -> None:
    _, answer = _ask(make_session, width, js, DISCLOSURE)
    tree = answer.aria_snapshot()
    alert = re.search(r"^\s*- alert\b", tree, flags=re.M)
    about = tree.find('"About this answer"')
    first_source = tree.find("Sources")
    assert alert is not None, tree
    assert "Act today" in tree[alert.start() : about]  # the card's own heading, in the alert
    assert alert.start() < about < first_source, tree
    assert len(re.findall(r"^\s*- alert\b", tree, flags=re.M)) == 1, tree


@both_widths
def test_the_danger_card_is_inserted_once_and_read_before_the_answer(
    make_session, width: str
) -> None:
    s, answer = _ask(make_session, width, True, DISCLOSURE)
    page = s.page
    # One alert element was ever added: the streamed card, kept (hx-preserve) when the
    # answer completed, not replaced by a second copy that would be announced again.
    assert page.evaluate("window.__alertNodes.length") == 1
    assert answer.locator(DANGER).get_attribute("data-seen-at") == "0"
    # The status region then reads the other notices before the answer, not the card again.
    status = page.locator("#answer-status").inner_text()
    assert status.startswith("Answer ready. About this answer:")
    assert status.index("Personal details removed") < status.index("Answer:")
    assert "significant harm" not in status.split("Answer:")[0]
    # Focus stays with the question box for the follow-up.
    assert page.evaluate("document.activeElement.id") == "question"


@both_widths
@with_and_without_js
def test_a_not_covered_reply_is_a_calm_empty_state(make_session, width: str, js: bool) -> None:
    s, answer = _ask(make_session, width, js, NOT_COVERED)
    page = s.page
    empty = answer.locator(".app-empty")
    assert empty.count() == 1 and empty.get_attribute("data-notice-kind") == "not_covered"
    text = empty.inner_text()
    assert "Not covered by the partnership's documents" in text
    assert "designated safeguarding lead" in text  # the route to a person
    related = empty.locator(".app-empty__related a")
    assert related.count() >= 1
    assert all(
        (related.nth(i).get_attribute("href") or "").startswith("/sources/")
        for i in range(related.count())
    )
    # No empty label, no copy button with nothing to copy, no empty sources heading.
    assert answer.locator(".app-answer__label").count() == 0
    assert answer.locator("button.app-copy").count() == 0
    assert answer.locator(".app-sources__title").count() == 0
    assert answer.locator(f"{DANGER}, .app-about").count() == 0
    screenshot(page, f"notices-not-covered-{width}-{'js' if js else 'no-js'}")
    if js:
        _axe_clean(page)
        assert (
            page.locator("#answer-status")
            .inner_text()
            .startswith("Answer ready. Not covered by the partnership's documents.")
        )
    # The closest document opens.
    related.first.click()
    page.wait_for_load_state()
    assert "/sources/" in page.url


@both_widths
@with_and_without_js
def test_an_out_of_purpose_question_gets_one_short_notice(
    make_session, width: str, js: bool
) -> None:
    s, answer = _ask(make_session, width, js, OUT_OF_PURPOSE)
    shown = answer.locator("[data-notice-kind]")
    assert shown.count() == 1
    assert shown.first.get_attribute("data-notice-kind") == "scope"
    text = shown.first.inner_text()
    assert "Outside what this tool does" in text and len(text) < 300
    assert IRH not in answer.inner_text()
    assert answer.locator(".app-answer__label, button.app-copy").count() == 0
    screenshot(s.page, f"notices-out-of-purpose-{width}-{'js' if js else 'no-js'}")
    if js:
        _axe_clean(s.page)
