"""Security headers and CSRF protection.

Headers: a strict Content-Security-Policy (no inline script, no third-party origin,
``frame-ancestors 'none'``) on every response, and ``no-store`` on anything that may carry
a question or an answer. The one exception to the CSP is an evaluation report (a
self-contained file with an inline filter script), served sandboxed with ``REPORT_CSP``.

CSRF: every POST is protected. HTML forms carry a token signed with ``settings.secret_key``
that must match a random nonce in an HttpOnly SameSite=Strict cookie (signed double
submit). JSON API POSTs must be ``application/json`` (which a cross-site form cannot send
without a CORS preflight this app never grants) and must not come from another site
according to ``Sec-Fetch-Site`` / ``Origin``.
"""

from __future__ import annotations

import re
import secrets
from http.cookies import SimpleCookie
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "assistant_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSRF_MAX_AGE_S = 12 * 60 * 60

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "manifest-src 'self'",
    ]
)
"""The policy for every page. No inline script or style, nothing from another origin."""

DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
"""Swagger UI sets inline styles; script stays 'self' only."""

REPORT_CSP = "; ".join(
    [
        "sandbox allow-scripts",
        "default-src 'none'",
        "script-src 'unsafe-inline'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
"""For the self-contained evaluation reports only: their one inline filter script and inline
styles may run, but in a sandbox (an opaque origin: no cookies, no same-origin requests) and
with nothing loaded from anywhere, so a report can never act as the app."""

_REPORT_PATH = re.compile(r"^/evaluations/[^/]+/(report|compare)\.html$")

BASE_HEADERS: dict[str, str] = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def content_security_policy(path: str, status_code: int = 200) -> str:
    """The app-wide CSP, except Swagger UI and a successfully served evaluation report."""
    if path.startswith("/docs"):
        return DOCS_CSP
    if status_code == 200 and _REPORT_PATH.match(path):
        return REPORT_CSP
    return CSP


def security_headers(path: str, status_code: int = 200) -> dict[str, str]:
    """The headers for a response to ``path`` (pure, so it can be unit-tested)."""
    headers = dict(BASE_HEADERS)
    headers["content-security-policy"] = content_security_policy(path, status_code)
    if not path.startswith("/static/"):
        # Pages and API responses may contain questions and answers: never cache them.
        headers["cache-control"] = "no-store"
    return headers


def _cookie_value(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookie
                return None
            if name in jar:
                return jar[name].value
    return None


HSTS = "max-age=31536000; includeSubDomains"
"""Sent only with ``https_only`` (ASSISTANT_HTTPS_ONLY): browsers then refuse plain HTTP."""


def _secure_cookie(value: bytes) -> bytes:
    """A ``Set-Cookie`` value with the ``Secure`` attribute (added once)."""
    attributes = [part.strip().lower() for part in value.split(b";")[1:]]
    return value if b"secure" in attributes else value + b"; Secure"


class SecurityMiddleware:
    """Adds the security headers and makes sure every visitor has a CSRF nonce cookie.

    With ``https_only`` every cookie the app sets is ``Secure`` and responses carry HSTS.
    No response carries a ``Server`` header (``assistant serve`` also turns off uvicorn's).
    """

    def __init__(self, app: ASGIApp, *, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        nonce = _cookie_value(scope, CSRF_COOKIE)
        new_cookie: str | None = None
        if not nonce and not path.startswith("/static/"):
            nonce = secrets.token_urlsafe(24)
            secure = "; Secure" if self.https_only or scope.get("scheme") == "https" else ""
            new_cookie = f"{CSRF_COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Strict{secure}"
        scope.setdefault("state", {})["csrf_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = security_headers(path, int(message.get("status", 200)))
                if self.https_only:
                    extra["strict-transport-security"] = HSTS
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in extra and k.lower() != b"server"
                ]
                headers += [(k.encode(), v.encode()) for k, v in extra.items()]
                if new_cookie:
                    headers.append((b"set-cookie", new_cookie.encode("latin-1")))
                if self.https_only:
                    headers = [
                        (k, _secure_cookie(v) if k.lower() == b"set-cookie" else v)
                        for k, v in headers
                    ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfSigner:
    """Signs the per-visitor nonce into the token forms carry."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="csrf")

    def token_for(self, nonce: str) -> str:
        return self._serializer.dumps(nonce)

    def is_valid(self, token: str | None, nonce: str | None) -> bool:
        if not token or not nonce:
            return False
        try:
            signed_nonce = self._serializer.loads(token, max_age=CSRF_MAX_AGE_S)
        except BadSignature:
            return False
        return secrets.compare_digest(str(signed_nonce), nonce)


def csrf_nonce(request: Request) -> str:
    return str(getattr(request.state, "csrf_nonce", "") or "")


def csrf_token(request: Request) -> str:
    """The token to put in this visitor's forms."""
    signer: CsrfSigner = request.app.state.csrf
    return signer.token_for(csrf_nonce(request))


def _cross_site(request: Request) -> bool:
    """True when the browser says the request came from another site.

    ``Sec-Fetch-Site`` decides when present. ``Origin`` is the fallback for older
    browsers; ``Origin: null`` (privacy-preserving browsers) is left to the token check.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site:
        return fetch_site == "cross-site"
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return origin.split("://", 1)[-1] != request.headers.get("host", "")
    return False


async def require_form_csrf(
    request: Request, csrf_field: Annotated[str | None, Form(alias=CSRF_FIELD)] = None
) -> None:
    """Dependency for HTML form POSTs: the signed token must match the cookie nonce."""
    signer: CsrfSigner = request.app.state.csrf
    token = request.headers.get(CSRF_HEADER) or csrf_field
    if _cross_site(request) or not signer.is_valid(token, csrf_nonce(request)):
        raise HTTPException(
            status_code=403,
            detail="This form has expired or did not come from this site. "
            "Reload the page and try again.",
        )


async def require_json_post(request: Request) -> None:
    """Dependency for JSON API POSTs: same-site JSON only."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if _cross_site(request):
        raise HTTPException(status_code=403, detail="Cross-site requests are not allowed.")
    if content_type != "application/json":
        raise HTTPException(
            status_code=415,
            detail="Send the request body as JSON (Content-Type: application/json).",
        )


FormCsrf = Annotated[None, Depends(require_form_csrf)]
JsonPost = Annotated[None, Depends(require_json_post)]
