"""Access control with ``ASSISTANT_AUTH__MODE=proxy`` (issue #12, item 5): every route
needs its role, identity comes only from a trusted proxy, refusals are audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from assistant.audit import AccessAudit
from assistant.server import admin, api, evaluations, observability, pages, swagger
from assistant.server.access import POLICY, required_role
from assistant.server.app import create_app
from assistant.server.identity import Role
from assistant.server.startup import UnsafeSettingsError, check_startup
from assistant.settings import AuthSettings, Settings
from tests.fakes import FakeAssistant
from tests.support import sqlite_bytes

PROXY = ("127.0.0.1", 50123)
GROUP_ROLES = {
    "lambeth-practitioners": ["practitioner"],
    "ld-team": ["practitioner", "evaluator"],
    "audit": ["auditor"],
}


def _settings(tmp_path: Path, **auth: object) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        evals_dir=tmp_path / "evals",
        secret_key="access-test",
        enable_evaluations_page=True,
        auth=AuthSettings(mode="proxy", group_roles=GROUP_ROLES, **auth),  # type: ignore[arg-type]
    )


def _app(settings: Settings) -> FastAPI:
    fake = FakeAssistant(settings)
    fake.load()
    return create_app(settings, assistant=fake)


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return _app(_settings(tmp_path))


@pytest.fixture
def proxy(app: FastAPI) -> Iterator[TestClient]:
    """Requests arriving from the trusted reverse proxy on 127.0.0.1."""
    with TestClient(app, client=PROXY) as client:
        yield client


def signed_in(email: str, *groups: str) -> dict[str, str]:
    return {"X-Forwarded-Email": email, "X-Forwarded-Groups": ",".join(groups)}


PRACTITIONER = signed_in("nurse@lambeth.example", "lambeth-practitioners")


# --- the done-when ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/api/search?q=lado", None), ("POST", "/api/ask", {"question": "what is lado"})],
)
def test_no_forwarded_email_is_401_and_with_it_200(
    proxy: TestClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    anonymous = proxy.request(method, path, json=body)
    assert anonymous.status_code == 401
    assert "Sign in" in anonymous.json()["detail"]
    assert proxy.request(method, path, json=body, headers=PRACTITIONER).status_code == 200


def test_headers_from_an_untrusted_address_are_ignored(app: FastAPI) -> None:
    with TestClient(app, client=("10.20.30.40", 5555)) as outsider:
        response = outsider.get("/api/search", params={"q": "lado"}, headers=PRACTITIONER)
    assert response.status_code == 401


def test_trusted_proxies_may_be_networks(tmp_path: Path) -> None:
    app = _app(_settings(tmp_path, trusted_proxies=["10.0.0.0/8"]))
    with TestClient(app, client=("10.1.2.3", 5555)) as inside:
        assert inside.get("/api/search?q=lado", headers=PRACTITIONER).status_code == 200
    with TestClient(app, client=PROXY) as loopback:  # no longer trusted
        assert loopback.get("/api/search?q=lado", headers=PRACTITIONER).status_code == 401


def test_a_page_without_identity_gets_the_sign_in_page(proxy: TestClient) -> None:
    response = proxy.get("/")
    assert response.status_code == 401
    assert "<html" in response.text and "Sign in to continue" in response.text
    assert "call 999" in response.text


def test_probes_and_assets_need_no_identity(proxy: TestClient) -> None:
    assert proxy.get("/healthz").status_code == 200
    assert proxy.get("/readyz").status_code == 200
    assert proxy.get("/static/css/app.css").status_code == 200


def test_a_missing_role_is_403_and_audited_without_content(proxy: TestClient, app: FastAPI) -> None:
    response = proxy.get("/evaluations?q=Jayden", headers=PRACTITIONER)
    assert response.status_code == 403
    assert "evaluator role" in response.text
    audit: AccessAudit = app.state.access_audit
    (event,) = audit.events()
    assert (event.actor, event.action, event.target, event.outcome) == (
        "nurse@lambeth.example",
        "denied",
        "/evaluations",
        "refused",
    )
    assert "Jayden" not in sqlite_bytes(audit.path).decode("utf-8", "replace")


def test_groups_named_like_a_role_grant_it(proxy: TestClient) -> None:
    headers = signed_in("dsl@school.example", "evaluator")
    assert proxy.get("/evaluations", headers=headers).status_code == 200
    assert proxy.get("/api/search?q=lado", headers=headers).status_code == 403


def test_rate_limits_key_on_the_person_behind_the_proxy(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings = settings.model_copy(
        update={"rate_limit": settings.rate_limit.model_copy(update={"search_per_minute": 2})}
    )
    with TestClient(_app(settings), client=PROXY) as client:
        for _ in range(2):
            client.get("/api/search?q=lado", headers=PRACTITIONER)
        assert client.get("/api/search?q=lado", headers=PRACTITIONER).status_code == 429
        other = signed_in("teacher@school.example", "lambeth-practitioners")
        assert client.get("/api/search?q=lado", headers=other).status_code == 200


# --- every route has its role ---------------------------------------------------------------


def _routes() -> list[tuple[str, str]]:
    """Every route of every router the app includes, so a new one is tested too."""
    routes = []
    for route in [
        *api.router.routes,
        *pages.router.routes,
        *evaluations.router.routes,
        *swagger.router.routes,
        *admin.router.routes,
        *observability.router.routes,
    ]:
        if isinstance(route, APIRoute):
            path = re.sub(r"\{[^}]+\}", "x", route.path)
            for method in sorted(route.methods - {"HEAD"}):
                routes.append((method, path))
    return routes


ROUTES = _routes()
ROLE_HEADERS = {
    Role.PRACTITIONER: signed_in("p@x.example", "lambeth-practitioners"),
    Role.EVALUATOR: signed_in("e@x.example", "evaluator"),
    Role.AUDITOR: signed_in("a@x.example", "audit"),
    Role.CONTENT_ADMIN: signed_in("c@x.example", "content_admin"),
    Role.OPERATOR: signed_in("o@x.example", "operator"),
}


def _access_refusal(text: str) -> bool:
    return "Sign in through your organisation" in text or "role. Ask your administrator" in text


def test_the_route_list_is_not_empty() -> None:
    assert len(ROUTES) > 15 and ("POST", "/api/ask") in ROUTES


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_each_route_needs_its_role(proxy: TestClient, method: str, path: str) -> None:
    role = required_role(path)
    if role is None:
        assert proxy.request(method, path).status_code not in (401, 403)
        return
    assert proxy.request(method, path).status_code == 401
    for other, headers in ROLE_HEADERS.items():
        response = proxy.request(method, path, headers=headers)
        if other == role:
            assert not _access_refusal(response.text), response.text[:300]
        else:
            assert response.status_code == 403 and _access_refusal(response.text)


def test_the_policy_falls_back_to_practitioner_for_new_routes() -> None:
    assert required_role("/some/new/page") == Role.PRACTITIONER
    assert required_role("/evaluations/feedback/draft") == Role.AUDITOR
    assert required_role("/evaluations/run-1/report.html") == Role.EVALUATOR
    assert ("/", Role.PRACTITIONER) in POLICY
    assert required_role("/metrics") == Role.OPERATOR


# --- /metrics for a scraper ------------------------------------------------------------------


def test_a_listed_scraper_reads_metrics_without_signing_in_and_nothing_else(
    tmp_path: Path,
) -> None:
    app = _app(_settings(tmp_path, metrics_scrapers=["10.9.8.0/24"]))
    with TestClient(app, client=("10.9.8.7", 5555)) as scraper:
        assert scraper.get("/metrics").status_code == 200
        assert scraper.get("/api/search?q=lado").status_code == 401
        assert scraper.get("/metrics", headers=PRACTITIONER).status_code == 200
    with TestClient(app, client=("10.9.9.1", 5555)) as unlisted:
        assert unlisted.get("/metrics").status_code == 401


def test_a_scraper_address_that_is_the_proxy_grants_nothing(tmp_path: Path) -> None:
    """Everyone's requests come from the proxy's address: listing it must not open /metrics."""
    app = _app(_settings(tmp_path, metrics_scrapers=["127.0.0.1"]))
    with TestClient(app, client=PROXY) as through_proxy:
        assert through_proxy.get("/metrics").status_code == 401
        assert through_proxy.get("/metrics", headers=PRACTITIONER).status_code == 403
        operator = signed_in("ops@x.example", "operator")
        assert through_proxy.get("/metrics", headers=operator).status_code == 200


# --- start-up ----------------------------------------------------------------------------------


def test_no_sign_in_is_refused_on_a_network_bind(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, host="0.0.0.0", secret_key="long-random-value")
    with pytest.raises(UnsafeSettingsError, match="ASSISTANT_AUTH__MODE"):
        check_startup(settings)
    proxied = settings.model_copy(update={"auth": AuthSettings(mode="proxy")})
    check_startup(proxied)  # behind a proxy it may listen on the network


def test_the_nav_shows_only_what_the_person_may_open(proxy: TestClient) -> None:
    practitioner = proxy.get("/sources", headers=PRACTITIONER).text
    assert 'href="/evaluations"' not in practitioner
    assert 'href="/admin/controls"' not in practitioner
    both = signed_in("lead@x.example", "ld-team", "content_admin")
    page = proxy.get("/sources", headers=both).text
    assert 'href="/evaluations"' in page and 'href="/admin/controls"' in page
