"""Security headers and CSRF: every response, every POST."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from assistant.server import api, pages, swagger
from assistant.server.app import create_app
from assistant.server.security import CSP, CsrfSigner, security_headers
from assistant.settings import Settings
from tests.fakes import FakeAssistant


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path, secret_key="unit-test")
    fake = FakeAssistant(settings)
    fake.load()
    with TestClient(create_app(settings, assistant=fake)) as c:
        yield c


def _token(client: TestClient) -> str:
    client.cookies.set("assistant_ack", "1")
    page = client.get("/")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_csp_forbids_inline_script_framing_and_other_origins() -> None:
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP and "http" not in CSP


def test_pages_and_api_are_not_cached_but_static_files_may_be() -> None:
    assert security_headers("/")["cache-control"] == "no-store"
    assert security_headers("/api/ask")["cache-control"] == "no-store"
    assert "cache-control" not in security_headers("/static/css/app.css")


@pytest.mark.parametrize("path", ["/", "/api/sources", "/healthz", "/static/css/app.css", "/nope"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style_and_no_external_urls(client: TestClient) -> None:
    client.cookies.set("assistant_ack", "1")
    for path in ("/", "/sources", "/about", "/accessibility", "/thresholds"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r'(src|href)="https?://', html), path


def test_csrf_cookie_is_httponly_and_strict(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_every_post_route_is_protected(client: TestClient) -> None:
    """Walks the app's routes so a new POST without CSRF protection fails this test."""
    routes = [*api.router.routes, *pages.router.routes, *swagger.router.routes]
    posts = [r.path for r in routes if isinstance(r, APIRoute) and "POST" in r.methods]
    assert set(posts) >= {
        "/",
        "/acknowledge",
        "/feedback",
        "/api/ask",
        "/api/ask/stream",
        "/api/feedback",
    }
    client.get("/")  # has a nonce cookie, but no token
    for path in posts:
        if path.startswith("/api/"):
            cross = client.post(path, json={}, headers={"sec-fetch-site": "cross-site"})
            form = client.post(path, data={"question": "x"})
            assert cross.status_code == 403, path
            assert form.status_code == 415, path
        else:
            response = client.post(path, data={"question": "x", "answer_id": "a"})
            assert response.status_code == 403, path


def test_form_post_with_valid_token_is_accepted(client: TestClient) -> None:
    token = _token(client)
    ok = client.post("/", data={"csrf_token": token, "question": "How do I refer?"})
    assert ok.status_code == 200
    forged = client.post("/", data={"csrf_token": token + "x", "question": "How do I refer?"})
    assert forged.status_code == 403
    cross = client.post(
        "/", data={"csrf_token": token, "question": "q"}, headers={"sec-fetch-site": "cross-site"}
    )
    assert cross.status_code == 403


def test_token_from_another_visitor_is_rejected() -> None:
    signer = CsrfSigner("k")
    assert signer.is_valid(signer.token_for("nonce-a"), "nonce-a")
    assert not signer.is_valid(signer.token_for("nonce-a"), "nonce-b")
    assert not CsrfSigner("other").is_valid(signer.token_for("nonce-a"), "nonce-a")
    assert not signer.is_valid(None, "nonce-a")


def test_docs_use_vendored_swagger_not_a_cdn(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
