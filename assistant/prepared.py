"""A question after triage, ready to be answered.

``Assistant.prepare`` triages a question (redaction, the emergency and decision checks,
the partnership in scope) and ``Assistant.stream_prepared`` answers it, so the two halves
can run in different requests, even in different worker processes: the chat page
prepares on its POST and streams on the EventSource GET that follows. Only redacted text
is held here; the question as typed never leaves ``prepare``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.triage import TriageResult


class PreparedQuestion(BaseModel):
    checked: TriageResult
    """Triage's verdict: the redacted question and history, the flags and the partnership."""
    scope: str
    """The partnership chosen (or the default) before triage read one from the question."""
    triage_ms: float = Field(default=0.0, ge=0)
    """Time spent preparing, counted in the answer's latency."""
