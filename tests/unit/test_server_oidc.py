"""``ASSISTANT_AUTH__MODE=oidc`` without a provider (issue #12, item 5): the return path
after sign-in, the session's expiry and signature, start-up refusals, the public /auth/*
routes. The whole sign-in against a real provider is ``tests/e2e/test_oidc.py``."""

from __future__ import annotations

import json
import time
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from assistant.server.access import required_role
from assistant.server.app import create_app
from assistant.server.identity import Identity, Role
from assistant.server.oidc import groups_from
from assistant.server.sessions import (
    SESSION_COOKIE,
    identity_from_session,
    safe_next,
    sign_in_path,
    store_identity,
)
from assistant.server.startup import UnsafeSettingsError, check_startup
from assistant.settings import AuthSettings, Settings
from tests.fakes import FakeAssistant

SECRET = "oidc-unit-secret"


def _auth(**overrides: object) -> AuthSettings:
    values: dict[str, object] = {
        "mode": "oidc",
        "oidc_issuer": "http://127.0.0.1:9",  # nothing listens: no provider is contacted
        "oidc_client_id": "assistant",
        "oidc_client_secret": "client-secret",
        "group_roles": {"lambeth-practitioners": ["practitioner"]},
    }
    values.update(overrides)
    return AuthSettings(**values)  # type: ignore[arg-type]


def _settings(tmp_path: Path, **auth: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", secret_key=SECRET, auth=_auth(**auth))


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    settings = _settings(tmp_path)
    fake = FakeAssistant(settings)
    fake.load()
    return create_app(settings, assistant=fake)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def session_cookie(session: dict[str, object], secret: str = SECRET) -> str:
    """What Starlette's SessionMiddleware would set for ``session``."""
    data = b64encode(json.dumps(session).encode())
    return TimestampSigner(secret).sign(data).decode()


def signed_in_session(*, roles: tuple[str, ...] = ("practitioner",), exp: float | None = None):
    return {
        "identity": {
            "sub": "user-1",
            "email": "nurse@lambeth.example",
            "roles": list(roles),
            "exp": int(exp if exp is not None else time.time() + 3600),
        }
    }


# --- where sign-in returns to -------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "/",
        "/sources?q=lado",
        "/sources/doc-1#p-2",
        "/evaluations/run-1/report.html",
    ],
)
def test_same_site_paths_are_kept(value: str) -> None:
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "https://evil.example/",
        "http:/evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "sources",
        "/sources\r\nSet-Cookie: x=1",
        "/\tevil",
        "/auth/login?next=/",
        "/auth/callback?code=x",
        "/" + "a" * 3000,
    ],
)
def test_anything_else_returns_to_the_start(value: str | None) -> None:
    assert safe_next(value) == "/"


def test_the_sign_in_link_carries_a_safe_next() -> None:
    assert sign_in_path("/sources?q=lado") == "/auth/login?next=/sources%3Fq%3Dlado"
    assert sign_in_path("//evil.example") == "/auth/login?next=/"


def test_groups_claim_as_list_or_string() -> None:
    assert groups_from(["a", " b ", "", 3]) == ["a", "b"]
    assert groups_from("a, b") == ["a", "b"]
    assert groups_from(None) == [] and groups_from({"a": 1}) == []


# --- the session ----------------------------------------------------------------------------


def test_a_session_identity_lasts_until_its_expiry() -> None:
    session: dict[str, object] = {}
    identity = Identity(subject="user-1", email="n@x.example", roles=frozenset({Role.PRACTITIONER}))
    store_identity(session, identity, max_age_s=60, now=1000.0)
    restored = identity_from_session(session, now=1059.0)
    assert restored is not None
    assert (restored.subject, restored.email, restored.roles, restored.source) == (
        "user-1",
        "n@x.example",
        frozenset({Role.PRACTITIONER}),
        "oidc",
    )
    assert identity_from_session(session, now=1060.0) is None
    assert "identity" not in session  # an expired sign-in is removed


@pytest.mark.parametrize(
    "data",
    [
        None,
        "user-1",
        {"sub": "user-1"},
        {"sub": "", "exp": 10**12},
        {"sub": "user-1", "exp": "never"},
    ],
)
def test_a_malformed_session_is_no_identity(data: object) -> None:
    assert identity_from_session({"identity": data}, now=0) is None
    assert identity_from_session(None) is None


def test_unknown_roles_in_a_session_are_dropped() -> None:
    session = {"identity": {"sub": "u", "roles": ["auditor", "root"], "exp": 10**12}}
    identity = identity_from_session(session, now=0)
    assert identity is not None and identity.roles == frozenset({Role.AUDITOR})


