"""What a question is about: its focus terms and their glossary alternatives.

One definition shared by the extractive composer (which sentences answer) and the
answerability gate (whether the chosen sentences address the question at all), so the
two can never disagree about what was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.compose.terms import stem, terms
from assistant.glossary import terms_in as glossary_terms_in
from assistant.language_data import language_data
from assistant.triage.places import LONDON_BOROUGHS
from assistant.triage.text import normalise

_YEARISH = re.compile(r"^(?:19|20)?\d{2}$")
_QUESTION_FRAME = re.compile(r"\bhow (many|much|long|often|far|soon)\b", re.I)
""""How many/long/often": the second word frames the question, it is not its topic."""
_DEFINITION_FRAME = re.compile(
    r"\b(?:(stands?) for|(mean|means|meaning)|(definition|define)(?: of)?"
    r"|(counts?|classed|classified) as)\b",
    re.I,
)
""""What does LADO stand for", "CSE meaning", "what counts as neglect": the frame of a
definition question; an answer spells the term out or says what it is, it need not repeat
"stand", "mean" or "count"."""

_FRAMING = frozenset(stem(word) for word in language_data().framing)

PLACES = (
    frozenset(stem(name) for names in LONDON_BOROUGHS.values() for name in names if " " not in name)
    | {stem("london"), stem("borough")}
    | {stem(name) for name in language_data().neighbourhoods}
)


@dataclass(frozen=True)
class Focus:
    """The question's content terms and, for each, the term sets that also stand for it."""

    terms: list[str]
    synonyms: dict[str, list[frozenset[str]]] = field(default_factory=dict)

    def present(self, found: list[str]) -> set[str]:
        """``found``'s terms, with plural acronyms ("DSPs") and glossary expansions mapped
        onto the question's form, so "delegated safeguarding partner" finds "The DSPs are:"."""
        wanted = set(self.terms)
        present = set(found)
        present |= {
            t[:-1]
            for t in found
            if t.endswith("s") and (t[:-1] in wanted or t[:-1] in self.synonyms)
        }
        for abbreviation, alternatives in self.synonyms.items():
            if abbreviation in wanted and abbreviation not in present:
                for alternative in alternatives:
                    if alternative and len(alternative & present) >= 0.67 * len(alternative):
                        present.add(abbreviation)
                        break
        return present


@lru_cache(maxsize=256)
def focus_of(question: str) -> Focus:
    """Content terms, less years and places (retrieval already scoped by both; a sentence
    that merely names the borough does not answer "where can I park in Lambeth") and the
    frame of "how many/long/often" (the answer is a figure, not the word).

    Cached: the composer and the answerability gate ask for the same question's focus
    in one turn (treat the result as read-only)."""
    frames = {stem(m.group(1).lower()) for m in _QUESTION_FRAME.finditer(question)}
    frames |= {
        stem(word.lower())
        for m in _DEFINITION_FRAME.finditer(question)
        for word in m.groups()
        if word
    }
    all_terms = terms(_plain(question))
    kept = [
        t
        for t in all_terms
        if not _YEARISH.match(t) and t not in frames and t not in PLACES and t not in _FRAMING
    ]
    return Focus(kept or all_terms, _synonyms(question))


def _plain(question: str) -> str:
    """The question in the documents' words: slang and near-miss spellings repaired
    (the one normaliser), then practitioners' shorthand expanded ("kid" → "child")."""
    practice = language_data().practice
    return " ".join(practice.get(word, word) for word in normalise(question).split())


def _synonyms(question: str) -> dict[str, list[frozenset[str]]]:
    """Acronyms in the question → the term sets of their expansions, so "CLA" matches
    "children looked after" and the reverse."""
    out: dict[str, list[frozenset[str]]] = {}
    for entry in glossary_terms_in(question):
        forms = [entry.abbreviation, entry.expansion, *entry.synonyms]
        stemmed = [frozenset(terms(form)) for form in forms]
        for form in stemmed:
            for term in form:
                out.setdefault(term, []).extend(f for f in stemmed if f != form)
    return out
