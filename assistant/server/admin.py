"""Operator controls page (HF-02): ``/admin/controls``, for the content admin role.

Switch the language-model composer off, put the service in search-only mode, or switch a
topic's guidance off, at run time. Every change is saved in the data directory (so every
worker and a restart see it) and audited: who, which controls, when — never content.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.audit import AccessAudit, AccessEvent, actor_name
from assistant.controls import OperatorControls, Switchboard, UnknownTopicError
from assistant.server.dependencies import AssistantDep
from assistant.server.identity import current_identity
from assistant.server.security import FormCsrf
from assistant.server.templating import base_context

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, switchboard: Switchboard, *, message: str | None = None, status: int = 200
) -> HTMLResponse:
    controls = switchboard.current()
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request,
        "admin_controls.html",
        base_context(
            request,
            page_title="Operator controls",
            controls=controls,
            topics=switchboard.topics.topics,
            message=message,
        ),
        status_code=status,
    )
    return response


@router.get("/admin/controls", response_class=HTMLResponse)
async def controls_page(request: Request, assistant: AssistantDep) -> HTMLResponse:
    return _page(request, assistant.switchboard)


@router.post("/admin/controls", response_model=None)
async def change_controls(
    request: Request,
    assistant: AssistantDep,
    _csrf: FormCsrf,
    llm_composer: Annotated[str | None, Form()] = None,
    search_only: Annotated[str | None, Form()] = None,
    topics_off: Annotated[list[str] | None, Form()] = None,
) -> Response:
    switchboard: Switchboard = assistant.switchboard
    try:
        wanted = OperatorControls(
            llm_composer=llm_composer == "on",
            search_only=search_only == "on",
            topics_off=tuple((topics_off or [])[:50]),
        )
        _, changes = switchboard.change(wanted)
    except (ValueError, UnknownTopicError):
        return _page(request, switchboard, message="Choose topics from the list.", status=422)
    identity = current_identity(request)
    audit: AccessAudit = request.app.state.access_audit
    audit.record(
        AccessEvent(
            actor=actor_name(identity.subject) if identity else "local",
            action="control_changed",
            target=(", ".join(changes) or "no change")[:200],
        )
    )
    return RedirectResponse("/admin/controls?saved=1", status_code=303)
