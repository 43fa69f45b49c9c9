"""Server-sent events from the facade's ``StreamEvent`` iterator.

The facade's iterator is synchronous and CPU-bound, so callers advance it in an answer
slot (``AnswerSlots.iterate``). ``json_events`` feeds ``POST /api/ask/stream``;
``html_events`` feeds the chat page (htmx SSE extension), rendering each event through
the same partials as the page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Sequence

from sse_starlette.sse import ServerSentEvent

from assistant.errors import AssistantInputError
from assistant.types import StreamEvent

log = logging.getLogger(__name__)

FAILURE_MESSAGE = (
    "The assistant could not finish this answer. If a child is in immediate danger call 999; "
    "otherwise speak to your designated safeguarding lead."
)


def event_payload(event: StreamEvent) -> str:
    """JSON data for one event: the notice, ``{"text"}``, the citation or the full answer."""
    if event.event == "notice" and event.notice is not None:
        return event.notice.model_dump_json()
    if event.event == "answer_part":
        return json.dumps({"text": event.text or ""})
    if event.event == "citation" and event.citation is not None:
        return event.citation.model_dump_json()
    if event.event == "done" and event.answer is not None:
        return event.answer.model_dump_json()
    return "{}"


async def _guarded(
    events: AsyncIterator[StreamEvent],
) -> AsyncIterator[StreamEvent | Exception]:
    try:
        async for event in events:
            yield event
    except Exception as error:  # reported to the client as an ``error`` event
        if not isinstance(error, AssistantInputError):
            log.exception("streaming an answer failed")
        yield error


async def json_events(events: AsyncIterator[StreamEvent]) -> AsyncIterator[ServerSentEvent]:
    async for item in _guarded(events):
        if isinstance(item, Exception):
            detail = str(item) if isinstance(item, AssistantInputError) else FAILURE_MESSAGE
            yield ServerSentEvent(data=json.dumps({"detail": detail}), event="error")
            return
        yield ServerSentEvent(data=event_payload(item), event=item.event)


Rendered = str | Sequence[tuple[str, str]] | None
"""What ``render`` makes of one event: its HTML (sent under the event's own name), a list
of ``(event name, HTML)`` to send in order, or None for an event the page does not show."""


async def html_events(
    events: AsyncIterator[StreamEvent],
    render: Callable[[StreamEvent], Rendered],
    render_error: Callable[[str], str],
) -> AsyncIterator[ServerSentEvent]:
    """HTML fragments for htmx; ``render`` returns None for events the page does not show."""
    async for item in _guarded(events):
        if isinstance(item, Exception):
            detail = str(item) if isinstance(item, AssistantInputError) else FAILURE_MESSAGE
            yield ServerSentEvent(data=render_error(detail), event="done")
            return
        html = render(item)
        if isinstance(html, str):
            yield ServerSentEvent(data=html, event=item.event)
        elif html is not None:
            for name, data in html:
                yield ServerSentEvent(data=data, event=name)
