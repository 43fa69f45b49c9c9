"""Normalise messy input so the triage patterns see one spelling of each key word.

Practitioners type fast, on phones, under stress: "kid not breathin pls help rn",
"UNCONCIOUS", "shes bleding". Normalising (lower case, no apostrophes, txt-speak
expanded, stretched letters squeezed) and then correcting near-misses of a fixed list of
key words by edit distance lets a modest set of patterns catch many more real inputs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

from assistant.language_data import language_data
from assistant.triage.vocabulary import COMMON_WORDS

SLANG: dict[str, str] = language_data().slang
"""Text-speak expansions (``corpus/language/shorthand.yaml``)."""
"""Text-speak → plain words (applied token by token after lower-casing)."""

KEY_WORDS: frozenset[str] = frozenset(
    """
    breathing breathe breath unconscious unresponsive conscious bleeding blood choking choked
    drowning drowned stabbed stabbing strangled strangling strangle suffocating overdose
    overdosed suicide suicidal kidnapped kidnap abducted abduction snatched collapsed seizure
    fitting hitting beating punching kicking attacking assaulting threatening threatened
    threatens danger dangerous emergency immediately immediate knife weapon machete locked
    alone missing killing himself herself themselves yourself myself hanging jumping bridge
    burning burned poisoned swallowed tablets paracetamol injured injury injuries hurting
    touches touched touching touchy abused abusing abuse disclosed disclosure disclosing
    raped sexually sexual assaulted molested groomed grooming exploited exploitation
    trafficked threshold referral refer referring significant safeguarding protection
    ignore instructions instruction system prompt citations authorise authorize override
    previous disregard developer pretend please help police ambulance
    screaming bruises bruised bruising unsafe scared frightened terrified mutilation
    circumcision unattended abandoned hospital serious seriously struggling beaten
    dead dying killed knife someone somebody
    """.split()  # noqa: SIM905
)
"""Words worth correcting towards when a typed word is a near miss."""

_APOSTROPHES = re.compile(r"['’‘`´]")
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "€": "e",
        "+": "t",
    }
)
_LEET_CHARS = frozenset("013457 8@$!|€+".replace(" ", ""))
_FUNCTION_WORDS = frozenset(
    [
        "not",
        "no",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "he",
        "she",
        "they",
        "it",
        "his",
        "her",
        "him",
        "them",
        "the",
        "a",
        "an",
        "to",
        "of",
        "in",
        "on",
        "at",
        "with",
        "for",
        "and",
        "or",
        "but",
        "now",
        "just",
        "still",
        "got",
        "has",
        "have",
        "had",
        "can",
        "cant",
        "wont",
        "dont",
        "help",
        "me",
        "my",
    ]
)
_PLAIN_REFERENCE = re.compile(r"^[a-z]{1,3}\d{2,}[a-z]?$|^[a-z]{1,3}\d$|^\d+[a-z]{0,3}$")
"""Section and form references ("s47", "cp2", "2nd", "16yo") are never de-obfuscated."""
_NON_WORD = re.compile(r"[^a-z0-9\[\]\s]+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance, giving up once above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and previous_previous:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


_REAL_WORD_ZIPF = 2.5
"""At or above this Zipf frequency a token is a word in its own right."""


@lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """The key word this token is a near miss of, or the token itself.

    A word English uses in its own right ("breaching", "scalded") is what was meant, not a
    near miss of a key word ("breathing", "scolded"): misspellings are rare in running text
    ("breathin" 1.96, "referal" 1.39 on wordfreq's Zipf scale; "breaching" 2.98)."""
    if len(word) < 5 or word in KEY_WORDS or word in COMMON_WORDS or not word.isalpha():
        return word
    if zipf_frequency(word, "en") >= _REAL_WORD_ZIPF:
        return word
    limit = 1 if len(word) <= 9 else 2
    best, best_distance = word, limit + 1
    for key in KEY_WORDS:
        if key[0] != word[0] and not (len(word) >= 8 and key[1:3] == word[1:3]):
            continue
        if abs(len(key) - len(word)) > 1:
            continue
        d = distance(word, key, limit)
        if d < best_distance:
            best, best_distance = key, d
    return best


def _unleet(token: str) -> str:
    """ "k!ll" → "kill", "s0meone" → "someone", "st@bbed" → "stabbed"; "s47" stays "s47".

    Only a token that mixes letters with look-alike symbols is changed, and only when the
    result is a word (a key word, a common word or a near miss of a key word)."""
    core = token.strip('.,;:?!"()[]{}')
    if (
        len(core) < 3
        or core in SLANG
        or not any(c.isalpha() for c in core)
        or not any(c in _LEET_CHARS for c in core)
        or _PLAIN_REFERENCE.match(core)
    ):
        return token
    mapped = core.translate(_LEET)
    if not mapped.isalpha():
        return token
    if (
        mapped in KEY_WORDS
        or mapped in COMMON_WORDS
        or mapped in _FUNCTION_WORDS
        or correct(mapped) != mapped
    ):
        return token.replace(core, mapped)
    return token


def normalise(text: str) -> str:
    """Lower-case, de-accent, drop apostrophes and punctuation, expand slang, fix near misses.

    "He's NOT breathin pls hlp!!" → "hes not breathing please help";
    "s0meone is k!lling the child" → "someone is killing the child".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _APOSTROPHES.sub("", text)
    text = " ".join(_unleet(token) for token in text.split())
    text = text.replace("y/o", " years old ")
    text = re.sub(r"(\d+)\s*(?:yo|yrs?|y|years?)\b(?:\s*old)?", r"\1 years old", text)
    text = _NON_WORD.sub(" ", text.replace("-", " "))
    text = _STRETCHED.sub(r"\1", text)
    words: list[str] = []
    for token in text.split():
        expanded = SLANG.get(token, token)
        words.extend(correct(t) for t in expanded.split())
    return " ".join(words)


def surface(text: str) -> str:
    """``normalise`` without any repair: lower case, no accents, apostrophes or punctuation.
    When it equals ``normalise(text)``, repair changed nothing worth scoring twice."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text.replace("-", " ")).split())


_CLAUSE_BREAK = re.compile(
    r"[.!?;\n]+\s*|\s+(?:but|and then|and now|because|so now|although|however|then)\s+|,\s+(?=\w)"
)
MAX_CLAUSES = 12


_NO_TOPIC = (
    frozenset(w.replace("'", "") for w in language_data().stop_words | language_data().framing)
    | language_data().stop_words
)


def _too_thin(piece: str, min_words: int) -> bool:
    """Too short, or no word with a topic of its own ("what can I do about it", "he wants
    to"): such a piece means nothing scored alone, so it joins its neighbour."""
    words = surface(piece).split()
    return len(words) < min_words or all(w in _NO_TOPIC for w in words)


def clauses(text: str, *, min_words: int = 3) -> list[str]:
    """The sentences and clauses of a message, for scoring each on its own.

    Danger is often one clause at the end of a long message ("…anyway, his dad has a knife
    now"); scoring clauses separately keeps it from being averaged away. Runs of short
    pieces, and pieces with no topic word, are joined to a neighbour so a clause carries
    enough to mean something. Bounded: at most
    ``MAX_CLAUSES`` clauses (the last ones are kept, since the point often comes last).
    """
    pieces = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and _too_thin(merged[-1], min_words):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    if len(merged) > 1 and _too_thin(merged[-1], min_words):
        last = merged.pop()
        merged[-1] = f"{merged[-1]} {last}"
    return merged[-MAX_CLAUSES:]


_QUOTE = "'\"‘’“”`"
_ASKS_MEANING = (
    r"(?:what\s+(?:does|do)\s+\w+\s+mean\s+by\s+|what\s+is\s+meant\s+by\s+|"
    r"what(?:'s|s)?\s+(?:does|do|is|are)?\s*|meaning\s+of\s+|define\s+)"
)
_QUOTED_MENTION = re.compile(
    rf"(?P<lead>\b{_ASKS_MEANING})[{_QUOTE}](?P<word>[^{_QUOTE}\n]{{1,40}})[{_QUOTE}]",
    re.IGNORECASE,
)
_BARE_MENTION = re.compile(
    rf"(?P<lead>\bwhat(?:'s|s)?\s+(?:does|do)\s+)(?P<word>[^{_QUOTE}?.,!;:\n]{{1,40}}?)"
    rf"(?=\s+(?:mean|means|stand for|stands for)\b)",
    re.IGNORECASE,
)
MENTION_WORDS = 3
"""The longest word or phrase read as mentioned rather than used ("what does kms mean")."""
_NOT_A_MENTION = frozenset({"it", "this", "that", "they", "he", "she", "you", "we", "i"})


_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
_QUESTION_OPENING = re.compile(
    r"^(?:(?:so|but|and|ok|okay|anyway|basically|sorry|hi|hello) )*(?:do|does|did|should|"
    r"shall|can|could|would|will|must|what|whats|wat|wot|how|hows|who|whos|whose|whom|when|wen|where|"
    r"wheres|why|which|is|are|was|were|has|have|need|am|any|anything|not sure|"
    r"i (?:need|want) to know|im wondering)\b"
)
"""How a sentence that asks something opens, on normalised text."""


def sentences(text: str) -> list[str]:
    """The message's sentences, as typed (split after . ! ? and line breaks)."""
    return [s.strip() for s in _SENTENCE_END.split(text[:4000].strip()) if s.strip()]


def is_question(sentence: str) -> bool:
    """The sentence asks something: a question mark, or it opens as a question ("do i
    need to do anything about this", "whats the process here")."""
    return sentence.rstrip().endswith("?") or bool(_QUESTION_OPENING.match(normalise(sentence)))


_PIECE_BREAK = re.compile(r"[,;:]\s+|\s+-+\s+")


def asks_question(text: str) -> bool:
    """Some sentence of the message, or a piece of one between commas or dashes, asks
    something ("the friend was lovely, do i need to tell anyone")."""
    if "?" in text:
        return True
    pieces = [p for sentence in sentences(text) for p in _PIECE_BREAK.split(sentence)]
    return any(is_question(piece) for piece in pieces)


def unmention(text: str) -> str:
    """Replace a word the message asks the meaning of by "this word".

    "what does 'unalive' mean, the kids keep saying it" asks about a word; it does not say
    anyone is in danger, so the danger signals should not read the word as used. Only a
    short word or phrase (``MENTION_WORDS``) is replaced, asked about as "what does … mean
    / stand for", or quoted after "what is", "meaning of" or "define"; the rest of the
    message is scored as it stands, so "what does it mean, he's not breathing" still fires.
    """

    def replace(match: re.Match[str]) -> str:
        word = match.group("word").strip()
        if len(word.split()) > MENTION_WORDS or word.lower() in _NOT_A_MENTION:
            return match.group(0)
        return f"{match.group('lead')}this word"

    return _BARE_MENTION.sub(replace, _QUOTED_MENTION.sub(replace, text))
