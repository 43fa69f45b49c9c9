"""The Jinja environment and the context every page shares.

Autoescaping is on for every template: nothing from a question, an answer or a document
is ever rendered as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assistant.server.access import can_open
from assistant.server.contexts import partnership_label, partnership_short_label
from assistant.server.identity import current_identity
from assistant.server.security import CSRF_FIELD, csrf_token

SERVICE_NAME = "Safeguarding guidance assistant"
ACK_COOKIE = "assistant_ack"

NAV: tuple[tuple[str, str], ...] = (
    ("/", "Ask a question"),
    ("/sources", "Sources"),
    ("/thresholds", "Thresholds"),
    ("/escalation", "Escalation"),
    ("/about", "About and limits"),
)

EVALUATIONS_NAV = ("/evaluations", "Evaluations")
ADMIN_NAV = ("/admin/controls", "Operator controls")
"""Shown to content admins when people sign in."""
"""Shown to evaluators while ``settings.enable_evaluations_page`` is on (the default)."""


def make_templates(web_dir: Path) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(web_dir / "templates")),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        service_name=SERVICE_NAME,
        nav=NAV,
        csrf_field=CSRF_FIELD,
        partnership_short_label=partnership_short_label,
    )
    return Jinja2Templates(env=env)


def is_acknowledged(request: Request) -> bool:
    return request.cookies.get(ACK_COOKIE) == "1"


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _nav(request: Request) -> tuple[tuple[str, str], ...]:
    """The links this person may open (a link to a 403 page is no use to anyone)."""
    settings = request.app.state.settings
    links = [*NAV]
    if settings.enable_evaluations_page:
        links.append(EVALUATIONS_NAV)
    if settings.auth.mode != "none":
        links.append(ADMIN_NAV)
    return tuple(link for link in links if can_open(request, link[0]))


def base_context(request: Request, **extra: Any) -> dict[str, Any]:
    """What base.html needs; ``extra`` adds the page's own context."""
    settings = request.app.state.settings
    assistant = request.app.state.assistant
    default = settings.default_partnership
    context: dict[str, Any] = {
        "request": request,
        "csrf_token": csrf_token(request),
        "current_path": request.url.path,
        "partnership_name": partnership_label(default),
        "default_partnership": default,
        "ready": bool(assistant.ready),
        "acknowledged": is_acknowledged(request),
        "page_title": SERVICE_NAME,
        "nav": _nav(request),
        "signed_in_oidc": getattr(current_identity(request), "source", None) == "oidc",
    }
    context.update(extra)
    return context
