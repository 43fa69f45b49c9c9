"""What kind of thing a question asks for (a person's name, a count, a timescale) and
whether a sentence holds it, from ``corpus/answer-types.yaml``.

Used by the extractive composer (a sentence that holds the asked kind is preferred) and by
the answerability gate (an answer none of whose sentences holds it does not answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.triage.names import FIRST_NAMES


@dataclass(frozen=True)
class AnswerType:
    """A kind of thing a question can ask for (a person's name, a count, a timescale)."""

    name: str
    asks: tuple[re.Pattern[str], ...]
    holds: tuple[re.Pattern[str], ...]
    holds_name: bool = False

    def asked(self, question: str) -> bool:
        lowered = question.lower()
        return any(p.search(lowered) for p in self.asks)

    def held(self, sentence: str) -> bool:
        if self.holds_name and _names_person(sentence):
            return True
        return any(p.search(sentence) for p in self.holds)


_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?[A-Z][a-z'-]+")


def _names_person(sentence: str) -> bool:
    """A known first name followed by a capitalised word ("Jane Smith")."""
    return any(m.group(1).lower() in FIRST_NAMES for m in _CAPITALISED_PAIR.finditer(sentence))


class AnswerTypes:
    """The answer kinds of ``corpus/answer-types.yaml``."""

    def __init__(
        self, types: list[AnswerType], gap_statements: tuple[re.Pattern[str], ...] = ()
    ) -> None:
        self.types = types
        self.gap_statements = gap_statements

    @classmethod
    def load(cls, path: Path) -> AnswerTypes:
        if not path.exists():
            return cls([])
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(
            [
                AnswerType(
                    name,
                    tuple(re.compile(p) for p in spec.get("asks", [])),
                    tuple(re.compile(p) for p in spec.get("holds", [])),
                    bool(spec.get("holds_name")),
                )
                for name, spec in (raw.get("types") or {}).items()
            ],
            tuple(re.compile(p) for p in raw.get("gap_statements") or []),
        )

    def asked(self, question: str) -> tuple[AnswerType, ...]:
        """The kinds the question asks for."""
        return tuple(t for t in self.types if t.asked(question))

    def states_gap(self, sentence: str) -> bool:
        """The sentence says the documents do not hold what was asked ("this assistant does
        not hold confirmed opening hours for the IRH"): an honest answer of any kind."""
        return any(p.search(sentence) for p in self.gap_statements)

    def unmet(self, question: str, sentences: list[str]) -> list[str]:
        """The kinds the question asks for that no sentence holds (none when a sentence
        states that the documents do not hold it)."""
        asked = self.asked(question)
        if asked and any(self.states_gap(s) for s in sentences):
            return []
        return [t.name for t in asked if not any(t.held(s) for s in sentences)]
