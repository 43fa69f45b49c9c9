"""The sign-in session of ``ASSISTANT_AUTH__MODE=oidc``: what it holds, when it ends.

Starlette's ``SessionMiddleware`` keeps the session in a cookie signed with
``settings.secret_key`` (itsdangerous), so a changed cookie is no session at all. It holds
the person's subject, e-mail and roles and an absolute expiry (``exp``, from sign-in: the
cookie itself is re-signed on every response, so its own age would never run out while
the person keeps using the service). Never a token.

Pure functions, so the rules are unit-tested without a provider.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request

from assistant.server.identity import Identity, Role

SESSION_COOKIE = "assistant_session"
IDENTITY_KEY = "identity"
NEXT_KEY = "next"
MAX_NEXT_CHARS = 2000

Session = MutableMapping[str, Any]


def session_of(request: Request) -> Session | None:
    """The request's session, or None when no ``SessionMiddleware`` is installed."""
    session = request.scope.get("session")
    return session if isinstance(session, MutableMapping) else None


def safe_next(value: str | None) -> str:
    """A same-site path to return to after sign-in; ``/`` for anything else.

    Only a relative path (``/sources?q=x``) is kept: never a URL with a scheme or a host,
    nor ``//host`` or ``/\\host`` (browsers read both as another site), nor control
    characters, nor the sign-in routes themselves (a loop).
    """
    if not value or len(value) > MAX_NEXT_CHARS:
        return "/"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "/"
    if not value.startswith("/") or value.startswith(("//", "/\\")) or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    if parts.path.startswith("/auth/") or parts.path == "/auth":
        return "/"
    return value


def sign_in_path(next_path: str) -> str:
    """The sign-in link that returns to ``next_path`` afterwards."""
    return "/auth/login?next=" + quote(safe_next(next_path), safe="/")


def store_identity(session: Session, identity: Identity, max_age_s: int, now: float) -> None:
    session[IDENTITY_KEY] = {
        "sub": identity.subject,
        "email": identity.email,
        "roles": sorted(role.value for role in identity.roles),
        "exp": int(now) + max_age_s,
    }


def identity_from_session(session: Session | None, now: float | None = None) -> Identity | None:
    """The signed-in identity, or None: no session, a malformed one, or past ``exp``
    (an expired sign-in is removed from the session)."""
    if session is None:
        return None
    data = session.get(IDENTITY_KEY)
    if not isinstance(data, dict):
        return None
    exp, subject = data.get("exp"), data.get("sub")
    if not isinstance(exp, int) or not isinstance(subject, str) or not subject:
        session.pop(IDENTITY_KEY, None)
        return None
    if (time.time() if now is None else now) >= exp:
        session.pop(IDENTITY_KEY, None)
        return None
    known = {role.value: role for role in Role}
    raw_roles = data.get("roles")
    roles = frozenset(
        known[r] for r in (raw_roles if isinstance(raw_roles, list) else []) if r in known
    )
    email = data.get("email")
    return Identity(
        subject=subject,
        email=email if isinstance(email, str) else None,
        roles=roles,
        source="oidc",
    )
