"""Deterministic triage: the first step of every question, before retrieval or any model.

It redacts personal data (PD-01) and detects immediate danger (EM-01..03), disclosures
(EM-04), decision requests (DSB-01..04), risk-score and case-note requests (DSB-05/06),
requests outside the tool's purpose (DSB-08), requests to act (EM-06), a child or parent
writing (EM-07), a practitioner in crisis (EM-08), injection attempts (PI-04, PI-08), the
partnership in scope and any reporting years named. Nothing a user or a document says can
switch it off: it is ordinary code with no model and no settings that disable it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from assistant.triage import signals
from assistant.triage.personal_data import Redaction, describe_kinds, redact
from assistant.triage.places import LONDON_BOROUGHS, detect_partnership, named_years
from assistant.triage.text import normalise
from assistant.types import Turn

__all__ = [
    "LONDON_BOROUGHS",
    "Redaction",
    "TriageResult",
    "describe_kinds",
    "detect_emergency",
    "redact",
    "triage",
]


class TriageResult(BaseModel):
    """What triage found. ``question`` and ``history`` are already redacted."""

    question: str
    history: list[Turn] = Field(default_factory=list)
    redactions: dict[str, int] = Field(default_factory=dict)
    emergency: bool = False
    disclosure: bool = False
    decision: bool = False
    injection: bool = False
    out_of_scope: bool = False
    risk_score_request: bool = False
    writes_case_notes: bool = False
    asks_to_act: bool = False
    child_or_parent: bool = False
    practitioner_crisis: bool = False
    partnership: str = "lambeth"
    named_years: list[str] = Field(default_factory=list)

    @property
    def redacted(self) -> bool:
        return any(self.redactions.values())


def detect_emergency(text: str) -> bool:
    """Immediate danger in one message (recall first: hypotheticals and typos still fire)."""
    norm = normalise(text)
    if signals.EMERGENCY_STRONG.search(norm):
        return True
    if signals.EMERGENCY_WEAK.search(norm):
        general = signals.GENERAL_QUESTION.search(norm) and not signals.CONCRETE_CASE.search(norm)
        return not general
    return False


def _continues_emergency(question: str, history: list[Turn]) -> bool:
    """A short follow-up ("what do I do", "he's still there") to an emergency just described."""
    earlier = [t.content for t in history if t.role == "user"][-2:]
    if not any(detect_emergency(t) for t in earlier):
        return False
    norm = normalise(question)
    return len(norm.split()) <= 8 or bool(signals.CONTINUATION.search(norm))


def _detect_disclosure(norm: str) -> bool:
    if not signals.DISCLOSURE.search(norm):
        return False
    # "What is FGM?" or "how do I respond to a disclosure?" is about the guidance, not a case.
    general = signals.GENERAL_QUESTION.search(norm) or norm.startswith(
        ("what is", "what are", "whats", "how do i", "how should i", "how to", "define", "explain")
    )
    return not general or bool(signals.CONCRETE_CASE.search(norm))


_CREATIVE = (
    "poem",
    "joke",
    "story",
    "stories",
    "song",
    "rap ",
    "limerick",
    "haiku",
    "riddle",
    "homework",
    "lesson plan",
    "assembly",
    "worksheet",
    "quiz",
    "colouring",
    "wordsearch",
)
"""Content requests that stay out of scope even when they mention a safeguarding topic."""


def _detect_out_of_scope(norm: str, *, danger: bool) -> bool:
    if danger or not signals.OUT_OF_SCOPE.search(norm):
        return False
    creative = any(w in norm for w in _CREATIVE)
    return creative or not signals.SAFEGUARDING_TERMS.search(norm)


def triage(
    question: str,
    history: list[Turn] | None = None,
    *,
    default_partnership: str = "lambeth",
    known_partnerships: Iterable[str] = ("lambeth", "lewisham", "london"),
) -> TriageResult:
    """Redact, then classify the latest question (and its conversation) for the notices.

    Signals are computed on the original text (so a name cannot hide a danger word) but
    only the redacted question and history leave this function.
    """
    turns = list(history or [])
    redaction = redact(question)
    # Earlier turns were reported when they were asked; only this message's counts are new.
    clean_history = [Turn(role=t.role, content=redact(t.content).text) for t in turns]

    norm = normalise(question)
    emergency = detect_emergency(question) or _continues_emergency(question, turns)
    disclosure = _detect_disclosure(norm)
    crisis = bool(signals.PRACTITIONER_CRISIS.search(norm))
    child_or_parent = bool(signals.CHILD_OR_PARENT.search(norm))
    return TriageResult(
        question=redaction.text,
        history=clean_history,
        redactions={kind: n for kind, n in redaction.counts.items() if n},
        emergency=emergency,
        disclosure=disclosure,
        decision=bool(signals.DECISION.search(norm)),
        injection=bool(signals.INJECTION.search(norm)),
        out_of_scope=_detect_out_of_scope(
            norm, danger=emergency or disclosure or crisis or child_or_parent
        ),
        risk_score_request=bool(signals.RISK_SCORE.search(norm)),
        writes_case_notes=bool(signals.CASE_NOTES.search(norm)),
        asks_to_act=bool(signals.ASKS_TO_ACT.search(norm)),
        child_or_parent=child_or_parent,
        practitioner_crisis=crisis,
        partnership=detect_partnership(question, default_partnership, known_partnerships),
        named_years=named_years(redaction.text),
    )
