"""Citations you can check (issue #14 item 3), at desktop and phone widths, with and
without JavaScript: one number per passage, sources grouped by document, a preview of the
passage on hover and focus (Escape closes it), the passage as a bottom sheet on phones
(no jump), original documents as real links, and the document page at the cited passage
with a way back to the conversation. axe runs with a preview and the sheet open."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, Session, screenshot
from tests.e2e.flows import ANSWERS, ask
from tests.e2e.test_accessibility import run_axe

# The fake cites the top passage sentence by sentence, as the real verifier numbers them
# (one citation per quote): the page must still show one number for that passage.
QUESTION = "How do I make a referral to the Integrated Referral Hub, sentence by sentence?"
REAL_QUESTION = "How do I make a referral to the Integrated Referral Hub?"
"""The real app answers this one with several cited passages (the fake's cue above is a
question the real answerability gate rightly refuses)."""
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def _answer(s: Session, javascript: bool) -> Any:
    page = s.page
    page.goto("/")
    question = QUESTION if s.server.fake else REAL_QUESTION
    if javascript:
        return ask(page, question)
    page.fill("#question", question)
    page.click("#ask-form button[type=submit]")
    page.wait_for_load_state()
    return page.locator(ANSWERS).last


def _until(check: Any, timeout_s: float = 5.0) -> bool:
    """Poll from Python (the CSP forbids the eval behind wait_for_function)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return bool(check())


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_one_number_per_passage_and_sources_grouped_by_document(
    make_session: Any, width: str, javascript: bool
) -> None:
    s: Session = make_session(viewport=WIDTHS[width], javascript=javascript)
    answer = _answer(s, javascript)
    markers = answer.locator(".app-answer__body a.app-cite")
    marker_numbers = [int(n) for n in markers.evaluate_all("els => els.map(e => e.dataset.cite)")]
    marker_hrefs = {
        int(n): h
        for n, h in markers.evaluate_all(
            "els => els.map(e => [e.dataset.cite, e.getAttribute('href')])"
        )
    }
    docs = answer.locator(".app-sources > li.app-source")
    doc_ids = docs.evaluate_all("els => els.map(e => e.dataset.docId)")
    assert doc_ids and len(doc_ids) == len(set(doc_ids))  # each document listed once
    sections = answer.locator(".app-source__sections a.app-source__link")
    listed = sections.evaluate_all(
        "els => els.map(e => [Number(e.dataset.cite), e.getAttribute('href')])"
    )
    numbers = [n for n, _ in listed]
    hrefs = [h for _, h in listed]
    assert len(hrefs) == len(set(hrefs))  # each passage listed once
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert set(marker_numbers) == set(numbers)  # the markers and the list agree …
    assert all(marker_hrefs[n] == h for n, h in listed)  # … and open the same passage
    if s.server.fake:  # three citations of the top passage and one more: two numbers
        assert len(marker_numbers) == 3 and sorted(set(marker_numbers)) == [1, 2]
        assert doc_ids == ["fake-arrangements"]
        first = docs.first.inner_text()
        assert "Referrals" in first and "Current" in first
    # The original document is a real link to the publisher's page.
    original = answer.locator(".app-source__original a")
    if s.server.fake:
        assert original.count() == 1
    for i in range(original.count()):
        assert original.nth(i).get_attribute("href").startswith(("http://", "https://"))
        assert "Original document" in original.nth(i).inner_text()
    screenshot(s.page, f"citations-sources-{width}-{'js' if javascript else 'nojs'}")
    assert s.console_errors == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_preview_of_the_passage_on_hover_and_focus(make_session: Any, width: str) -> None:
    s: Session = make_session(viewport=WIDTHS[width])
    page = s.page
    answer = _answer(s, True)
    marker = answer.locator(".app-answer__body a.app-cite").first
    preview_id = marker.get_attribute("aria-describedby")
    assert preview_id and preview_id == marker.get_attribute("data-preview")
    preview = page.locator(f"#{preview_id}")
    assert preview.get_attribute("role") == "tooltip"
    assert not preview.is_visible()
    # Keyboard: focus shows it, Escape closes it, focus stays on the marker.
    marker.focus()
    assert _until(preview.is_visible)
    text = preview.inner_text()
    assert "Source 1" in text and "“" in text
    if s.server.fake:  # every sentence quoted from the passage is in its one preview
        assert "phone the Integrated Referral Hub" in text and "gives advice" in text
    box, viewport = preview.bounding_box(), page.viewport_size
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert run_axe(page) == []  # with the preview open
    screenshot(page, f"citations-preview-{width}")
    page.keyboard.press("Escape")
    assert _until(lambda: not preview.is_visible())
    assert marker.evaluate("el => el === document.activeElement")
    # Pointer: hover shows it; moving onto the preview keeps it; leaving both hides it.
    page.locator("h1").first.focus()
    marker.hover()
    assert _until(preview.is_visible)
    preview.hover()
    time.sleep(0.5)
    assert preview.is_visible()
    page.mouse.move(1, 1)
    assert _until(lambda: not preview.is_visible())
    assert s.console_errors == []


