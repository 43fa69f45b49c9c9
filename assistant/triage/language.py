"""Is this message English, another language, or unreadable? (offline, no model download)

The assistant answers in English only, so a message in another language must still get the
999 route first (EM-01): a worried neighbour typing in Polish or Arabic may be describing a
child in danger, and the assistant cannot read it well enough to rule that out.

Two signals, both shipped with their data inside their wheels:

- the share of the message's words that are common English words (``wordfreq``'s English
  list, plus the domain words, slang and shorthand this project knows), which is robust
  on short English shorthand ("s47 timescale", "whats private fostering") where a
  character-model detector guesses wildly;
- ``lingua``'s character n-gram models for London's most common languages (low-accuracy
  mode: 60 MB, about a millisecond a message), which decides the in-between cases and
  names the language.

A message with no readable words at all ("asdkjh qwe", a row of emoji) is ``unreadable``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

from assistant.triage.vocabulary import COMMON_WORDS

__all__ = ["LanguageCheck", "check_language"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_MAX_CHARS = 2000
"""Only the first 2,000 characters are examined: enough to tell the language, bounded work."""

ENGLISH_ZIPF = 2.5
"""A word at or above this Zipf frequency in English (about 1 in 3 million words) counts as
English. Shorthand and slang such as "rn", "pls", "s47" clear it."""

FOREIGN_MARGIN = 1.5
"""A word this much more frequent in another of the listed languages counts against English."""

_OTHER_LANGUAGES = [
    "pl",
    "ro",
    "es",
    "pt",
    "fr",
    "it",
    "lt",
    "tr",
    "fil",
    "vi",
    "lv",
    "hu",
    "cs",
    "sk",
    "de",
    "nl",
    "sv",
    "da",
    "id",
    "ms",
]
"""Latin-script languages whose ``wordfreq`` lists are consulted for foreign words (other
scripts are recognised by their characters, so their lists are never loaded)."""

OTHER_WORDLIST = "small"
"""The lists read for the other languages: their words down to about one in a million. The
full lists hold every language's rare words too and cost each server process about 350 MB
more for these 20 languages; a foreign word rarer than that is left to the language
detector."""

Verdict = Literal["english", "other", "unreadable"]


class LanguageCheck(BaseModel):
    verdict: Verdict
    language: str
    """ISO 639-1 code of the best guess ("en", "pl", …) or "und" when unreadable."""
    english_share: float
    """Share of the message's words that are common English words."""


_detector_lock = threading.Lock()
_detector: object | None = None


def _lingua() -> object:
    global _detector
    with _detector_lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            names = [
                "ENGLISH",
                "POLISH",
                "ROMANIAN",
                "SPANISH",
                "PORTUGUESE",
                "FRENCH",
                "ITALIAN",
                "LITHUANIAN",
                "ARABIC",
                "BENGALI",
                "URDU",
                "HINDI",
                "GUJARATI",
                "PUNJABI",
                "TAMIL",
                "TURKISH",
                "SOMALI",
                "WELSH",
                "ALBANIAN",
                "YORUBA",
                "CHINESE",
                "PERSIAN",
                "BULGARIAN",
                "UKRAINIAN",
                "RUSSIAN",
                "GERMAN",
                "DUTCH",
                "GREEK",
                "TAGALOG",
                "VIETNAMESE",
                "SWAHILI",
                "LATVIAN",
                "HUNGARIAN",
                "CZECH",
                "SLOVAK",
            ]
            languages = [getattr(Language, name) for name in names]
            _detector = (
                LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
            )
        return _detector


@lru_cache(maxsize=1)
def _known_english() -> frozenset[str]:
    from assistant.triage.text import KEY_WORDS, SLANG

    return frozenset(COMMON_WORDS | KEY_WORDS | set(SLANG))


@lru_cache(maxsize=16384)
def _word_is_english(word: str) -> tuple[bool, bool]:
    """(counts as English, counts as clearly another language) for one lower-case word."""
    from wordfreq import zipf_frequency

    if word in _known_english():
        return True, False
    english = zipf_frequency(word, "en")
    accented = not word.isascii()
    if english >= ENGLISH_ZIPF and not (accented and english < 4.0):
        other = _other_zipf(word)
        return other - english < FOREIGN_MARGIN or english >= 4.0, False
    if accented:
        # "niño", "kò", "mọ́": letters English does not use are evidence of another language.
        return False, True
    return False, _other_zipf(word) >= 2.0


def _other_zipf(word: str) -> float:
    """The word's highest Zipf frequency in any of ``_OTHER_LANGUAGES``."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, lang, wordlist=OTHER_WORDLIST) for lang in _OTHER_LANGUAGES)


def _latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())


def check_language(text: str) -> LanguageCheck:
    """English, another language, or unreadable — never raises, linear in the input."""
    sample = text[:_MAX_CHARS]
    if _mojibake(sample):
        return LanguageCheck(verdict="unreadable", language="und", english_share=0.0)
    # Acronyms ("CCE", "MARF", "LADO") say nothing about the language: leave them out.
    found = [w for w in _WORD.findall(sample) if not (w.isupper() and 1 < len(w) <= 6)]
    if not found and _WORD.search(sample):
        return LanguageCheck(verdict="english", language="en", english_share=1.0)
    words = [w.lower().replace("’", "'") for w in found]
    if not words:
        return LanguageCheck(verdict="unreadable", language="und", english_share=0.0)
    latin = [w for w in words if _latin(w)]
    non_latin_share = 1 - len(latin) / len(words)
    english = foreign = 0
    for word in latin:
        is_english, is_foreign = _word_is_english(word.replace("'", ""))
        english += is_english
        foreign += is_foreign
    share = english / len(words)
    if non_latin_share >= 0.3:
        return LanguageCheck(verdict="other", language=_guess(sample), english_share=share)
    if share >= 0.75 or (share >= 0.5 and foreign == 0):
        return LanguageCheck(verdict="english", language="en", english_share=share)
    if english == 0 and foreign == 0:
        # Nothing recognisable in any language: keyboard mash, a lone typo-ridden word.
        return LanguageCheck(verdict="unreadable", language="und", english_share=0.0)
    guess = _guess(sample)
    if guess == "en" and share >= 0.34:
        return LanguageCheck(verdict="english", language="en", english_share=share)
    return LanguageCheck(verdict="other", language=guess, english_share=share)


def _mojibake(sample: str) -> bool:
    """Text garbled by a wrong encoding ("Ã¢â‚¬Å“"): nobody can read it, so it is unreadable."""
    from ftfy.badness import is_bad

    try:
        return bool(is_bad(sample))
    except Exception:  # pragma: no cover - ftfy never raises on str, but be safe
        return False


def _guess(sample: str) -> str:
    detector = _lingua()
    try:
        found = detector.detect_language_of(sample)  # type: ignore[attr-defined]
    except Exception:  # a detector failure must never cost the 999 route
        return "und"
    if found is None:
        return "und"
    return str(found.iso_code_639_1.name).lower()
