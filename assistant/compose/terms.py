"""Content terms of a text (lower-cased, stemmed, stop words removed).

Shared by sentence scoring (extractive composer), claim support checks (verifier) and
follow-up detection, so that "ratifies" and "ratified", "referral" and "referrals" match.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d+(?:[.,:]\d+)*%?")
_NUMBER = re.compile(r"\d")

_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's
    i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own same
    shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up very was wasn't we we'd we'll we're we've were weren't
    what what's when when's where where's which while who who's whom why why's with won't
    would wouldn't you you'd you'll you're you've your yours yourself yourselves also may
    might must shall will us tell say said says please explain describe know want need
    s t
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
"""Words that carry no topic (English function words plus question-framing verbs)."""

_STEMMER = Stemmer.Stemmer("english")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def words(text: str) -> list[str]:
    """Word and number tokens in order, lower-cased, curly apostrophes made straight."""
    return [m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text)]


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
