"""Who is making a request: the one shape every part of the server reads.

The authentication layer (``ASSISTANT_AUTH__MODE``) sets ``request.state.identity``;
rate limits, audit events and role checks read it through ``current_identity``. With
``mode=none`` (loopback only) there is no identity and every role is granted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict
from starlette.requests import Request


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    """Asks questions, searches, reads sources, leaves feedback."""
    EVALUATOR = "evaluator"
    """The evaluations page and evaluation runs."""
    CONTENT_ADMIN = "content_admin"
    """Sources management and the operator controls (kill switch)."""
    AUDITOR = "auditor"
    """Audit events and the feedback export."""


class Identity(BaseModel):
    """A signed-in person. ``subject`` is what audit events and rate limits key on."""

    model_config = ConfigDict(frozen=True)

    subject: str
    """Stable id: the e-mail from the proxy, or the OIDC ``sub``."""
    email: str | None = None
    roles: frozenset[Role] = frozenset()
    source: str = "none"
    """How it was established: ``proxy`` or ``oidc``."""

    def has(self, role: Role) -> bool:
        return role in self.roles


def current_identity(request: Request) -> Identity | None:
    """The identity the authentication layer established, or ``None`` (mode ``none``)."""
    identity = getattr(request.state, "identity", None)
    return identity if isinstance(identity, Identity) else None


def client_address(request: Request) -> str:
    """The peer address (the proxy's, behind a proxy; never a forwarded header)."""
    return request.client.host if request.client else "unknown"


def require_role(role: Role) -> Callable[[Request], Awaitable[Identity | None]]:
    """A route dependency: 401 without an identity, 403 (audited) without ``role``.

    With ``ASSISTANT_AUTH__MODE=none`` (loopback only) every role is granted.
    """

    async def check(request: Request) -> Identity | None:
        settings = request.app.state.settings
        if settings.auth.mode == "none":
            return None
        identity = current_identity(request)
        if identity is None:
            raise HTTPException(status_code=401, detail="Sign in to use this part of the service.")
        if not identity.has(role):
            audit = getattr(request.app.state, "audit", None)
            if audit is not None:
                audit.record(actor=identity.subject, action="denied", target=request.url.path)
            raise HTTPException(
                status_code=403,
                detail=f"This needs the {role.value.replace('_', ' ')} role.",
            )
        return identity

    return check
