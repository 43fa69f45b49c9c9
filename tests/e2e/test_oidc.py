"""``ASSISTANT_AUTH__MODE=oidc`` end to end: a real OpenID provider (npm ``oidc-provider``,
``tests/oidc/provider.js``) and the app (the fake facade) on 127.0.0.1, driven by Chromium
through the sign-in page, the provider's login and consent pages, the signed-in app and
sign-out (also at the provider). Skipped only when Node.js is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DESKTOP, REPO, _free_port, screenshot
from tests.support import stop_process, wait_until_ready

PROVIDER_DIR = REPO / "tests" / "oidc"
NODE = shutil.which("node")
CLIENT_ID = "assistant-e2e"
CLIENT_SECRET = "assistant-e2e-client-secret"
LOGIN = "nurse@lambeth.example"

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (CI has it)")


@dataclass
class Stack:
    app_url: str
    provider_url: str
    data_dir: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is not installed: run `npm ci --prefix tests/oidc`")
    app_port, provider_port = _free_port(), _free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    provider_url = f"http://127.0.0.1:{provider_port}"
    logs = tmp_path_factory.mktemp("oidc-logs")
    data_dir = tmp_path_factory.mktemp("oidc-data")
    provider_env = {
        **os.environ,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{app_url}/auth/callback",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{app_url}/auth/signed-out",
        "OIDC_GROUPS": "lambeth-practitioners,staff",
    }
    app_env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_SECRET_KEY": "e2e-oidc-secret",
        "ASSISTANT_AUTH__MODE": "oidc",
        "ASSISTANT_AUTH__OIDC_ISSUER": provider_url,
        "ASSISTANT_AUTH__OIDC_CLIENT_ID": CLIENT_ID,
        "ASSISTANT_AUTH__OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "ASSISTANT_AUTH__OIDC_SCOPES": "openid email profile groups",
        "ASSISTANT_AUTH__GROUP_ROLES": '{"lambeth-practitioners": ["practitioner"]}',
        "PYTHONPATH": str(REPO),
    }
    provider_log, app_log = logs / "provider.log", logs / "uvicorn.log"
    with provider_log.open("wb") as plog:
        provider = subprocess.Popen(
            [str(NODE), "provider.js", str(provider_port)],
            cwd=PROVIDER_DIR,
            env=provider_env,
            stdout=plog,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_ready(f"{provider_url}/.well-known/openid-configuration", provider, provider_log)
        with app_log.open("wb") as alog:
            app = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "tests.e2e.fake_app:create_fake_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(app_port),
                    "--no-access-log",
                ],
                cwd=REPO,
                env=app_env,
                stdout=alog,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_ready(f"{app_url}/readyz", app, app_log)
            yield Stack(app_url, provider_url, data_dir)
        finally:
            stop_process(app)
    finally:
        stop_process(provider)


def _new_page(browser: Any, stack: Stack) -> tuple[Any, Any]:
    context = browser.new_context(base_url=stack.app_url, viewport=DESKTOP)
    context.add_cookies([{"name": "assistant_ack", "value": "1", "url": stack.app_url}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _sign_in(page: Any, stack: Stack) -> None:
    """From the app's 401 page through the provider's login and consent pages."""
    response = page.goto("/sources?q=lado")
    assert response.status == 401
    assert "Sign in to continue" in page.locator("h1").inner_text()
    page.click("#sign-in")
    page.wait_for_url(lambda url: url.startswith(stack.provider_url))
    page.fill("input[name=login]", LOGIN)
    page.fill("input[name=password]", "any password")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.url.startswith(stack.provider_url):
        page.click("button[type=submit]")  # the consent page: "Continue"
    page.wait_for_url(lambda url: url.startswith(stack.app_url + "/sources"))


def test_sign_in_use_and_sign_out_with_a_real_provider(browser: Any, stack: Stack) -> None:
    context, page = _new_page(browser, stack)
    try:
        _sign_in(page, stack)
        assert page.url == f"{stack.app_url}/sources?q=lado"  # back where the person was
        screenshot(page, "oidc-signed-in-sources")
        home = page.goto("/")
        assert home.status == 200
        assert page.locator("#question").is_visible()
        assert page.locator("#sign-out").is_visible()
        search = page.request.get("/api/search?q=lado")
        assert search.status == 200, search.text()
        # Roles come from the provider's groups claim: no evaluator role → 403.
        assert page.request.get("/evaluations").status == 403

        page.click("#sign-out")
        page.wait_for_url(lambda url: url.startswith(stack.provider_url))
        page.click("button[name=logout]")  # "Yes, sign me out"
        page.wait_for_url(lambda url: url.startswith(f"{stack.app_url}/auth/signed-out"))
        assert "You have signed out" in page.locator("h1").inner_text()
        screenshot(page, "oidc-signed-out")
        again = page.goto("/")
        assert again.status == 401
        assert page.locator("#sign-in").is_visible()
        assert page.request.get("/api/search?q=lado").status == 401
    finally:
        context.close()

    from assistant.audit import AccessAudit

    actions = [
        (e.actor, e.action) for e in AccessAudit(stack.data_dir / "access-audit.sqlite3").events()
    ]
    assert (LOGIN, "signed_in") in actions and (LOGIN, "signed_out") in actions


def test_a_tampered_session_cookie_is_no_sign_in(browser: Any, stack: Stack) -> None:
    context, page = _new_page(browser, stack)
    try:
        _sign_in(page, stack)
        cookies = {c["name"]: c["value"] for c in context.cookies(stack.app_url)}
        session = cookies["assistant_session"]
        assert (
            httpx.get(
                f"{stack.app_url}/api/search?q=lado", cookies={"assistant_session": session}
            ).status_code
            == 200
        )
        payload, _, signature = session.partition(".")
        forged = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
        for bad in (forged, session[:-3] + "xyz", "not-a-session"):
            response = httpx.get(
                f"{stack.app_url}/api/search?q=lado", cookies={"assistant_session": bad}
            )
            assert response.status_code == 401
    finally:
        context.close()
