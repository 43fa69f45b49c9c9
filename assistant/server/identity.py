"""Who is making a request: the one shape every part of the server reads.

The access layer (``assistant/server/access.py``, ``ASSISTANT_AUTH__MODE``) sets
``request.state.identity``; rate limits, audit events and role checks read it through
``current_identity``. With ``mode=none`` (loopback only) there is no identity and every
role is granted.
"""

from __future__ import annotations

from enum import StrEnum

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
    OPERATOR = "operator"
    """The service's metrics (``/metrics``): counts and timings, never content."""


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
