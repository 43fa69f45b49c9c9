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

from assistant.triage.text import distance, normalise

__all__ = ["DangerLexicon", "LexiconFile", "fold"]


class EnglishTerms(BaseModel):
    terms: list[str] = Field(default_factory=list)
    calm_contexts: list[str] = Field(default_factory=list)
    """Kept for authors' reference; calm contexts are learned from the exemplar negatives."""


class LanguageTerms(BaseModel):
    name: str
    terms: list[str] = Field(default_factory=list)


class LexiconFile(BaseModel):
    """The shape of ``danger-lexicon.yaml``."""

    english: EnglishTerms = Field(default_factory=EnglishTerms)
    immediacy: list[str] = Field(default_factory=list)
    """Time and urgency words that place a harm now (see the file's comment)."""
    languages: dict[str, LanguageTerms] = Field(default_factory=dict)


def fold(text: str) -> str:
    """Lower case without accents: "Pomocy, NIE ODDYCHA" → "pomocy, nie oddycha"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_UNDECOMPOSABLE)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "ı": "i", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae", "œ": "oe"}
)
"""Letters NFKD leaves whole, folded as an English keyboard types them ("bıçak" → "bicak")."""


_IN_PROGRESS = r"(?:is|are|im|hes|shes|theyre|its) (?:\w+ )?\w+ing"
"""An action in progress: "is hitting", "hes still kicking", "are dragging"."""


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

        now = sorted({normalise(t) for t in data.immediacy} - {""}, key=len, reverse=True)
        self._now = re.compile(
            r"\b(?:" + "|".join([*(re.escape(t) for t in now), _IN_PROGRESS]) + r")\b"
        )

    def immediate(self, norm: str) -> bool:
        """A sign that the harm is happening now or within hours ("right now", "tonight",
        "is hitting"), on normalised text."""
        return bool(self._now.search(norm[:4000]))

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
