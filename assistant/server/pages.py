"""HTML pages and the htmx fragments they are built from (one rendering path).

Every page works without JavaScript: forms post and the server renders the whole page.
With htmx, the same partials come back as fragments and the answer streams over SSE.
"""

from __future__ import annotations

import logging
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantInputError
from assistant.feedback import FeedbackIdError
from assistant.identifiers import is_answer_id
from assistant.server.answer_layout import StreamedNotices
from assistant.server.answer_slots import AnswerSlots
from assistant.server.contexts import (
    announcement_text,
    answer_context,
    decision_reminder,
    document_context,
    partnership_short_label,
    passage_context,
    source_row_context,
    structured_context,
)
from assistant.server.conversation import MAX_EXCHANGES, ConversationCodec, history_from
from assistant.server.conversation_cookie import ConversationCookie
from assistant.server.dependencies import (
    AnswerSlotsDep,
    AssistantDep,
    AssistantFacade,
    SettingsDep,
)
from assistant.server.library_page import library_context, parse_library_filter
from assistant.server.ratelimit import RateLimited, check_rate
from assistant.server.security import FormCsrf, csrf_nonce
from assistant.server.sse import html_events
from assistant.server.stream_tokens import (
    NotYourToken,
    RedeemedTokens,
    StreamTokenCodec,
    TokenRefused,
)
from assistant.server.templating import ACK_COOKIE, base_context, is_acknowledged, is_htmx
from assistant.server.validation import check_partnership, check_question
from assistant.types import Answer, StreamEvent

log = logging.getLogger(__name__)

router = APIRouter(default_response_class=HTMLResponse)


def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, name, base_context(request, **context), status_code=status_code
    )
    return response


def _fragment(request: Request, name: str, **context: Any) -> str:
    """Render a partial to a string (for SSE events)."""
    template = request.app.state.templates.env.get_template(name)
    return str(template.render(base_context(request, **context)))


def _codec(request: Request) -> ConversationCodec:
    codec: ConversationCodec = request.app.state.codec
    return codec


def _partnerships(assistant: AssistantFacade, default: str) -> list[str]:
    try:
        return assistant.partnerships() if assistant.ready else [default]
    except Exception:  # the selector still works with the default
        log.exception("listing partnerships failed")
        return [default]


def _chat(
    request: Request,
    assistant: AssistantFacade,
    answers: list[Answer],
    *,
    partnership: str | None = None,
    error: str | None = None,
    question_value: str = "",
    status_code: int = 200,
    banner: str | None = None,
    feedback_step: dict[str, str] | None = None,
) -> HTMLResponse:
    settings = request.app.state.settings
    chosen = partnership or (answers[-1].partnership if answers else settings.default_partnership)
    reminder = decision_reminder()
    return _render(
        request,
        "chat.html",
        status_code=status_code,
        page_title="Ask a question",
        exchanges=[
            answer_context(a, reminder=reminder, announce=i == len(answers) - 1)
            for i, a in enumerate(answers)
        ],
        conversation_tokens=_codec(request).encode(answers),
        form=_form_context(request, assistant, chosen, error, question_value),
        banner=banner,
        feedback_step=feedback_step,
    )


def _form_context(
    request: Request,
    assistant: AssistantFacade,
    partnership: str,
    error: str | None,
    question_value: str,
) -> dict[str, Any]:
    settings = request.app.state.settings
    slugs = _partnerships(assistant, settings.default_partnership)
    return {
        "error": error,
        "question": question_value,
        "max_chars": settings.max_question_chars,
        "partnership": partnership,
        "partnerships": [(s, partnership_short_label(s)) for s in slugs],
    }


@router.get("/")
async def chat_page(request: Request, assistant: AssistantDep) -> HTMLResponse:
    if not is_acknowledged(request):
        return _render(request, "first_use.html", page_title="Before you start")
    return _chat(request, assistant, _cookie(request).read(request.cookies))


def _cookie(request: Request) -> ConversationCookie:
    cookie: ConversationCookie = request.app.state.conversation_cookie
    return cookie


@router.get("/new")
async def new_conversation() -> RedirectResponse:
    """The "New conversation" link: forget the no-JavaScript conversation cookie. The
    ``#new`` fragment tells the page's JavaScript to forget its own copy too, however
    /new was reached (the link, a bookmark, the address typed)."""
    response = RedirectResponse("/#new", status_code=303)
    ConversationCookie.clear(response)
    return response