def test_phone_passage_opens_as_a_bottom_sheet_without_a_jump(make_session: Any) -> None:
    s: Session = make_session(viewport=PHONE)
    page = s.page
    answer = _answer(s, True)
    marker = answer.locator(".app-answer__body a.app-cite").first
    marker.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    marker.click()
    panel = page.locator("#citation-panel")
    panel.locator(".app-cited__passage mark").first.wait_for()
    time.sleep(0.3)
    assert abs(page.evaluate("window.scrollY") - before) < 5  # no jump below the form
    assert panel.evaluate("el => getComputedStyle(el).position") == "fixed"
    box = panel.bounding_box()
    assert box and abs(box["y"] + box["height"] - PHONE["height"]) < 2
    assert box["height"] <= PHONE["height"] * 0.75
    assert panel.locator("#panel-title").evaluate("el => el === document.activeElement")
    assert marker.is_visible()
    assert run_axe(page) == []  # with the sheet open
    screenshot(page, "citations-sheet-phone")
    page.keyboard.press("Escape")
    assert _until(lambda: panel.locator(".app-cited").count() == 0)
    assert _until(lambda: marker.evaluate("el => el === document.activeElement"))
    assert abs(page.evaluate("window.scrollY") - before) < 5
    assert s.console_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_document_opens_at_the_cited_passage_with_a_way_back(
    make_session: Any, width: str, javascript: bool
) -> None:
    s: Session = make_session(viewport=WIDTHS[width], javascript=javascript)
    page = s.page
    answer = _answer(s, javascript)
    chat_url = page.url
    marker = answer.locator(".app-answer__body a.app-cite").first
    passage_anchor = marker.get_attribute("href").split("#")[1]
    if javascript:  # the marker opens the panel; the panel links to the whole document
        marker.click()
        link = page.locator("#citation-panel a:has-text('Open the whole document')")
        link.wait_for()
        link.click()
    else:  # without JavaScript the marker is a link to the document at the passage
        marker.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#{passage_anchor}")
    target = page.locator(".app-passage:target")
    assert target.count() == 1 and target.get_attribute("id") == passage_anchor
    box = target.bounding_box()
    assert box and 0 <= box["y"] < WIDTHS[width]["height"]  # scrolled to the passage
    assert target.evaluate("el => getComputedStyle(el, '::before').content").strip('"') == (
        "Cited passage"
    )
    original = page.locator("a.app-original-link")
    if s.server.fake:
        assert original.count() == 1
    for i in range(original.count()):
        assert original.nth(i).get_attribute("href").startswith(("http://", "https://"))
    if javascript:  # axe itself needs JavaScript; the markup is the same either way
        assert run_axe(page) == []
    screenshot(page, f"citations-document-{width}-{'js' if javascript else 'nojs'}")
    back = page.locator("a.app-back-to-chat")
    assert back.inner_text().strip() == "Back to your conversation"
    assert back.get_attribute("href") == "/"
    back.click()
    page.wait_for_load_state()
    if javascript:  # history back: the very page the reader left
        assert _until(lambda: page.url == chat_url)
    else:
        assert page.url.rstrip("/").split("#")[0] == s.server.base_url
    assert page.locator("#question").count() == 1
    assert s.console_errors == []