def test_no_session_is_the_sign_in_page_with_a_sign_in_link(client: TestClient) -> None:
    response = client.get("/sources?q=lado")
    assert response.status_code == 401
    assert "Sign in to continue" in response.text
    assert 'href="/auth/login?next=/sources%3Fq%3Dlado"' in response.text
    api = client.get("/api/search?q=lado")
    assert api.status_code == 401 and "Sign in" in api.json()["detail"]


def test_a_signed_session_is_signed_in(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, session_cookie(signed_in_session()))
    assert client.get("/api/search?q=lado").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and 'id="sign-out"' in page.text
    assert client.get("/evaluations").status_code in (403, 404)  # no evaluator role


@pytest.mark.parametrize(
    "cookie",
    [
        session_cookie(signed_in_session(exp=time.time() - 1)),  # expired sign-in
        session_cookie(signed_in_session(), secret="another-secret"),  # forged
        session_cookie(signed_in_session())[:-4] + "AAAA",  # tampered signature
        "not-a-session",
    ],
)
def test_an_expired_or_tampered_session_is_401(client: TestClient, cookie: str) -> None:
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/api/search?q=lado").status_code == 401
    assert client.get("/").status_code == 401


def test_logout_needs_the_form_token(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, session_cookie(signed_in_session()))
    assert client.post("/auth/logout").status_code == 403
    assert client.get("/api/search?q=lado").status_code == 200  # still signed in


def test_an_unreachable_provider_is_a_clear_503(client: TestClient) -> None:
    response = client.get("/auth/login?next=/sources", follow_redirects=False)
    assert response.status_code == 503
    assert "sign-in service cannot be reached" in response.text


def test_a_callback_without_a_sign_in_in_progress_is_refused(client: TestClient) -> None:
    response = client.get("/auth/callback?code=abc&state=forged", follow_redirects=False)
    assert response.status_code == 401
    assert "Signing in did not complete" in response.text


# --- routes and start-up ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/auth/login", "/auth/callback", "/auth/logout", "/auth/signed-out"]
)
def test_the_sign_in_routes_are_public(path: str) -> None:
    assert required_role(path) is None


def test_signed_out_page_needs_no_sign_in(client: TestClient) -> None:
    response = client.get("/auth/signed-out")
    assert response.status_code == 200 and "You have signed out" in response.text


def test_the_auth_routes_exist_only_in_oidc_mode(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key=SECRET)
    fake = FakeAssistant(settings)
    fake.load()
    with TestClient(create_app(settings, assistant=fake)) as plain:
        assert plain.get("/auth/signed-out").status_code == 404
        assert SESSION_COOKIE not in plain.get("/").headers.get("set-cookie", "")


@pytest.mark.parametrize(
    ("missing", "variable"),
    [
        ("oidc_issuer", "ASSISTANT_AUTH__OIDC_ISSUER"),
        ("oidc_client_id", "ASSISTANT_AUTH__OIDC_CLIENT_ID"),
        ("oidc_client_secret", "ASSISTANT_AUTH__OIDC_CLIENT_SECRET"),
    ],
)
def test_oidc_without_its_provider_settings_refuses_to_start(
    tmp_path: Path, missing: str, variable: str
) -> None:
    settings = _settings(tmp_path, **{missing: None})
    with pytest.raises(UnsafeSettingsError, match=variable):
        check_startup(settings)
    with pytest.raises(UnsafeSettingsError, match=variable):
        create_app(settings, assistant=FakeAssistant(settings))


def test_oidc_with_the_default_secret_key_refuses_to_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, auth=_auth())
    with pytest.raises(UnsafeSettingsError, match="ASSISTANT_SECRET_KEY"):
        check_startup(settings)
    check_startup(_settings(tmp_path, oidc_client_secret="x"))  # complete settings start


def test_oidc_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_AUTH__MODE", "oidc")
    monkeypatch.setenv("ASSISTANT_AUTH__OIDC_ISSUER", "https://login.example.org")
    monkeypatch.setenv("ASSISTANT_AUTH__OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("ASSISTANT_AUTH__SESSION_MAX_AGE_S", "3600")
    auth = Settings().auth
    assert auth.mode == "oidc" and auth.oidc_issuer == "https://login.example.org"
    assert auth.oidc_client_secret is not None
    assert auth.oidc_client_secret.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(auth)
    assert auth.session_max_age_s == 3600 and auth.oidc_groups_claim == "groups"
