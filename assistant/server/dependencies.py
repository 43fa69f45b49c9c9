"""Request-scoped access to the app's single Assistant, settings and helpers.

``Annotated`` aliases keep route signatures short (full-stack-fastapi-template style).
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import Depends, HTTPException, Request

from assistant.controls import Switchboard
from assistant.pathways import CitedPathway
from assistant.prepared import PreparedQuestion
from assistant.server.answer_slots import AnswerSlots
from assistant.settings import Settings
from assistant.types import (
    Answer,
    DocumentView,
    SearchHit,
    SourceInfo,
    StreamEvent,
    Turn,
)


class AssistantFacade(Protocol):
    """What the web layer needs from ``assistant.pipeline.Assistant``."""

    settings: Settings
    switchboard: Switchboard
    """The operator controls (``assistant/controls.py``)."""

    def load(self) -> None: ...
    @property
    def ready(self) -> bool: ...
    def index_problem(self) -> str | None: ...
    def ask(
        self, question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> Answer: ...
    def stream(
        self, question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> Any: ...  # Iterator[StreamEvent]
    def prepare(
        self, question: str, history: list[Turn] | None = None, partnership: str | None = None
    ) -> PreparedQuestion: ...
    def stream_prepared(self, prepared: PreparedQuestion) -> Any: ...  # Iterator[StreamEvent]
    def search(self, query: str, k: int = 8, partnership: str | None = None) -> list[SearchHit]: ...
    def sources(self, kind: str | None = None) -> list[SourceInfo]: ...
    def document(self, doc_id: str) -> DocumentView | None: ...
    def partnerships(self) -> list[str]: ...
    def thresholds(self, partnership: str | None = None) -> dict[str, Any]: ...
    def escalation(self, partnership: str | None = None) -> dict[str, Any]: ...
    def pathways(self, partnership: str | None = None) -> list[CitedPathway]: ...
    def record_feedback(
        self,
        answer_id: str,
        *,
        helpful: bool | None,
        comment: str | None,
        kind: str,
        passage_ids: list[str],
        doc_ids: list[str],
    ) -> int: ...


__all__ = ["AssistantFacade", "StreamEvent"]


def get_assistant(request: Request) -> AssistantFacade:
    assistant: AssistantFacade = request.app.state.assistant
    return assistant


def get_ready_assistant(request: Request) -> AssistantFacade:
    """The assistant, or 503 while the index is still loading."""
    assistant = get_assistant(request)
    if not assistant.ready:
        raise HTTPException(
            status_code=503,
            detail="The assistant is starting up (loading the index). Try again shortly.",
            headers={"Retry-After": "5"},
        )
    return assistant


def get_answer_slots(request: Request) -> AnswerSlots:
    slots: AnswerSlots = request.app.state.answer_slots
    return slots


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AssistantDep = Annotated[AssistantFacade, Depends(get_assistant)]
ReadyAssistant = Annotated[AssistantFacade, Depends(get_ready_assistant)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AnswerSlotsDep = Annotated[AnswerSlots, Depends(get_answer_slots)]
