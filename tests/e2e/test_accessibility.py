"""axe-core (WCAG 2.2 A/AA) on every page at desktop and phone widths, with screenshots,
plus a keyboard-only run through the main flow."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, Session, screenshot
from tests.e2e.flows import ask

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REFERRAL = "How do I make a referral to the Integrated Referral Hub?"


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject the vendored axe-core (same origin, so the CSP allows it) and run it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def _doc_and_passage(base: str) -> tuple[str, str]:
    doc_id = httpx.get(f"{base}/api/sources").json()["sources"][0]["doc_id"]
    passage = httpx.get(f"{base}/api/sources/{doc_id}").json()["passages"][0]["id"]
    return doc_id, passage


def _open_panel(page: Any) -> None:
    page.goto("/")
    answer = ask(page, REFERRAL)
    answer.locator("a.app-cite").first.click()
    page.locator("#citation-panel .app-cited__passage").wait_for()


def _emergency(page: Any) -> None:
    page.goto("/")
    ask(page, "A man is hitting a child outside the school gates right now")


def _personal(page: Any) -> None:
    page.goto("/")
    ask(page, "My pupil is called Jayden Smith, DOB 03/04/2015. Which level is this?")


PAGES: dict[str, Callable[[Any, str], None]] = {
    "chat-empty": lambda page, base: page.goto("/"),
    "chat-answer": lambda page, base: (page.goto("/"), ask(page, REFERRAL)),
    "chat-citation-panel": lambda page, base: _open_panel(page),
    "chat-emergency": lambda page, base: _emergency(page),
    "chat-personal-data-decision": lambda page, base: _personal(page),
    "chat-error": lambda page, base: (
        page.goto("/"),
        page.click("#ask-form button[type=submit]"),
        page.wait_for_selector(".govuk-error-summary"),
    ),
    "sources": lambda page, base: page.goto("/sources"),
    "document": lambda page, base: page.goto(f"/sources/{_doc_and_passage(base)[0]}"),
    "document-at-passage": lambda page, base: page.goto(
        "/sources/{}#p-{}".format(*_doc_and_passage(base))
    ),
    "passage": lambda page, base: page.goto(
        "/sources/{}/passages/{}".format(*_doc_and_passage(base))
    ),
    "thresholds": lambda page, base: page.goto("/thresholds"),
    "escalation": lambda page, base: page.goto("/escalation"),
    "about": lambda page, base: page.goto("/about"),
    "accessibility": lambda page, base: page.goto("/accessibility"),
    "not-found": lambda page, base: page.goto("/no-such-page"),
    "evaluations": lambda page, base: page.goto("/evaluations"),
    "evaluation-feedback": lambda page, base: page.goto("/evaluations/feedback"),
}


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_axe_violations(make_session, name: str, width: str) -> None:
    s: Session = make_session(viewport=DESKTOP if width == "desktop" else PHONE)
    PAGES[name](s.page, s.server.base_url)
    screenshot(s.page, f"{name}-{width}")
    violations = run_axe(s.page)
    assert violations == [], json.dumps(violations, indent=1)
    offsite = [u for u in s.requests if not u.startswith(s.server.base_url)]
    assert offsite == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_first_use_page_has_no_axe_violations(make_session, width: str) -> None:
    s: Session = make_session(viewport=DESKTOP if width == "desktop" else PHONE, acknowledged=False)
    s.page.goto("/")
    screenshot(s.page, f"first-use-{width}")
    assert run_axe(s.page) == []


def _focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const el = document.activeElement; const r = el.getBoundingClientRect();
        const cx = r.left + Math.min(r.width / 2, 10), cy = r.top + Math.min(r.height / 2, 10);
        const top = document.elementFromPoint(cx, cy);
        const s = getComputedStyle(el);
        return {id: el.id, tag: el.tagName, text: (el.innerText || el.value || '').slice(0, 80),
          cls: el.className, inView: r.bottom > 0 && r.top < innerHeight && r.width > 0,
          obscured: !(top && (top === el || el.contains(top) || top.contains(el))),
          ring: s.outlineStyle !== 'none' || s.boxShadow !== 'none' || s.backgroundColor === 'rgb(255, 221, 0)',
          w: r.width, h: r.height}; }"""
    )


def _tab_to(
    page: Any, predicate: Callable[[dict[str, Any]], bool], limit: int = 80
) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = _focused(page)
        assert focus["inView"] and not focus["obscured"], f"focus hidden: {focus}"
        assert focus["ring"], f"no visible focus indicator: {focus}"
        if predicate(focus):
            return focus
    raise AssertionError("never reached the element with Tab")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_keyboard_only_main_flow(make_session, width: str) -> None:
    s: Session = make_session(viewport=DESKTOP if width == "desktop" else PHONE, acknowledged=False)
    page = s.page
    page.goto("/")
    # First use: acknowledge with the keyboard.
    _tab_to(page, lambda f: "I understand" in f["text"])
    page.keyboard.press("Enter")
    page.wait_for_selector("#question")
    # Skip link first, then into the question box.
    first = _tab_to(page, lambda f: True)
    assert "Skip to main content" in first["text"]
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["id"] == "question")
    page.keyboard.type(REFERRAL)
    _tab_to(page, lambda f: f["id"] == "partnership")
    submit = _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].strip() == "Ask")
    assert submit["w"] >= 24 and submit["h"] >= 24
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll("
        "'#conversation article.app-exchange:not(.app-exchange--pending)').length === 1"
    )
    assert _focused(page)["id"] == "question"  # focus stays where the user was
    # Shift+Tab back into the answer to its first citation marker, then open it.
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        if "app-cite" in str(_focused(page)["cls"]):
            break
    cite = _focused(page)
    assert "app-cite" in str(cite["cls"]) and not cite["obscured"]
    assert cite["w"] >= 24 and cite["h"] >= 24
    page.keyboard.press("Enter")
    page.locator("#citation-panel .app-cited__passage").wait_for()
    assert _focused(page)["id"] == "panel-title"
    # Close the panel with the keyboard: focus returns to the marker.
    _tab_to(page, lambda f: f["text"].strip() == "Close passage")
    page.keyboard.press("Enter")
    assert "app-cite" in str(_focused(page)["cls"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, f"keyboard-flow-{width}")


@pytest.mark.parametrize(
    "name", ["chat-citation-panel", "sources", "document-at-passage", "thresholds", "about"]
)
def test_pages_reflow_at_320_css_pixels(make_session, name: str) -> None:
    """WCAG 1.4.10: 1280 px at 400% zoom is 320 CSS px; nothing may scroll sideways."""
    s: Session = make_session(viewport={"width": 320, "height": 640})
    PAGES[name](s.page, s.server.base_url)
    overflow = s.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"
