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
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.embeddings import Embedder
from assistant.question_intent import question_intents
from assistant.triage import signals
from assistant.triage.language import LanguageCheck, check_language
from assistant.triage.lexicon import DangerLexicon
from assistant.triage.personal_data import Redaction, describe_kinds, redact
from assistant.triage.places import LONDON_BOROUGHS, detect_partnership, named_years
from assistant.triage.situations import Calibration, SituationModel, SituationScores
from assistant.triage.text import asks_question, clauses, normalise, surface, unmention
from assistant.types import Turn

__all__ = [
    "LONDON_BOROUGHS",
    "DangerEvidence",
    "Redaction",
    "TriageResult",
    "Understanding",
    "danger_evidence",
    "describe_kinds",
    "detect_emergency",
    "follow_up_fires",
    "redact",
    "triage",
]

Intent = str
"""One of: emergency, disclosure, child_or_parent, practitioner_crisis, decision,
out_of_scope, question (an ordinary question about the documents)."""

_INTENT_PRIORITY = (
    "emergency",
    "disclosure",
    "child_or_parent",
    "practitioner_crisis",
    "decision",
    "out_of_scope",
)


class TriageResult(BaseModel):
    """What triage found. ``question`` and ``history`` are already redacted."""

    question: str
    history: list[Turn] = Field(default_factory=list)
    redactions: dict[str, int] = Field(default_factory=dict)
    history_redactions: dict[str, int] = Field(default_factory=dict)
    """Identifiers removed from the earlier user turns sent with the question (an API
    client sends its own history, which may never have been redacted)."""
    emergency: bool = False
    disclosure: bool = False
    decision: bool = False
    injection: bool = False
    out_of_scope: bool = False
    """A request outside the tool's purpose by its form (write a poem, do my homework)."""
    off_topic: bool = False
    """The classifier reads the message as off-topic; weighed by the answerability gate."""
    off_topic_margin: float | None = None
    """How far the classifier's off-topic score is above (or below) its threshold, for a
    message that is neither a follow-up nor a danger; the gate weighs it as a degree."""
    risk_score_request: bool = False
    writes_case_notes: bool = False
    asks_to_act: bool = False
    child_or_parent: bool = False
    practitioner_crisis: bool = False
    partnership: str = "lambeth"
    named_years: list[str] = Field(default_factory=list)
    intent: Intent = "question"
    """The leading intent, in priority order (emergency first)."""
    asks: str = "general"
    """What the question asks for by its form: library, statistic, contact, process,
    route, definition or general (``assistant/question_intent.py``)."""
    language: str = "en"
    """ISO 639-1 code of the message's language, or "und" when it could not be read."""
    english: bool = True
    scores: dict[str, float] = Field(default_factory=dict)
    """The situation classifier's score per intent (empty when no classifier ran)."""
    emergency_signals: list[str] = Field(default_factory=list)
    """What fired the emergency route: pattern, lexicon, classifier, language, follow-up."""
    asks_question: bool = False
    """The message asks something (a question mark or a clause that opens as a question)."""
    emergency_deferred: bool = False
    """A disclosure with no sign of "now" whose weak danger evidence was handed to the
    disclosure route (EM-04); its card still opens with the 999 line."""

    @property
    def redacted(self) -> bool:
        return any(self.redactions.values())


@dataclass(frozen=True)
class Understanding:
    """The learned half of triage: the situation classifier, the danger lexicon and the
    thresholds fitted for them. Without one, triage runs on patterns and language alone."""

    model: SituationModel | None
    lexicon: DangerLexicon
    calibration: Calibration

    @classmethod
    def load(
        cls, folder: Path, embedder: Embedder | None, *, cache_dir: Path | None = None
    ) -> Understanding:
        model = (
            SituationModel.load(folder, embedder, cache_dir=cache_dir)
            if embedder is not None
            else None
        )
        return cls(
            model=model,
            lexicon=DangerLexicon.load(folder / "danger-lexicon.yaml"),
            calibration=Calibration.load(folder / "calibration.yaml"),
        )

    def score(self, text: str) -> SituationScores | None:
        if self.model is None:
            return None
        # The normalised text too: "ch!ld n0t br3athin" embeds as noise, its repair does not.
        pieces = clauses(text)
        repaired = normalise(text)
        if repaired and repaired != surface(text):  # not for punctuation and case alone
            pieces = [*pieces, repaired]
        return self.model.score(text, pieces)

    def fires(self, scores: SituationScores | None, intent: str) -> bool:
        if scores is None:
            return False
        return scores.best.get(intent, -1.0) >= self.calibration.threshold(intent)


def detect_emergency(text: str) -> bool:
    """Immediate danger in one message by the high-precision patterns alone."""
    norm = normalise(text)
    if signals.EMERGENCY_STRONG.search(norm):
        return True
    if signals.EMERGENCY_WEAK.search(norm):
        general = signals.GENERAL_QUESTION.search(norm) and not signals.CONCRETE_CASE.search(norm)
        return not general
    return False


