"""Steps the browser tests share: asking a question and waiting for the whole answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

ANSWERS = "#conversation article.app-exchange:not(.app-exchange--pending)"


def ask(page: Any, question: str, *, partnership: str | None = None) -> Any:
    """Ask through the page and return the locator of the new, complete answer."""
    before = page.locator(ANSWERS).count()
    page.fill("#question", question)
    if partnership:
        page.select_option("#partnership", partnership)
    page.click("#ask-form button[type=submit]")
    return wait_for_answer(page, before)


def wait_for_answer(page: Any, before: int) -> Any:
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n "
        "&& !document.querySelector('#conversation .app-pending')",
        arg=[ANSWERS, before],
    )
    return page.locator(ANSWERS).nth(before)


def same_origin_only(requests: list[str], base_url: str) -> list[str]:
    """Requests that went anywhere but the app itself (should be none)."""
    return [u for u in requests if not (u.startswith(base_url) or u.startswith("data:"))]


def poll(check: Callable[[], bool], what: str, timeout_s: float = 120.0) -> None:
    """Wait for ``check`` from Python (the CSP forbids the eval behind wait_for_function)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
