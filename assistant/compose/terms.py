"""Content terms of a text (lower-cased, stemmed, stop words removed).

Shared by sentence scoring (extractive composer), claim support checks (verifier) and
follow-up detection, so that "ratifies" and "ratified", "referral" and "referrals" match.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from assistant.language_data import language_data

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d+(?:[.,:]\d+)*%?")
_NUMBER = re.compile(r"\d")

STOP_WORDS = language_data().stop_words
"""Words that carry no topic (English function words plus question-framing verbs), from
the language layer's data file."""

_STEMMER = Stemmer.Stemmer("english")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=16384)
def words(text: str) -> tuple[str, ...]:
    """Word and number tokens in order, lower-cased, curly apostrophes made straight.

    Cached: the composer weighs the same passage sentences for every question that
    retrieves them."""
    return tuple(m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text))


def terms(text: str) -> list[str]:
    """Stemmed content terms in order (numbers kept as written)."""
    out: list[str] = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        if _NUMBER.search(word):
            out.append(word)
            continue
        word = word.removesuffix("'s").strip("'")
        if len(word) < 2 or word in STOP_WORDS:
            continue
        out.append(stem(word))
    return out


def is_number(term: str) -> bool:
    return bool(_NUMBER.search(term))
