"""Safeguarding practitioner guidance assistant: cited answers, decisions left to people.

The public API is the ``Assistant`` facade and the domain types; the web app, the CLI
and the evaluation runner are thin clients of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.settings import Settings
from assistant.types import Answer, Citation, Notice, Passage, SearchHit, SourceDocument, Turn

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "Notice",
    "Passage",
    "SearchHit",
    "Settings",
    "SourceDocument",
    "Turn",
]


def __getattr__(name: str) -> Any:
    # The facade pulls in torch and Chroma; import it only when asked for.
    if name == "Assistant":
        from assistant.pipeline import Assistant

        return Assistant
    raise AttributeError(name)
