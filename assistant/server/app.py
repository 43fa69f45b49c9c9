"""The FastAPI application factory.

``create_app(settings, assistant=None)`` builds the app without touching the network or
the model; the Assistant (built here if not given) loads its model and index in a
background thread at startup, and ``/readyz`` turns 200 when it is done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.audit import AccessAudit
from assistant.errors import AssistantInputError
from assistant.resources import package_version
from assistant.server import admin, api, evaluations, observability, oidc, pages
from assistant.server.access import AccessDenied, enforce_access
from assistant.server.answer_slots import AnswerSlots
from assistant.server.contact_links import install_contact_links, load_register
from assistant.server.conversation import ConversationCodec
from assistant.server.conversation_cookie import ConversationCookie
from assistant.server.dependencies import AssistantFacade
from assistant.server.examples import EXAMPLES_NAME, install_examples
from assistant.server.ratelimit import RateLimiter
from assistant.server.security import CsrfSigner, SecurityMiddleware, security_headers
from assistant.server.sessions import SESSION_COOKIE, sign_in_path
from assistant.server.startup import check_startup
from assistant.server.stream_tokens import RedeemedTokens, StreamTokenCodec
from assistant.server.swagger import router as docs_router
from assistant.server.templating import base_context, make_templates
from assistant.settings import Settings

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/", "/healthz", "/readyz", "/openapi.json")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PREFIXES)


def _start_loading(app: FastAPI) -> None:
    """Load the model and index, then warm up triage, in a background thread.

    ``app.state.warmed`` turns True only after the warm-up: behind a proxy, a worker that
    says ready before its classifier's exemplars are embedded makes the first person it
    is sent wait for them (minutes on a busy 2-core host)."""
    assistant: AssistantFacade = app.state.assistant
    warm_up = getattr(assistant, "warm_up_triage", None)
    if warm_up is None:
        app.state.warmed = True

    def load() -> None:
        try:
            if not assistant.ready:
                assistant.load()
            if warm_up is not None:  # the classifier's exemplars and language data
                warm_up()
            app.state.warmed = True
        except Exception as error:  # shown by /readyz; the process stays up for /healthz
            log.exception("loading the assistant failed")
            app.state.load_error = f"{type(error).__name__}: {error}"

    thread = threading.Thread(target=load, name="assistant-load", daemon=True)
    app.state.load_thread = thread
    thread.start()


def _plain_validation_message(error: RequestValidationError) -> str:
    """One sentence a person can act on, instead of pydantic's error list."""
    first = error.errors()[0] if error.errors() else {}
    loc = [str(part) for part in first.get("loc", ())]
    field = loc[1] if len(loc) > 1 else (loc[0] if loc else "request")
    if field == "history":
        return (
            'history must be a list of turns, each {"role": "user" or "assistant", '
            '"content": text}.'
        )
    if field == "question":
        return "question is required and must be text."
    if field == "k":
        return "k must be a whole number from 1 to 50."
    if field == "answer_id":
        return (
            "answer_id must be the id of an answer this assistant gave (32 hexadecimal characters)."
        )
    if field in ("passage_ids", "doc_ids"):
        return f"{field} must be ids from the index, as the answer gave them."
    if loc == ["body"] or field == "body":
        return "The request body must be a JSON object."
    return f"{field}: {first.get('msg', 'is not valid')}."


def _error_page(
    request: Request, status_code: int, message: str, title: str | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status_code)
    titles = {
        403: "This form has expired",
        404: "Page not found",
        413: "The request is too large",
        422: "There is a problem",
        429: "Too many requests",
        503: "The assistant is starting up",
    }
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        "error.html",
        base_context(
            request,
            page_title=title or titles.get(status_code, "Sorry, there is a problem"),
            status_code=status_code,
            message=message,
            sign_in_url=_sign_in_url(request, status_code),
        ),
        status_code=status_code,
    )
    return response


def _sign_in_url(request: Request, status_code: int) -> str | None:
    """On the 401 page in oidc mode: sign in, then come back to this page."""
    if status_code != 401 or request.app.state.settings.auth.mode != "oidc":
        return None
    query = request.url.query
    return sign_in_path(request.url.path + (f"?{query}" if query else ""))


