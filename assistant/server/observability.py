"""``/metrics`` and what feeds it: every request (by route template) and every answer.

``install(app)`` adds the three pieces ``create_app`` needs:

- ``RequestMetrics``, the outermost middleware: counts each request and times it to the
  end of its response, labelled with the matched route's *template*
  (``/sources/{doc_id}``, ``/chat/stream/{token}``), the method and the status class.
  The concrete path and the query string are never read into a label.
- ``MeteredAssistant`` around the app's assistant: each answer it gives the web pages or
  the API (``ask``, and the ``done`` event of ``stream``) is counted once, by composer,
  strategy, notices, refusal, redaction counts and LLM fallback (``assistant/server/metrics.py``).
- the ``GET /metrics`` route (operator role, ``assistant/server/access.py``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.server.metrics import UNMATCHED, ServerMetrics, multiprocess_dir
from assistant.types import Answer, StreamEvent, Turn

log = logging.getLogger(__name__)

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """The Prometheus text exposition (counts and timings only; no content)."""
    server_metrics: ServerMetrics = request.app.state.metrics
    accept = request.headers.get("accept", "")
    body, content_type = await run_in_threadpool(server_metrics.exposition, accept)
    return Response(body, headers={"Content-Type": content_type, "Cache-Control": "no-store"})


def route_template(scope: Scope, routes: Sequence[BaseRoute]) -> str:
    """The template of the route that handled ``scope`` (``/sources/{doc_id}``, or a mount
    of ``routes`` such as ``/static/{path}``); ``UNMATCHED`` if none did."""
    route = scope.get("route")  # set by the router for the route it picked
    template = getattr(route, "path_format", None) if isinstance(route, BaseRoute) else None
    if isinstance(template, str):
        return template
    # A mount is not recorded as the route; it moved its prefix into root_path.
    prefix = str(scope.get("root_path", "")).removeprefix(str(scope.get("app_root_path", "")))
    mounts = [r for r in routes if isinstance(r, Mount) and prefix and r.path == prefix]
    return mounts[0].path_format if mounts else UNMATCHED


class RequestMetrics:
    """Pure ASGI middleware: one count and one duration per HTTP request."""

    def __init__(self, app: ASGIApp, *, metrics: ServerMetrics, routes: list[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes  # the app's own, for its mounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        except Exception:
            status = 500  # the error page is sent by the outermost handler
            raise
        finally:
            if status is not None:
                self._observe(scope, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        try:
            route = route_template(scope, self.routes)
            self.metrics.observe_request(route, str(scope.get("method", "")), status, seconds)
        except Exception as error:  # metrics must never cost a response
            log.warning("request metrics not recorded: %s", type(error).__name__)


class MeteredAssistant:
    """The app's assistant, counting each answer it gives; everything else is passed on."""

    def __init__(self, inner: Any, metrics: ServerMetrics) -> None:
        self._inner = inner
        self._metrics = metrics

    def __getattr__(self, name: str) -> Any:
        inner = self.__dict__.get("_inner")
        if inner is None:  # not set up yet (copying): no recursion
            raise AttributeError(name)
        return getattr(inner, name)

    def _observe(self, answer: Answer) -> None:
        try:
            self._metrics.observe_answer(answer)
        except Exception as error:  # metrics must never cost the user their answer
            log.warning("answer metrics not recorded: %s", type(error).__name__)

    def ask(
        self, question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> Answer:
        answer: Answer = self._inner.ask(question, history, partnership)
        self._observe(answer)
        return answer

    def stream(
        self, question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> Iterator[StreamEvent]:
        for event in self._inner.stream(question, history, partnership):
            if event.event == "done" and event.answer is not None:
                self._observe(event.answer)
            yield event


def install(app: FastAPI) -> None:
    """Metrics for ``app``: call after its other middleware, so every request is counted."""
    server_metrics = ServerMetrics(multiprocess_dir())
    app.state.metrics = server_metrics
    app.state.assistant = MeteredAssistant(app.state.assistant, server_metrics)
    app.add_middleware(RequestMetrics, metrics=server_metrics, routes=app.router.routes)
    app.include_router(router)
