"""Abuse protection and safe defaults (issue #12, item 6): rate limits, the secret key at
start-up, HTTPS-only cookies and HSTS, no ``Server`` header, stream tokens bound to the
session that made them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server.app import create_app
from assistant.server.ratelimit import TokenBuckets
from assistant.server.security import HSTS
from assistant.server.startup import (
    UnsafeSettingsError,
    check_secret_key,
    is_loopback,
    uvicorn_options,
)
from assistant.settings import DEFAULT_SECRET_KEY, RateLimitSettings, Settings
from tests.fakes import FakeAssistant

HX = {"HX-Request": "true"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _client(tmp_path: Path, **overrides: object) -> TestClient:
    settings = Settings(data_dir=tmp_path, secret_key="unit-test", **overrides)  # type: ignore[arg-type]
    fake = FakeAssistant(settings)
    fake.load()
    return TestClient(create_app(settings, assistant=fake))


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[TestClient]:
    limits = RateLimitSettings(ask_per_minute=3, search_per_minute=2, feedback_per_minute=2)
    with _client(tmp_path, rate_limit=limits) as c:
        yield c


def _csrf(client: TestClient) -> str:
    client.cookies.set("assistant_ack", "1")
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match
    return match.group(1)


# --- token buckets -------------------------------------------------------------------


def test_a_bucket_allows_a_burst_then_asks_to_wait_until_it_refills() -> None:
    clock = Clock()
    buckets = TokenBuckets(60, clock=clock)  # one a second
    assert all(buckets.hit("k") == 0.0 for _ in range(60))
    wait = buckets.hit("k")
    assert 0.9 < wait <= 1.0
    clock.now += 1.0
    assert buckets.hit("k") == 0.0
    assert buckets.hit("other") == 0.0  # keys are independent


def test_buckets_forget_the_least_recently_used_key_beyond_the_bound() -> None:
    buckets = TokenBuckets(1, max_keys=3, clock=Clock())
    for key in ("a", "b", "c", "d"):
        buckets.hit(key)
    assert len(buckets) == 3
    assert buckets.hit("a") == 0.0  # forgotten, so a full bucket again
    assert buckets.hit("d") > 0  # still remembered, still empty


# --- rate limits on the routes --------------------------------------------------------


def test_api_ask_over_the_limit_gets_429_with_retry_after(limited: TestClient) -> None:
    codes = [
        limited.post("/api/ask", json={"question": "what is early help"}).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    response = limited.post("/api/ask", json={"question": "what is early help"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "call 999" in response.json()["detail"]


def test_search_and_ask_have_separate_limits(limited: TestClient) -> None:
    assert [limited.get("/api/search", params={"q": "lado"}).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert limited.post("/api/ask", json={"question": "what is lado"}).status_code == 200


def test_the_limit_is_per_address(limited: TestClient) -> None:
    for _ in range(2):
        limited.get("/api/search", params={"q": "lado"})
    assert limited.get("/api/search", params={"q": "lado"}).status_code == 429
    other = limited.get(
        "/api/search", params={"q": "lado"}, headers={"X-Forwarded-For": "10.9.9.9"}
    )
    assert other.status_code == 429  # a forwarded header from an untrusted peer is ignored


def test_feedback_is_limited(limited: TestClient) -> None:
    answer_id = limited.post("/api/ask", json={"question": "what is lado"}).json()["answer_id"]
    body = {"answer_id": answer_id, "helpful": True}
    codes = [limited.post("/api/feedback", json=body).status_code for _ in range(3)]
    assert codes[-1] == 429


def test_the_ask_page_shows_the_wait_in_the_form_for_htmx(limited: TestClient) -> None:
    token = _csrf(limited)
    for _ in range(3):
        limited.post("/", data={"csrf_token": token, "question": "what is early help"}, headers=HX)
    response = limited.post(
        "/", data={"csrf_token": token, "question": "what is early help"}, headers=HX
    )
    assert response.status_code == 200  # htmx swaps only 2xx
    assert response.headers["HX-Retarget"] == "#ask-form"
    assert "Please wait" in response.text and "Retry-After" in response.headers
    plain = limited.post("/", data={"csrf_token": token, "question": "what is early help"})
    assert plain.status_code == 429 and "Too many requests" in plain.text


def test_limits_can_be_turned_off(tmp_path: Path) -> None:
    with _client(
        tmp_path, rate_limit=RateLimitSettings(enabled=False, search_per_minute=1)
    ) as client:
        codes = {client.get("/api/search", params={"q": "lado"}).status_code for _ in range(5)}
    assert codes == {200}


# --- the secret key at start-up --------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "example.org", ""])
def test_non_loopback_addresses(host: str) -> None:
    assert not is_loopback(host)


def test_the_default_secret_is_refused_on_a_network_bind(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, host="0.0.0.0")
    assert settings.secret_key.get_secret_value() == DEFAULT_SECRET_KEY
    with pytest.raises(UnsafeSettingsError, match="ASSISTANT_SECRET_KEY"):
        check_secret_key(settings)
    with pytest.raises(UnsafeSettingsError):
        create_app(settings, assistant=FakeAssistant(settings))


def test_the_default_secret_on_loopback_starts_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path, host="127.0.0.1")
    with caplog.at_level(logging.WARNING):
        check_secret_key(settings)
    assert "ASSISTANT_SECRET_KEY" in caplog.text


def test_a_real_secret_on_a_network_bind_starts_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path, host="0.0.0.0", secret_key="a-long-random-value")
    with caplog.at_level(logging.WARNING):
        check_secret_key(settings)
    assert caplog.text == ""


def test_the_secret_is_not_shown_in_settings_repr(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="do-not-print-me")
    assert "do-not-print-me" not in repr(settings)
    assert "do-not-print-me" not in settings.model_dump_json()


def test_uvicorn_runs_without_a_server_header(tmp_path: Path) -> None:
    options = uvicorn_options(Settings(data_dir=tmp_path))
    assert options["server_header"] is False


# --- https only, Server header ----------------------------------------------------------


def test_https_only_marks_cookies_secure_and_sends_hsts(tmp_path: Path) -> None:
    with _client(tmp_path, https_only=True) as client:
        response = client.get("/")
    assert response.headers["strict-transport-security"] == HSTS
    cookies = response.headers.get_list("set-cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)
    assert all(cookie.count("Secure") == 1 for cookie in cookies)


def test_without_https_only_there_is_no_hsts(client: TestClient) -> None:
    response = client.get("/")
    assert "strict-transport-security" not in response.headers
    assert "server" not in response.headers


# --- stream tokens bound to their session ----------------------------------------------


def test_a_stream_token_copied_to_another_browser_is_refused(client: TestClient) -> None:
    pending = client.post(
        "/", data={"csrf_token": _csrf(client), "question": "what is early help"}, headers=HX
    ).text
    match = re.search(r'sse-connect="(/chat/stream/[^"]+)"', pending)
    assert match
    with TestClient(client.app) as stranger:
        assert stranger.get(match.group(1)).status_code == 404
    with client.stream("GET", match.group(1)) as response:
        assert response.status_code == 200
        assert "event: done" in "".join(response.iter_text())