@dataclass(frozen=True)
class DangerEvidence:
    """Every emergency signal of one message, before any threshold is applied."""

    language: LanguageCheck
    scores: SituationScores | None
    pattern: bool
    """The high-precision patterns (``signals.EMERGENCY_*``) matched."""
    lexicon_english: bool
    lexicon_foreign: bool
    disclosure: bool = False
    """The message reads as a disclosure: someone told the writer about harm (patterns)."""
    immediate: bool = True
    """A time or urgency word places the harm now or within hours (the lexicon's list)."""
    over: bool = False
    """The harm is placed well in the past and nothing says it goes on (the lexicon's
    ``past`` words): "a pupil took an overdose two years ago, she's fine now"."""

    def fired(self, calibration: Calibration) -> list[str]:
        """What fires the 999 route, after a disclosure with no sign of now is handed to
        the disclosure route (EM-04) instead; see ``signals_before_deferral``."""
        fired = self.signals_before_deferral(calibration)
        return [] if self.deferred(fired) else fired

    def signals_before_deferral(self, calibration: Calibration) -> list[str]:
        """The 999 signals, except for an English message about harm that is over ("last
        year a child choked at lunch and back blows worked; should we have logged it"):
        its danger words and its likeness to danger exemplars describe the past, so the
        ordinary answer leads. Another language or a foreign danger term still fires."""
        fired = self._signals(calibration)
        if self.over and not self.lexicon_foreign and "language" not in fired:
            return []
        return fired

    def deferred(self, fired: list[str]) -> bool:
        """A disclosure ("he said dad hits him with a belt") whose only danger evidence is
        the classifier or the English lexicon, with no time or urgency word, opens with the
        disclosure route, whose first line is still "if the child is in immediate danger,
        call 999". The high-precision patterns, another language, or a word of "now"
        ("right now", "tonight", "is hitting") keep the 999 panel first."""
        return (
            bool(fired)
            and set(fired) <= {"classifier", "lexicon"}
            and not self.lexicon_foreign
            and self.disclosure
            and not self.immediate
        )

    def _signals(self, calibration: Calibration) -> list[str]:
        """What fires the 999 route (EM-01/EM-02), recall first.

        Any of: the message is not English or cannot be read; the classifier's score over
        the message or any clause reaches the emergency threshold; a danger term in another
        language; or the patterns or the English lexicon match and the classifier's score
        reaches the lower ``corroborated`` threshold. Recall comes first (EM-02): a
        disclosure the classifier cannot tell from danger now gets the 999 panel first,
        with the disclosure notice after it.
        The ``corroborated`` condition is what keeps "is there a course on spotting suicide
        risk" calm: the word matches, but the message sits among the calm exemplars."""
        fired: list[str] = []
        if self.language.verdict != "english":
            fired.append("language")
        best = self.scores.best.get("emergency", -1.0) if self.scores else None
        if best is not None and best >= calibration.threshold("emergency"):
            fired.append("classifier")
        corroborated = best is None or best >= calibration.corroborated
        if self.pattern and corroborated:
            fired.append("pattern")
        if self.lexicon_foreign or (self.lexicon_english and corroborated):
            fired.append("lexicon")
        return fired


def danger_evidence(text: str, understanding: Understanding | None) -> DangerEvidence:
    """Every danger signal of one message. The language check reads the message as typed;
    the others read it with any word it only asks the meaning of set aside (``unmention``)."""
    language = check_language(text)
    used = unmention(text)
    norm = normalise(used)
    lexicon = understanding.lexicon if understanding is not None else None
    return DangerEvidence(
        language=language,
        scores=understanding.score(used) if understanding is not None else None,
        pattern=detect_emergency(used),
        lexicon_english=bool(lexicon and lexicon.english_hits(norm)),
        lexicon_foreign=bool(lexicon and lexicon.foreign_hits(used)),
        disclosure=language.verdict == "english" and _detect_disclosure(norm),
        immediate=lexicon is None or lexicon.immediate(norm),
        over=lexicon is not None and lexicon.over(used),
    )


def _calibration(understanding: Understanding | None) -> Calibration:
    return understanding.calibration if understanding is not None else Calibration()


def follow_up_fires(question: str, earlier_fired: bool) -> bool:
    """A short follow-up ("what do I do", "he's still there") to an emergency just described."""
    if not earlier_fired:
        return False
    norm = normalise(question)
    return len(norm.split()) <= 8 or bool(signals.CONTINUATION.search(norm))


def _continues_emergency(
    question: str, history: list[Turn], understanding: Understanding | None
) -> bool:
    earlier = [t.content for t in history if t.role == "user"][-2:]
    calibration = _calibration(understanding)
    fired = any(danger_evidence(t, understanding).fired(calibration) for t in earlier)
    return follow_up_fires(question, fired)