def _too_large_message(limit: int) -> str:
    return (
        f"The request is too large: the limit is {limit:,} bytes. Shorten the question or "
        "send fewer turns of history."
    )


class BodyLimit:
    """A request-body limit in the app itself, not only in the proxy: 413 with the app's
    own message when ``Content-Length`` is over the limit (nothing is read), and a body
    sent without one is counted as it arrives and refused once it passes the limit."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            request = Request(scope, receive)
            response = _error_page(request, 413, _too_large_message(self.max_bytes))
            response.headers.update(security_headers(request.url.path, 413))
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:  # handled by http_error below
                    raise StarletteHTTPException(status_code=413)
            return message

        await self.app(scope, counted, send)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AssistantInputError)
    async def input_error(request: Request, exc: AssistantInputError) -> Response:
        return _error_page(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_page(request, 422, _plain_validation_message(exc))

    @app.exception_handler(StarletteHTTPException)  # FastAPI's and Starlette's own (413)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail)
        if exc.status_code == 413:
            detail = _too_large_message(request.app.state.settings.max_body_bytes)
        title = exc.title if isinstance(exc, AccessDenied) else None
        response = _error_page(request, exc.status_code, detail, title)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        # This handler runs outside the middleware stack, so add the headers here.
        response = _error_page(
            request,
            500,
            "Something went wrong and the assistant could not finish. If a child is in "
            "immediate danger, call 999; otherwise speak to your designated safeguarding lead.",
        )
        response.headers.update(security_headers(request.url.path, 500))
        return response

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        detail = getattr(exc, "detail", None)
        if not detail or detail == "Not Found":
            detail = "There is no page at this address."
        return _error_page(request, 404, str(detail))


def create_app(settings: Settings | None = None, assistant: Any | None = None) -> FastAPI:
    """Build the app. ``assistant`` defaults to ``assistant.pipeline.Assistant(settings)``."""
    settings = settings or Settings()
    check_startup(settings)  # refuses unsafe settings on a non-loopback bind
    if assistant is None:
        from assistant.pipeline import Assistant  # the core is imported only when needed

        assistant = Assistant(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _start_loading(app)
        yield

    app = FastAPI(
        title="Safeguarding guidance assistant",
        summary="Cited answers from the partnership's safeguarding documents. "
        "Decisions stay with practitioners.",
        version=package_version() or "unknown",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(enforce_access)],  # identity, then each path's role
    )
    app.state.settings = settings
    app.state.assistant = assistant
    app.state.load_error = None
    app.state.warmed = False
    app.state.templates = make_templates(settings.web_dir)
    install_contact_links(
        app.state.templates.env, load_register(settings.corpus_dir / "contacts.yaml")
    )
    install_examples(app.state.templates.env, settings.corpus_dir / EXAMPLES_NAME)
    secret = settings.secret_key.get_secret_value()
    app.state.csrf = CsrfSigner(secret)
    app.state.codec = ConversationCodec(secret)
    app.state.conversation_cookie = ConversationCookie(secret)
    app.state.stream_tokens = StreamTokenCodec(secret)
    app.state.redeemed_tokens = RedeemedTokens()  # single use, per worker
    app.state.rate_limiter = RateLimiter(settings.rate_limit)
    app.state.answer_slots = AnswerSlots(settings.concurrent_answers)
    app.state.access_audit = AccessAudit.for_settings(settings)

    if settings.auth.mode == "oidc":  # the signed sign-in session (assistant/server/oidc.py)
        app.state.oauth = oidc.make_oauth(settings.auth)
        app.add_middleware(
            SessionMiddleware,
            secret_key=secret,
            session_cookie=SESSION_COOKIE,
            max_age=settings.auth.session_max_age_s,
            same_site="lax",  # sent on the provider's redirect back to /auth/callback
            https_only=settings.https_only,
        )
        app.include_router(oidc.router)
    app.add_middleware(SecurityMiddleware, https_only=settings.https_only)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.mount("/static", StaticFiles(directory=settings.web_dir / "static"), name="static")
    app.include_router(api.router)
    app.include_router(docs_router)
    app.include_router(pages.router)
    app.include_router(evaluations.router)
    app.include_router(admin.router)
    observability.install(app)  # the outermost middleware: every request is counted
    _install_error_handlers(app)
    return app
