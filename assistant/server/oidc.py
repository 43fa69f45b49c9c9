"""Sign-in with an OpenID provider (``ASSISTANT_AUTH__MODE=oidc``), with Authlib.

- ``GET /auth/login?next=/path``: remembers where to return (a same-site path only, see
  ``sessions.safe_next``) and redirects to the provider: authorisation code with ``state``,
  ``nonce`` and PKCE (S256).
- ``GET /auth/callback``: exchanges the code, validates the ID token (signature, issuer,
  audience, expiry, nonce), reads ``email`` and the groups claim (from the ID token, else
  from the userinfo endpoint), maps groups to roles (``access.roles_for``) and keeps the
  identity in the signed session cookie until ``session_max_age_s`` after sign-in.
- ``POST /auth/logout`` (CSRF-protected): clears the session; when the provider has an
  ``end_session_endpoint`` the browser is sent there (by a page that refreshes to it: the
  CSP's ``form-action 'self'`` forbids a form's redirect to another site), which returns
  to ``GET /auth/signed-out``.

Sign-ins and sign-outs are access events (the actor only; never a token or a claim).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from assistant.audit import AccessAudit, AccessEvent, Action, actor_name
from assistant.server.access import AccessDenied, roles_for
from assistant.server.identity import Identity
from assistant.server.security import FormCsrf
from assistant.server.sessions import (
    NEXT_KEY,
    identity_from_session,
    safe_next,
    session_of,
    store_identity,
)
from assistant.server.templating import base_context
from assistant.settings import AuthSettings

log = logging.getLogger(__name__)

router = APIRouter(prefix="/auth", include_in_schema=False)

CLIENT_NAME = "oidc"
MAX_GROUPS = 200
FAILED = (
    "Signing in did not complete. Try again from the start; if it keeps happening, ask "
    "your administrator. If a child is in immediate danger, call 999."
)
UNREACHABLE = (
    "The sign-in service cannot be reached at the moment. Try again in a few minutes. "
    "If a child is in immediate danger, call 999."
)


def make_oauth(auth: AuthSettings) -> OAuth:
    """The Authlib registry with the one provider (metadata is fetched on first use)."""
    if not (auth.oidc_issuer and auth.oidc_client_id and auth.oidc_client_secret):
        raise ValueError("oidc mode needs oidc_issuer, oidc_client_id and oidc_client_secret")
    oauth = OAuth()
    oauth.register(
        name=CLIENT_NAME,
        client_id=auth.oidc_client_id,
        client_secret=auth.oidc_client_secret.get_secret_value(),
        server_metadata_url=auth.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": auth.oidc_scopes, "code_challenge_method": "S256"},
    )
    return oauth


def _client(request: Request) -> Any:
    return getattr(request.app.state.oauth, CLIENT_NAME)


def _auth(request: Request) -> AuthSettings:
    auth: AuthSettings = request.app.state.settings.auth
    return auth


def _absolute(request: Request, path: str) -> str:
    base = _auth(request).oidc_redirect_base or str(request.base_url)
    return base.rstrip("/") + path


def _session(request: Request) -> dict[str, Any]:
    session = session_of(request)
    if session is None:  # only when the app was built without oidc mode's middleware
        raise AccessDenied(401, FAILED, title="Sign-in did not complete")
    return session  # type: ignore[return-value]


def _record(request: Request, actor: str, action: Action, target: str) -> None:
    audit = getattr(request.app.state, "access_audit", None)
    if isinstance(audit, AccessAudit):
        audit.record(AccessEvent(actor=actor_name(actor), action=action, target=target))


def groups_from(value: object) -> list[str]:
    """The groups claim as a list of names (a list, or one comma-separated string)."""
    if isinstance(value, str):
        items: list[object] = list(value.split(","))
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return []
    return [g.strip() for g in items if isinstance(g, str) and g.strip()][:MAX_GROUPS]


@router.get("/login")
async def login(request: Request, next: str | None = None) -> Response:
    session = _session(request)
    for key in [k for k in session if k.startswith(f"_state_{CLIENT_NAME}_")]:
        del session[key]  # earlier, abandoned sign-ins
    session[NEXT_KEY] = safe_next(next)
    try:
        response: Response = await _client(request).authorize_redirect(
            request, _absolute(request, "/auth/callback")
        )
    except Exception as error:  # the provider's metadata could not be read
        log.warning("OIDC sign-in could not start: %s", type(error).__name__)
        raise AccessDenied(503, UNREACHABLE, title="Sign-in is not available") from None
    return response


async def _claims(request: Request, token: dict[str, Any]) -> dict[str, Any]:
    """The validated ID token's claims, completed from the userinfo endpoint if needed."""
    claims = dict(token.get("userinfo") or {})
    auth = _auth(request)
    if not claims.get("sub"):
        raise ValueError("no validated ID token")
    if auth.oidc_groups_claim in claims and "email" in claims:
        return claims
    client = _client(request)
    metadata = await client.load_server_metadata()
    if metadata.get("userinfo_endpoint"):
        extra = dict(await client.userinfo(token=token))
        if extra.get("sub") == claims["sub"]:  # OIDC Core 5.3.2: must match, else ignored
            for key, value in extra.items():
                claims.setdefault(key, value)
    return claims


@router.get("/callback")
async def callback(request: Request) -> Response:
    session = _session(request)
    auth = _auth(request)
    try:
        token = await _client(request).authorize_access_token(request)
        claims = await _claims(request, token)
    except Exception as error:  # bad state, refused consent, invalid token, network
        log.warning("OIDC sign-in failed: %s", type(error).__name__)
        raise AccessDenied(401, FAILED, title="Sign-in did not complete") from None
    email = claims.get("email")
    identity = Identity(
        subject=str(claims["sub"]),
        email=email if isinstance(email, str) else None,
        roles=roles_for(groups_from(claims.get(auth.oidc_groups_claim)), auth),
        source="oidc",
    )
    next_path = safe_next(session.get(NEXT_KEY))
    session.clear()  # a new session for the signed-in person
    store_identity(session, identity, auth.session_max_age_s, time.time())
    _record(request, identity.email or identity.subject, "signed_in", "/auth/callback")
    return RedirectResponse(next_path, status_code=303)


@router.post("/logout")
async def logout(request: Request, _csrf: FormCsrf) -> Response:
    session = _session(request)
    identity = identity_from_session(session)
    session.clear()
    if identity is not None:
        _record(request, identity.email or identity.subject, "signed_out", "/auth/logout")
    end_session_url: str | None = None
    try:
        client = _client(request)
        metadata = await client.load_server_metadata()
        if metadata.get("end_session_endpoint"):
            result = await client.create_logout_url(
                post_logout_redirect_uri=_absolute(request, "/auth/signed-out"),
                client_id=_auth(request).oidc_client_id,
            )
            end_session_url = str(result["url"])
    except Exception as error:  # signed out here anyway; the provider is told when it can be
        log.warning("OIDC end-session address unavailable: %s", type(error).__name__)
    if end_session_url is None:
        return RedirectResponse("/auth/signed-out", status_code=303)
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(
        request,
        "signed_out.html",
        base_context(request, page_title="Signing you out", end_session_url=end_session_url),
    )
    return page


@router.get("/signed-out")
async def signed_out(request: Request) -> Response:
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(
        request,
        "signed_out.html",
        base_context(request, page_title="You have signed out", end_session_url=None),
    )
    return page
