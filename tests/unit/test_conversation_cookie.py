"""The no-JavaScript conversation cookie and the routes that keep the conversation across
navigation: post/redirect/get, "New conversation", and the JavaScript restore."""

from __future__ import annotations

import re
import secrets

from fastapi import Response
from fastapi.testclient import TestClient

from assistant.server.conversation_cookie import (
    CHUNK_CHARS,
    COOKIE_NAME,
    MAX_CHUNKS,
    ConversationCookie,
)
from assistant.types import Answer

SECRET = "cookie-test-secret"
HX = {"HX-Request": "true"}


def _answer(n: int, text: str = "Phone the hub first.") -> Answer:
    return Answer(
        answer=f"{text} ({n})",
        citations=[],
        notices=[],
        refused=False,
        answer_id=f"a{n}",
        question=f"question {n} about [NAME]",
    )


def test_sealed_answers_open_again() -> None:
    cookie = ConversationCookie(SECRET)
    sealed = cookie.seal([_answer(1), _answer(2)])
    assert sealed is not None
    assert [a.answer_id for a in cookie.open(sealed)] == ["a1", "a2"]
    assert "question" not in sealed and "[NAME]" not in sealed  # encrypted, not just signed


def test_a_tampered_or_foreign_cookie_opens_empty() -> None:
    cookie = ConversationCookie(SECRET)
    sealed = cookie.seal([_answer(1)])
    assert sealed is not None
    flipped = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    assert cookie.open(flipped) == []
    assert cookie.open("not-a-cookie") == []
    assert cookie.open(None) == []
    assert ConversationCookie("another-secret").open(sealed) == []


def test_an_expired_cookie_opens_empty() -> None:
    now = [1_000_000.0]
    cookie = ConversationCookie(SECRET, ttl_s=60, clock=lambda: now[0])
    sealed = cookie.seal([_answer(1)])
    now[0] += 61
    assert cookie.open(sealed) == []


def test_the_size_cap_drops_the_oldest_answers_first() -> None:
    cookie = ConversationCookie(SECRET, max_chars=600)
    answers = [_answer(n, secrets.token_hex(60)) for n in range(1, 6)]  # incompressible
    sealed = cookie.seal(answers)
    assert sealed is not None and len(sealed) <= 600
    kept = [a.answer_id for a in cookie.open(sealed)]
    assert kept and kept[-1] == "a5" and len(kept) < 5
    assert kept == [f"a{n}" for n in range(6 - len(kept), 6)]


def test_an_answer_too_long_for_the_cap_is_not_kept() -> None:
    cookie = ConversationCookie(SECRET, max_chars=300)
    assert cookie.seal([_answer(1, secrets.token_hex(400))]) is None


def _set_cookies(response: Response) -> dict[str, str]:
    """Name -> value of the cookies ``response`` sets (deleted ones have no value)."""
    jar: dict[str, str] = {}
    for key, value in response.raw_headers:
        if key == b"set-cookie":
            name, _, rest = value.decode().partition("=")
            jar[name] = rest.split(";", 1)[0].strip('"')
    return jar


def test_a_long_conversation_is_split_over_several_cookies_and_read_back() -> None:
    cookie = ConversationCookie(SECRET)
    answers = [_answer(n, secrets.token_hex(1200)) for n in range(1, 5)]
    response = Response()
    assert cookie.write(response, answers)
    jar = _set_cookies(response)
    values = [v for v in jar.values() if v]
    assert len(values) > 1 and all(len(v) <= CHUNK_CHARS for v in values)
    read = [a.answer_id for a in cookie.read(jar)]
    assert read and read[-1] == "a4"
    # A shorter conversation deletes the chunks it no longer needs.
    shorter = Response()
    assert cookie.write(shorter, [_answer(9)])
    jar2 = _set_cookies(shorter)
    assert len(jar2) == MAX_CHUNKS and sum(1 for v in jar2.values() if v) == 1
    assert [a.answer_id for a in cookie.read(jar2)] == ["a9"]


def test_clear_deletes_every_chunk() -> None:
    response = Response()
    ConversationCookie.clear(response)
    jar = _set_cookies(response)
    assert sorted(jar) == [f"{COOKIE_NAME}_{i}" for i in range(MAX_CHUNKS)]
    assert not any(jar.values())


def _csrf(client: TestClient) -> str:
    client.cookies.set("assistant_ack", "1")
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match
    return match.group(1)


def _exchanges(html: str) -> int:
    return html.count('<article class="app-exchange"')


def _fields(html: str) -> list[str]:
    state = re.search(r'<div id="conversation-state"[^>]*>(.*?)</div>', html)
    assert state
    return re.findall(r'name="conversation" value="([^"]+)"', state.group(1))


def test_no_js_post_redirects_and_the_page_shows_the_conversation(client: TestClient) -> None:
    token = _csrf(client)
    form = {"csrf_token": token, "question": "How do I make a referral to the hub?"}
    posted = client.post("/", data=form, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/#latest"
    set_cookie = posted.headers["set-cookie"]
    assert COOKIE_NAME in set_cookie and "httponly" in set_cookie.lower()
    assert "samesite=lax" in set_cookie.lower()
    assert "referral" not in set_cookie  # the question is not readable in the cookie
    # Back, reload, or the redirect itself: GET renders the conversation.
    page = client.get("/").text
    assert "How do I make a referral to the hub?" in page
    assert _exchanges(page) == 1
    follow = {"csrf_token": token, "question": "What should I send after phoning?"}
    fields = _fields(page)
    client.post("/", data={**follow, "conversation": fields})
    assert _exchanges(client.get("/").text) == 2


def test_new_conversation_clears_the_cookie(client: TestClient) -> None:
    token = _csrf(client)
    client.post("/", data={"csrf_token": token, "question": "How do I make a referral?"})
    assert _exchanges(client.get("/").text) == 1
    cleared = client.get("/new", follow_redirects=False)
    assert cleared.status_code == 303 and cleared.headers["location"] == "/#new"
    assert COOKIE_NAME in cleared.headers["set-cookie"]
    assert _exchanges(client.get("/").text) == 0


def test_restore_renders_only_signed_fields(client: TestClient) -> None:
    token = _csrf(client)
    client.post("/", data={"csrf_token": token, "question": "How do I make a referral?"})
    fields = _fields(client.get("/").text)
    assert len(fields) == 1
    restored = client.post(
        "/conversation",
        data={"conversation": [*fields, fields[0][:-3] + "xyz"]},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert restored.status_code == 200
    assert _exchanges(restored.text) == 1
    assert _fields(restored.text) == fields


def test_restore_needs_the_csrf_token(client: TestClient) -> None:
    _csrf(client)
    refused = client.post("/conversation", data={"conversation": ["x"]}, headers=HX)
    assert refused.status_code == 403
