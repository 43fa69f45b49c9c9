"""Who may reach each part of the service (AA-01..03), as one app-wide dependency.

Every request first gets its identity (``request.state.identity``):

- ``ASSISTANT_AUTH__MODE=none`` (loopback only, refused at start-up elsewhere): nobody is
  signed in and every role is granted; for one person on their own machine.
- ``proxy``: a trusted reverse proxy (oauth2-proxy and the like) signs people in and sends
  ``X-Forwarded-Email`` and ``X-Forwarded-Groups``. The headers are believed only from a
  peer in ``ASSISTANT_AUTH__TRUSTED_PROXIES`` (addresses or networks); from anyone else
  they are ignored, so a client cannot claim an identity by sending them itself.
- ``oidc``: the person signs in with the OpenID provider (``assistant/server/oidc.py``,
  the public ``/auth/*`` routes); the identity is read from the signed session cookie
  until ``session_max_age_s`` after sign-in (``assistant/server/sessions.py``).

Then the path's required role (``POLICY``, the longest matching prefix) is checked: no
identity → 401 (JSON under ``/api``, the sign-in page for pages); a missing role → 403 and
an audit event (who, which path, when; never content). The one exception: a scraper
listed in ``ASSISTANT_AUTH__METRICS_SCRAPERS`` reads ``/metrics`` without an identity.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import HTTPException, Request

from assistant.audit import AccessAudit, AccessEvent, actor_name
from assistant.server.identity import Identity, Role, client_address, current_identity
from assistant.server.sessions import identity_from_session, session_of
from assistant.settings import AuthSettings

EMAIL_HEADER = "x-forwarded-email"
GROUPS_HEADER = "x-forwarded-groups"

POLICY: tuple[tuple[str, Role | None], ...] = (
    ("/healthz", None),
    ("/readyz", None),
    ("/static/", None),
    ("/auth/", None),
    ("/evaluations/feedback", Role.AUDITOR),
    ("/evaluations", Role.EVALUATOR),
    ("/admin", Role.CONTENT_ADMIN),
    ("/metrics", Role.OPERATOR),
    ("/", Role.PRACTITIONER),
)
"""Path prefix → the role it needs (``None``: open to all, for probes and assets)."""


def required_role(path: str) -> Role | None:
    """The role ``path`` needs: the entry with the longest matching prefix."""
    matches = [(prefix, role) for prefix, role in POLICY if path.startswith(prefix)]
    return max(matches, key=lambda m: len(m[0]))[1] if matches else Role.PRACTITIONER


@lru_cache(maxsize=64)
def _networks(
    trusted: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _listed(address: str, entries: list[str]) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in _networks(tuple(entries)))


def is_trusted_proxy(address: str, auth: AuthSettings) -> bool:
    return _listed(address, auth.trusted_proxies)


def is_metrics_scraper(request: Request, role: Role, auth: AuthSettings) -> bool:
    """A listed scraper (``auth.metrics_scrapers``) may read the operator's ``/metrics``
    without signing in, unless its address is a trusted proxy's: every signed-in person's
    requests arrive from that address too."""
    address = client_address(request)
    return (
        role is Role.OPERATOR
        and _listed(address, auth.metrics_scrapers)
        and not is_trusted_proxy(address, auth)
    )


def roles_for(groups: list[str], auth: AuthSettings) -> frozenset[Role]:
    """Roles from group names: ``group_roles`` entries, and groups named like a role."""
    known = {role.value: role for role in Role}
    roles: set[Role] = set()
    for group in groups:
        for name in [*auth.group_roles.get(group, []), group]:
            if name in known:
                roles.add(known[name])
    return frozenset(roles)


def proxy_identity(request: Request, auth: AuthSettings) -> Identity | None:
    """The identity the trusted proxy asserts, or None (no header, or not from a proxy)."""
    if not is_trusted_proxy(client_address(request), auth):
        return None
    email = request.headers.get(EMAIL_HEADER, "").strip()
    if not email or len(email) > 254 or "@" not in email:
        return None
    raw_groups = request.headers.get(GROUPS_HEADER, "")
    groups = [g.strip() for g in raw_groups.split(",") if g.strip()][:100]
    return Identity(subject=email, email=email, roles=roles_for(groups, auth), source="proxy")


def establish_identity(request: Request) -> Identity | None:
    auth: AuthSettings = request.app.state.settings.auth
    identity: Identity | None = None
    if auth.mode == "proxy":
        identity = proxy_identity(request, auth)
    elif auth.mode == "oidc":
        identity = identity_from_session(session_of(request))  # signed cookie; None if expired
    request.state.identity = identity
    return identity


def _audit(request: Request) -> AccessAudit | None:
    audit = getattr(request.app.state, "access_audit", None)
    return audit if isinstance(audit, AccessAudit) else None


def can_open(request: Request, path: str) -> bool:
    """Whether the person making ``request`` may open ``path`` (for links in the nav)."""
    if request.app.state.settings.auth.mode == "none":
        return True
    role = required_role(path)
    identity = current_identity(request)
    return role is None or (identity is not None and identity.has(role))


class AccessDenied(HTTPException):
    """401 or 403 with its own page title (the error page's 403 title is about forms)."""

    def __init__(self, status_code: int, detail: str, title: str) -> None:
        super().__init__(status_code=status_code, detail=detail)
        self.title = title


def _route_target(request: Request) -> str:
    """The route's template (``/sources/{doc_id}``), never the concrete path's values."""
    route = request.scope.get("route")
    template = getattr(route, "path", None)
    return template if isinstance(template, str) else "unmatched"


async def enforce_access(request: Request) -> None:
    """The app-wide dependency: identity first, then the path's role."""
    settings = request.app.state.settings
    identity = establish_identity(request)
    if settings.auth.mode == "none":
        return
    role = required_role(request.url.path)
    if role is None or is_metrics_scraper(request, role, settings.auth):
        return
    if identity is None:
        raise AccessDenied(
            401,
            "Sign in through your organisation's sign-in page to use the safeguarding "
            "guidance assistant. If a child is in immediate danger, call 999.",
            title="Sign in to continue",
        )
    if not identity.has(role):
        audit = _audit(request)
        if audit is not None:
            audit.record(
                AccessEvent(
                    actor=actor_name(identity.subject),
                    action="denied",
                    target=_route_target(request),
                    outcome="refused",
                )
            )
        raise AccessDenied(
            403,
            f"This part of the service needs the {role.value.replace('_', ' ')} role. "
            "Ask your administrator if you should have it.",
            title="You do not have access to this page",
        )
