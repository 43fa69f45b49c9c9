"""The fuzzy danger lexicon: high-precision danger terms, tolerant of typos, in many languages.

The terms live in ``corpus/triage/danger-lexicon.yaml`` (data, not code). English terms are
matched on ``text.normalise``d input token by token, each token allowed the same edit
distance as the spelling corrector (one edit up to eight letters, two beyond), so
"stabed", "unconcious" and "overdosed" all match. Terms in other languages are matched
on accent-folded, lower-cased text as whole words, so a danger phrase inside an
otherwise English message ("help, la nena no respira") is still seen.

This is one signal among several (``triage.situations``); it never decides alone that a
message is calm.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.triage.text import clauses, distance, normalise

__all__ = ["DangerLexicon", "LexiconFile", "fold"]


class EnglishTerms(BaseModel):
    terms: list[str] = Field(default_factory=list)
    calm_contexts: list[str] = Field(default_factory=list)
    """Kept for authors' reference; calm contexts are learned from the exemplar negatives."""


class LanguageTerms(BaseModel):
    name: str
    terms: list[str] = Field(default_factory=list)


class PastTerms(BaseModel):
    """Words that place a described harm in the past and say it is over (see the file)."""

    markers: list[str] = Field(default_factory=list)
    """A time well before today: "last year", "years ago", "when she was 8"."""
    settled: list[str] = Field(default_factory=list)
    """The outcome is known: "she's fine now", "it was dealt with", "reported at the time"."""
    ongoing: list[str] = Field(default_factory=list)
    """Beyond the immediacy words: the harm goes on or may recur ("again", "keeps")."""


class LexiconFile(BaseModel):
    """The shape of ``danger-lexicon.yaml``."""

    english: EnglishTerms = Field(default_factory=EnglishTerms)
    immediacy: list[str] = Field(default_factory=list)
    """Time and urgency words that place a harm now (see the file's comment)."""
    past: PastTerms = Field(default_factory=PastTerms)
    languages: dict[str, LanguageTerms] = Field(default_factory=dict)