def _detect_disclosure(norm: str) -> bool:
    if not signals.DISCLOSURE.search(norm):
        return False
    # "What is FGM?" or "how do I respond to a disclosure?" is about the guidance, not a case.
    general = signals.GENERAL_QUESTION.search(norm) or norm.startswith(
        ("what is", "what are", "whats", "how do i", "how should i", "how to", "define", "explain")
    )
    return not general or bool(signals.CONCRETE_CASE.search(norm))


def _disclosure_corroborated(
    scores: SituationScores | None, understanding: Understanding | None
) -> bool:
    """The disclosure words matched; does the classifier agree this reads as a disclosure?
    Without the classifier (or its disclosure exemplars) the words alone decide."""
    if scores is None or "disclosure" not in scores.best:
        return True
    return scores.best["disclosure"] >= _calibration(understanding).disclosure_corroborated


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
    understanding: Understanding | None = None,
) -> TriageResult:
    """Redact, then classify the latest question (and its conversation) for the notices.

    Signals are computed on the original text (so a name cannot hide a danger word) but
    only the redacted question and history leave this function.
    """
    turns = list(history or [])
    redaction = redact(question)
    clean_history: list[Turn] = []
    history_counts: dict[str, int] = {}
    for turn in turns:
        cleaned = redact(turn.content)
        clean_history.append(Turn(role=turn.role, content=cleaned.text))
        if turn.role == "user":
            for kind, n in cleaned.counts.items():
                history_counts[kind] = history_counts.get(kind, 0) + n

    norm = normalise(question)
    danger = danger_evidence(question, understanding)
    before = danger.signals_before_deferral(_calibration(understanding))
    deferred = danger.deferred(before)
    emergency_signals = [] if deferred else before
    if not emergency_signals and _continues_emergency(question, turns, understanding):
        emergency_signals.append("follow-up")
    emergency = bool(emergency_signals)
    scores = danger.scores

    def learned(intent: str) -> bool:
        return understanding is not None and understanding.fires(scores, intent)

    english = danger.language.verdict == "english"
    disclosure = english and (
        (_detect_disclosure(norm) and _disclosure_corroborated(scores, understanding))
        or learned("disclosure")
    )
    crisis = english and (
        bool(signals.PRACTITIONER_CRISIS.search(norm)) or learned("practitioner_crisis")
    )
    child_or_parent = english and (
        bool(signals.CHILD_OR_PARENT.search(norm)) or learned("child_or_parent")
    )
    decision = english and (bool(signals.DECISION.search(norm)) or learned("decision"))
    out_of_scope = english and _detect_out_of_scope(
        norm, danger=emergency or disclosure or crisis or child_or_parent
    )
    # The classifier's off-topic reading is evidence, not a verdict: the answerability
    # gate weighs it with what the documents hold ("whats CCE" reads off-topic, but the
    # documents define it).
    # A follow-up takes its topic from the conversation; danger is never off-topic.
    reads_alone = (
        english and not turns and not (emergency or disclosure or crisis or child_or_parent)
    )
    off_topic = english and (out_of_scope or (learned("out_of_scope") and reads_alone))
    off_topic_margin = (
        scores.best["out_of_scope"] - understanding.calibration.threshold("out_of_scope")
        if reads_alone
        and understanding is not None
        and scores is not None
        and "out_of_scope" in scores.best
        else None
    )
    flags = {
        "emergency": emergency,
        "disclosure": disclosure,
        "child_or_parent": child_or_parent,
        "practitioner_crisis": crisis,
        "decision": decision,
        "out_of_scope": out_of_scope,
    }
    intent = next((name for name in _INTENT_PRIORITY if flags[name]), "question")
    return TriageResult(
        question=redaction.text,
        history=clean_history,
        redactions={kind: n for kind, n in redaction.counts.items() if n},
        history_redactions={kind: n for kind, n in history_counts.items() if n},
        emergency=emergency,
        disclosure=disclosure,
        decision=decision,
        injection=bool(signals.INJECTION.search(norm)),
        out_of_scope=out_of_scope,
        off_topic=off_topic,
        off_topic_margin=off_topic_margin,
        risk_score_request=bool(signals.RISK_SCORE.search(norm)),
        writes_case_notes=bool(signals.CASE_NOTES.search(norm)),
        asks_to_act=bool(signals.ASKS_TO_ACT.search(norm)),
        child_or_parent=child_or_parent,
        practitioner_crisis=crisis,
        partnership=detect_partnership(question, default_partnership, known_partnerships),
        named_years=named_years(redaction.text),
        intent=intent,
        asks=question_intents().of(norm),
        language=danger.language.language,
        english=english,
        scores=dict(scores.best) if scores else {},
        emergency_signals=emergency_signals,
        emergency_deferred=deferred,
        asks_question=asks_question(redaction.text),
    )