@router.post("/conversation")
async def restore_conversation(
    request: Request,
    _csrf: FormCsrf,
    conversation: Annotated[list[str] | None, Form()] = None,
) -> HTMLResponse:
    """The exchanges for the conversation fields the page's JavaScript kept (after Back
    or a reload). Forged or stale fields are left out, as in every other form."""
    answers = _codec(request).decode(conversation)
    reminder = decision_reminder()
    return _render(
        request,
        "_partials/restored_conversation.html",
        exchanges=[answer_context(a, reminder=reminder, announce=False) for a in answers],
        conversation_tokens=_codec(request).encode(answers),
    )


@router.post("/acknowledge")
async def acknowledge(_csrf: FormCsrf) -> RedirectResponse:
    """The user has read the first-use notice (PD-02, TR-01)."""
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        ACK_COOKIE, "1", max_age=365 * 24 * 3600, httponly=True, samesite="lax", path="/"
    )
    return response


@router.post("/", response_model=None)
async def ask_page(
    request: Request,
    assistant: AssistantDep,
    settings: SettingsDep,
    slots: AnswerSlotsDep,
    _csrf: FormCsrf,
    question: Annotated[str, Form()] = "",
    partnership: Annotated[str | None, Form()] = None,
    conversation: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """No JavaScript: answer and render the full page. htmx: return a streaming fragment."""
    if not is_acknowledged(request):
        return RedirectResponse("/", status_code=303)
    answers = _codec(request).decode(conversation)
    htmx = is_htmx(request)
    try:
        check_rate(request, "ask")
    except RateLimited as limited:
        if not htmx:
            raise  # the 429 error page
        # htmx swaps only 2xx responses: show the wait in the form instead.
        response = _ask_form_error(
            request, assistant, partnership, str(limited.detail), question, conversation
        )
        response.headers["Retry-After"] = str(limited.retry_after_s)
        return response
    try:
        if not assistant.ready:
            raise AssistantInputError(
                "The assistant is still starting up (loading the documents). Try again shortly."
            )
        text = check_question(question, settings.max_question_chars)
        slug = check_partnership(
            partnership, assistant.partnerships(), settings.default_partnership
        )
        if htmx:  # triage now; the answer streams from whichever worker gets the GET
            prepared = await slots.run(assistant.prepare, text, history_from(answers), slug)
            tokens: StreamTokenCodec = request.app.state.stream_tokens
            return _render(
                request,
                "_partials/pending_exchange.html",
                token=tokens.issue(prepared, csrf_nonce(request)),
                pending_id=secrets.token_hex(6),
                trimmed_state=_trimmed_state(request, answers, conversation),
            )
        answer = await slots.run(assistant.ask, text, history_from(answers), slug)
    except AssistantInputError as error:
        if htmx:
            response = _ask_form_error(
                request, assistant, partnership, str(error), question, conversation
            )
            if not assistant.ready:
                # A 503 lets a proxy send the question to a worker that is ready; the
                # page's script still swaps it in when there is no other (app.js).
                response.status_code = 503
                response.headers["Retry-After"] = "5"
            return response
        return _chat(
            request,
            assistant,
            answers,
            partnership=partnership,
            error=str(error),
            question_value=question,
            status_code=422 if assistant.ready else 503,
        )
    answers = [*answers, answer]
    # Post/redirect/get: Back and reload re-render the conversation from the cookie.
    redirect = RedirectResponse("/#latest", status_code=303)
    if not _cookie(request).write(redirect, answers):
        # Too long to carry: render the answer here (Back will offer to resubmit).
        page = _chat(request, assistant, answers, partnership=slug)
        ConversationCookie.clear(page)  # an older conversation must not come back
        return page
    return redirect


def _trimmed_state(
    request: Request, answers: list[Answer], conversation: list[str] | None
) -> list[str] | None:
    """The page's conversation fields cut to the answers kept, once the page holds
    ``MAX_EXCHANGES`` (the new answer's field is appended when its stream is done)."""
    if len(conversation or []) < MAX_EXCHANGES:
        return None
    return _codec(request).encode(answers[-(MAX_EXCHANGES - 1) :])


def _ask_form_error(
    request: Request,
    assistant: AssistantFacade,
    partnership: str | None,
    message: str,
    question: str,
    conversation: list[str] | None,
) -> HTMLResponse:
    """The ask form with ``message``, swapped in place of the form (htmx)."""
    settings = request.app.state.settings
    response = _render(
        request,
        "_partials/ask_form.html",
        form=_form_context(
            request,
            assistant,
            partnership or settings.default_partnership,
            message,
            question,
        ),
        conversation_tokens=conversation or [],
    )
    response.headers["HX-Retarget"] = "#ask-form"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


@router.get("/chat/stream/{token}", response_model=None)
async def chat_stream(token: str, request: Request, assistant: AssistantDep) -> Response:
    """The answer to a pending question as HTML fragments over SSE (htmx SSE extension).

    The token carries the prepared question (``stream_tokens``), so any worker can serve
    it. Only the browser session that asked may redeem it (404 for any other); a forged,
    expired or already streamed token gets 204, which tells EventSource not to reconnect."""
    tokens: StreamTokenCodec = request.app.state.stream_tokens
    try:
        prepared = tokens.open(token, csrf_nonce(request))
    except NotYourToken:
        raise HTTPException(
            status_code=404, detail="There is no question waiting at this address."
        ) from None
    except TokenRefused:
        return Response(status_code=204)
    redeemed: RedeemedTokens = request.app.state.redeemed_tokens
    if not redeemed.first_use(token):
        return Response(status_code=204)
    reminder = decision_reminder()
    codec = _codec(request)
    notices = StreamedNotices(card_id=f"danger-{secrets.token_hex(6)}")

    def render(event: StreamEvent) -> list[tuple[str, str]] | None:
        """The danger card goes out whole, once, before the first event that follows it."""
        if event.event == "notice" and event.notice is not None and notices.hold(event.notice):
            return None
        if event.event == "done":
            notices.close()  # the finished answer renders (or keeps) the card itself
        out: list[tuple[str, str]] = []
        card = notices.take_card()
        if card is not None:
            out.append(("danger", _fragment(request, "_partials/danger_card.html", card=card)))
        html = render_event(event)
        if html is not None:
            out.append((event.event, html))
        return out or None

    def render_event(event: StreamEvent) -> str | None:
        if event.event == "notice" and event.notice is not None:
            item = notices.item(event.notice)
            return _fragment(request, "_partials/about_item.html", item=item) if item else None
        if event.event == "answer_part":
            return _fragment(request, "_partials/answer_part.html", text=event.text or "")
        if event.event == "done" and event.answer is not None:
            answer = event.answer
            return _fragment(
                request,
                "_partials/streamed_done.html",
                exchange=answer_context(
                    answer, reminder=reminder, announce=True, card_id=notices.card_id
                ),
                answer_token=codec.encode_one(answer),
                announcement=announcement_text(answer),
            )
        return None

    def render_error(message: str) -> str:
        card = notices.card()  # an error never takes the danger card off the page
        danger = _fragment(request, "_partials/danger_card.html", card=card) if card else ""
        return danger + _fragment(request, "_partials/stream_error.html", message=message)

    events = assistant.stream_prepared(prepared)
    slots: AnswerSlots = request.app.state.answer_slots
    return EventSourceResponse(html_events(slots.iterate(events), render, render_error), ping=15)


@router.post("/feedback", response_model=None)
async def feedback(
    request: Request,
    assistant: AssistantDep,
    _csrf: FormCsrf,
    answer_id: Annotated[str, Form()],
    kind: Annotated[str, Form()] = "feedback",
    helpful: Annotated[str | None, Form()] = None,
    comment: Annotated[str | None, Form()] = None,
    passage_ids: Annotated[list[str] | None, Form()] = None,
    doc_ids: Annotated[list[str] | None, Form()] = None,
    conversation: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Helpful / not helpful, or a problem report for content owners."""
    check_rate(request, "feedback")
    kind = "problem" if kind == "problem" else "feedback"
    verdict = {"yes": True, "no": False}.get((helpful or "").lower())
    text = (comment or "").strip()[:2000] or None
    error = None
    if kind == "feedback" and verdict is None and not text:
        error = "Choose whether the answer was helpful, or write a comment."
    if kind == "problem" and not text:
        error = "Describe the problem with this guidance."
    if error is None:
        try:
            await run_in_threadpool(
                lambda: assistant.record_feedback(
                    answer_id,
                    helpful=verdict,
                    comment=text,
                    kind=kind,
                    passage_ids=(passage_ids or [])[:50],
                    doc_ids=(doc_ids or [])[:50],
                )
            )
        except FeedbackIdError as refused:
            error = str(refused)
    if not is_answer_id(answer_id):
        answer_id = ""  # never echo a value that is not one of ours
    message = (
        "Thank you. Your report has been sent to the content owners."
        if kind == "problem"
        else "Thank you for your feedback."
    )
    # A stored "Yes" or "No" opens step two: an optional comment and the problem report.
    more = error is None and kind == "feedback" and verdict is not None and not text
    answers = _codec(request).decode(conversation)
    if is_htmx(request):
        return _render(
            request,
            "_partials/feedback_result.html",
            answer_id=answer_id,
            kind=kind,
            error=error,
            message=message,
            # The ids passed the store's checks, so they are ours to render again.
            exchange=(
                {
                    "answer_id": answer_id,
                    "passage_ids": (passage_ids or [])[:50],
                    "doc_ids": (doc_ids or [])[:50],
                }
                if more
                else None
            ),
            conversation_tokens=conversation if answers else [],
        )
    if error:
        return _chat(request, assistant, answers, error=error, status_code=422)
    step = {"answer_id": answer_id, "stage": "more" if more else "done", "message": message}
    return _chat(request, assistant, answers, banner=message, feedback_step=step)


@router.get("/sources")
async def sources_page(
    request: Request,
    assistant: AssistantDep,
    kind: str | None = None,
    partnership: str | None = None,
    status: str | None = None,
    sort: str | None = None,
) -> HTMLResponse:
    """The library, filtered and sorted by the query string (a GET form: no JavaScript)."""
    try:
        chosen = parse_library_filter(kind, partnership, status, sort)
        infos = await run_in_threadpool(assistant.sources, None) if assistant.ready else []
        context = library_context(infos, chosen)
    except ValueError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return _render(request, "sources.html", page_title="Sources", **context)


async def _view(assistant: AssistantFacade, doc_id: str) -> Any:
    if not assistant.ready:
        raise HTTPException(status_code=503, detail="The assistant is still starting up.")
    view = await run_in_threadpool(assistant.document, doc_id)
    if view is None:
        raise HTTPException(status_code=404, detail="There is no document at this address.")
    return view


@router.get("/sources/{doc_id}")
async def document_page(doc_id: str, request: Request, assistant: AssistantDep) -> HTMLResponse:
    context = document_context(await _view(assistant, doc_id))
    return _render(request, "document.html", page_title=context["doc"]["title"], **context)


@router.get("/sources/{doc_id}/passages/{passage_id}")
async def passage_page(
    doc_id: str, passage_id: str, request: Request, assistant: AssistantDep
) -> HTMLResponse:
    """The cited passage in its section: a panel fragment for htmx, else a full page."""
    context = passage_context(await _view(assistant, doc_id), passage_id)
    if context is None:
        raise HTTPException(status_code=404, detail="There is no passage at this address.")
    if is_htmx(request):
        return _render(request, "_partials/passage_panel.html", passage=context, in_panel=True)
    return _render(
        request,
        "passage.html",
        page_title=context["doc"]["title"],
        passage=context,
        in_panel=False,
    )


async def _structured(
    request: Request,
    assistant: AssistantFacade,
    method: str,
    title: str,
    template: str,
    partnership: str | None,
) -> HTMLResponse:
    settings = request.app.state.settings
    data: dict[str, Any] = {}
    error = None
    if assistant.ready:
        try:
            slug = check_partnership(
                partnership, assistant.partnerships(), settings.default_partnership
            )
            data = await run_in_threadpool(getattr(assistant, method), slug)
        except AssistantInputError as exc:
            error = str(exc)
    return _render(
        request,
        template,
        page_title=title,
        guide=structured_context(data or {}, title),
        error=error,
    )


@router.get("/thresholds")
async def thresholds_page(
    request: Request, assistant: AssistantDep, partnership: str | None = None
) -> HTMLResponse:
    return await _structured(
        request,
        assistant,
        "thresholds",
        "Threshold guidance: the continuum of help",
        "thresholds.html",
        partnership,
    )


@router.get("/escalation")
async def escalation_page(
    request: Request, assistant: AssistantDep, partnership: str | None = None
) -> HTMLResponse:
    return await _structured(
        request,
        assistant,
        "escalation",
        "Escalation: resolving professional disagreements",
        "escalation.html",
        partnership,
    )


@router.get("/about")
async def about_page(request: Request, assistant: AssistantDep) -> HTMLResponse:
    rows = (
        [source_row_context(i) for i in await run_in_threadpool(assistant.sources, None)]
        if assistant.ready
        else []
    )
    return _render(request, "about.html", page_title="About and limits", rows=rows)


@router.get("/accessibility")
async def accessibility_page(request: Request) -> HTMLResponse:
    return _render(request, "accessibility.html", page_title="Accessibility statement")