def fold(text: str) -> str:
    """Lower case without accents: "Pomocy, NIE ODDYCHA" → "pomocy, nie oddycha"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_UNDECOMPOSABLE)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "ı": "i", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae", "œ": "oe"}
)
"""Letters NFKD leaves whole, folded as an English keyboard types them ("bıçak" → "bicak")."""


_NOT_A_VERB = (
    r"(?!(?:any|some|no|every)?thing\b|(?:morn|even|dur|br)ing\b"
    r"|(?:ask|wonder|hop|say|tell|think)ing\b)"
)
"""Words ending in -ing that are not a harm in progress: nouns, and the writer's framing
("ofsted are asking", "she is saying", "im wondering")."""
_IN_PROGRESS = (
    rf"(?:is|are|im|hes|shes|theyre|its) (?!there\b){_NOT_A_VERB}(?:\w+ )?{_NOT_A_VERB}\w+ing"
)
"""An action in progress: "is hitting", "hes still kicking", "are dragging" (not "is there
learning", "is anything", "are asking")."""


_ASKING = re.compile(
    r"(?:do|does|did|should|shall|can|could|would|will|must|what|whats|how|hows|who|whos|"
    r"whose|whom|when|where|wheres|why|which|is|are|was|were|has|have|need|am|any|anything)\b"
)
"""How a practitioner's own question opens ("do I need to…", "is that…", "what now")."""


_A_YEAR = r"(?:in|since|back in) (?:19|20)\d\d"
"""A named year as a time: "in 2019", "back in 2021" (not "2024-25 report")."""


_FRESH_HARM = (
    r"(?:has|have|hes|shes|theyve|ive|its) (?:just |now |also |already )?"
    r"(?:taken|swallowed|drunk|cut|overdosed|od d|gone|run off|run away|left|hit|hurt|"
    r"attacked|stabbed|threatened|come back|turned up|been (?:hit|hurt|attacked|stabbed|"
    r"taken|raped|assaulted|beaten|threatened))"
)
"""A new harm in the present perfect: "she overdosed last year and has taken more"."""


def _escaped(terms: list[str], drop: set[str] | None = None) -> list[str]:
    """Normalised, de-duplicated, longest first (so "right now" wins over "now"), escaped."""
    words = {normalise(t) for t in terms} - {""} - (drop or set())
    return [re.escape(t) for t in sorted(words, key=len, reverse=True)]


def _words(alternatives: list[str]) -> re.Pattern[str]:
    """One whole-word alternation; an empty list matches nothing."""
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def _limit(word: str) -> int:
    return 0 if len(word) < 5 else (1 if len(word) <= 8 else 2)


@lru_cache(maxsize=65536)
def _same(token: str, word: str) -> bool:
    if token == word:
        return True
    limit = _limit(word)
    return limit > 0 and token[:1] == word[:1] and distance(token, word, limit) <= limit


class DangerLexicon:
    def __init__(self, data: LexiconFile) -> None:
        self.data = data
        self._english = sorted(
            {tuple(normalise(t).split()) for t in data.english.terms if normalise(t)},
            key=len,
            reverse=True,
        )
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for term in self._english:
            by_first.setdefault(term[0][:1], []).append(term)
        self._by_first = by_first
        foreign = sorted(
            {fold(t).strip() for lang in data.languages.values() for t in lang.terms} - {""},
            key=len,
            reverse=True,
        )
        self._foreign = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in foreign) + r")(?!\w)")
            if foreign
            else None
        )

        self._now = _words([*_escaped(data.immediacy), _IN_PROGRESS])
        past = data.past
        self._past = _words([*_escaped(past.markers), _A_YEAR]) if past.markers else None
        self._settled = _words(_escaped(past.settled))
        self._ongoing = _words(
            [
                *_escaped([*data.immediacy, *past.ongoing], drop={"now"}),
                _IN_PROGRESS,
                _FRESH_HARM,
            ]
        )
        self._fresh = re.compile(rf"\b(?:{_IN_PROGRESS}|{_FRESH_HARM})")

    def immediate(self, norm: str) -> bool:
        """A sign that the harm is happening now or within hours ("right now", "tonight",
        "is hitting"), on normalised text."""
        return bool(self._now.search(norm[:4000]))

    def over(self, text: str) -> bool:
        """The message places the harm well in the past and nothing says it goes on: "a
        pupil took an overdose a couple of years ago, she's fine now, was there a review".

        Needs a past marker ("last year", "in 2021", "when she was 8") and none of the
        immediacy or ongoing words ("tonight", "again", "is hitting"); a bare "now" counts
        as ongoing unless the outcome is settled ("fine now", "it was dealt with").
        The practitioner's own question ("do I need to record it again", "is that a
        concern still") is about their next step, not the harm, so its words are not read
        as a sign that the harm goes on — unless it names a danger itself."""
        if self._past is None:
            return False
        body = normalise(text[:4000])
        for clause in clauses(text[:4000]):
            asked = normalise(clause)
            if asked and self._asks_about_next_step(asked):
                body = body.replace(asked, " ")
        if not self._past.search(body) or self._ongoing.search(body):
            return False
        return not re.search(r"\bnow\b", body) or bool(self._settled.search(body))

    def _asks_about_next_step(self, norm: str) -> bool:
        """A question clause with no time of its own and no danger in it ("do we need to
        keep a record", "should I tell anyone still")."""
        return (
            bool(_ASKING.match(norm))
            and not (self._past is not None and self._past.search(norm))
            and not self.english_hits(norm)
            and not self._fresh.search(norm)
        )

    @classmethod
    def load(cls, path: Path) -> DangerLexicon:
        if not path.exists():
            return cls(LexiconFile())
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(LexiconFile.model_validate(raw))

    def english_hits(self, norm: str) -> list[str]:
        """Danger terms present in normalised text (fuzzy per token), longest first."""
        tokens = norm.split()[:400]
        found: list[str] = []
        for i, token in enumerate(tokens):
            for term in self._by_first.get(token[:1], ()):
                n = len(term)
                if i + n <= len(tokens) and all(_same(tokens[i + j], term[j]) for j in range(n)):
                    found.append(" ".join(term))
                    break
        return found

    def foreign_hits(self, text: str) -> list[str]:
        if self._foreign is None:
            return []
        return self._foreign.findall(fold(text[:2000]))
