"""Find identifiers in free text and replace them with placeholders (PD-01, PD-08).

Deterministic regular expressions and word lists, no model: the same detector runs on
questions, conversation history and feedback comments before anything is searched,
logged, stored or sent to a language model. Detection is never perfect (see the
requirements' "detection is imperfect" tension), so it errs towards redacting.

Placeholders are fixed strings such as ``[name]`` and ``[postcode]``; no mapping back to
the original is kept anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import phonenumbers
import regex as re
from pydantic import BaseModel
from stdnum.gb import nhs as nhs_checksum
from wordfreq import zipf_frequency

from assistant.triage.names import (
    AMBIGUOUS_FIRST_NAMES,
    FIRST_NAMES,
    PROTECTED_TERMS,
    PUBLIC_FIGURES,
    SURNAMES,
)
from assistant.triage.vocabulary import COMMON_WORDS

PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "nhs_number": "[NHS number]",
    "ni_number": "[NI number]",
    "upn": "[pupil number]",
    "phone": "[phone number]",
    "number": "[number]",
    "date_of_birth": "[date of birth]",
    "date": "[date]",
    "postcode": "[postcode]",
    "address": "[address]",
    "school_class": "[school and class]",
    "name": "[name]",
}
"""Kind → placeholder. Kinds are the keys of ``Redaction.counts``."""

KIND_LABELS: dict[str, str] = {
    "name": "names",
    "date_of_birth": "dates of birth",
    "date": "dates",
    "address": "addresses",
    "postcode": "postcodes",
    "phone": "phone numbers",
    "email": "email addresses",
    "nhs_number": "NHS numbers",
    "ni_number": "National Insurance numbers",
    "upn": "unique pupil numbers",
    "number": "identifying numbers",
    "school_class": "school or class details",
}
"""Plain-English labels for the personal-data notice, in the order they are listed."""

PUBLIC_PHONE_NUMBERS: frozenset[str] = frozenset(
    {
        "02079263100",  # Lambeth Integrated Referral Hub (register / corpus)
        "02079265555",  # Lambeth social care, out of hours (register / corpus)
        "02079264679",  # Lambeth LADO (register / corpus)
        "08001111",  # Childline
        "08088005000",  # NSPCC helpline
    }
)
"""Service numbers a user may quote; they identify no one, so they are left alone."""


class Redaction(BaseModel):
    """Redacted text and how many identifiers of each kind were replaced."""

    text: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{2,4}}"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_DOB = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|birthday(?:\s+is)?|born(?:\s+on)?|b\.)"
    rf"\s*(?:is|was|[:\-–=])?\s*({_DATE})",
    re.IGNORECASE,
)
_DOB_SUFFIX = re.compile(rf"\b{_DATE}\s*\((?:d\.?o\.?b\.?|date of birth)\)", re.IGNORECASE)

_EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")
_NI = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
_UPN = re.compile(r"\b[A-Z]\d{12}\b|\b[A-Z]\d{11}[A-Z]\b", re.IGNORECASE)
_NHS_CONTEXT = re.compile(
    r"\b(?:nhs|chi|hospital)\s*(?:no\.?|number|num|#)?\s*(?:is|:)?\s*(\d{3}[\s-]?\d{3}[\s-]?\d{4})\b",
    re.IGNORECASE,
)
_NHS = re.compile(r"(?<![\d+])\b([1-9]\d{2}[\s-]?\d{3}[\s-]?\d{4})\b(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?44\s?\(?0?\)?\s?|0044\s?|\(?0)"
    r"\d{2,4}\)?(?:[\s-]?\d){6,8}\b"
)
_POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_STREET_SUFFIX = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Way|Place|Pl|Gardens|Gdns|"
    r"Court|Ct|Crescent|Cres|Terrace|Terr|Grove|Gr|Hill|Square|Sq|Walk|Mews|Row|Rise|Vale|"
    r"Parade|Mansions|Yard|Parkway|Boulevard|Approach|Estate|Park|Green|Gate|Wharf|Buildings)"
)
_ADDRESS = re.compile(
    r"\b(?:(?i:flat|apartment|apt|unit)\s*\d+[a-z]?,?\s+)?"
    r"(?:(?:[A-Z][a-z]+\s+){0,2}(?:House|Court|Lodge|Tower|Point|Mansions),?\s+)?"
    rf"\d{{1,4}}[a-z]?,?\s+(?:[A-Z][A-Za-z']+\s+){{1,3}}{_STREET_SUFFIX}\b\.?"
)
# The same typed in lower case ("14 acre lane"), with only unambiguous street words.
_ADDRESS_LOWER = re.compile(
    r"\b(?:flat\s*\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+(?!the\b|a\b|an\b|of\b|and\b|my\b)"
    r"(?:[a-z']{3,}\s+){1,2}(?:road|rd|street|lane|avenue|ave|close|drive|crescent|terrace|"
    r"grove|gardens|mews)\b",
    re.IGNORECASE,
)
# A street without a house number, after "lives on / at / in / off".
_STREET_ONLY = re.compile(
    r"(?:(?<=\bon )|(?<=\bat )|(?<=\bin )|(?<=\boff ))"
    rf"(?:[A-Z][a-z']+\s+){{1,3}}{_STREET_SUFFIX}\b(?!\s+(?:School|Primary|Academy))"
)
_SCHOOL_NAME = (
    r"(?:(?:St\.?|Saint)\s+[A-Z][A-Za-z']+(?:'s)?(?:\s+[A-Z][A-Za-z']+)*"
    r"|(?:[A-Z][A-Za-z'&-]+\s+){1,4}(?:Primary|Secondary|Infants?|Junior|High|Grammar|Academy|"
    r"School|College|Nursery|Prep|PRU)(?:\s+(?:School|Academy|College))?(?!\s+(?:Hospital|NHS)))"
)
_SCHOOL_CLASS = re.compile(
    r"\b(?:(?:year|yr|y)\s?\d{1,2}(?:\s?[A-Z]{1,2}\b)?|reception(?:\s+class)?|"
    r"nursery(?:\s+class)?|class\s+[A-Z0-9]{1,3}\b|form\s+[0-9]{1,2}[A-Z]{0,2}\b)"
    rf"[\s,]+(?:at|in|of|from)\s+(?:the\s+)?{_SCHOOL_NAME}",
    re.IGNORECASE,
)
_SCHOOL_ONLY = re.compile(rf"\b{_SCHOOL_NAME}")
_NAME_WORD = r"\p{Lu}(?:['’]\p{Lu})?\p{Ll}[\p{L}'’-]*"
"""A capitalised name in any alphabet, whole: "Wiśniewski", "Mia-Rose", "O'Connor"."""
_ANY_WORD = r"\p{L}[\p{L}'’-]*"
_PARTICLE = (
    r"(?:Ó|O|Ní|Nic|Mac|Mc|Ua|Uí|[Dd]e|[Vv]an|[Vv]on|der|[Dd]a|[Dd]i|del|[Aa]l|[Ee]l|bin|bint|"
    r"ibn|[Aa]bu)"
)
"""Words inside family names ("Seán Ó Súilleabháin", "Ahmed bin Said", "de Souza")."""
_TITLE_NAME = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Master|Dr)\.?\s+(?:{_PARTICLE}\s+)?(?:{_NAME_WORD}|\p{{Lu}}\.)"
    rf"(?:\s+{_NAME_WORD})?"
)
_MORE_NAME = re.compile(rf"\s+(?:{_PARTICLE}\s+)?({_NAME_WORD})")
_CALLED = re.compile(
    r"\b(?:(?:boy|girl|child|kid|pupil|student|baby|toddler|son|daughter|brother|sister|man|"
    r"woman|lad|teen|teenager|young person|mum|dad|mother|father|stepdad|stepmum|uncle|aunt|"
    r"boyfriend|girlfriend|partner|friend|cousin|carer)\s+(?:called|named|named as)"
    r"|(?:my|his|her|their|the child's|the pupil's)\s+name\s+is|name's|goes by|known as|named)"
    rf"\s+({_ANY_WORD}(?:\s+{_ANY_WORD})?)",
    re.IGNORECASE,
)
_AGE_AFTER_NAME = re.compile(
    rf"\b({_NAME_WORD}(?:\s+{_NAME_WORD})?)(?=\s*(?:\((?:age(?:d)?\s*)?\d{{1,2}}\)|,\s*(?:aged?\s*)?\d{{1,2}}\b"
    r"|\s+(?:aged?|age)\s+\d{1,2}\b|\s+who\s+is\s+\d{1,2}\b|,?\s+\d{1,2}\s*(?:yrs?|years?)\s*old))"
)
_POSSESSIVE_RELATIVE = re.compile(
    rf"\b({_NAME_WORD})'s\s+(?:mum|mom|dad|mother|father|stepdad|stepmum|step-dad|step-mum|"
    r"brother|sister|nan|nana|gran|grandma|grandad|uncle|aunt|auntie|carer|parents?|family|"
    r"boyfriend|girlfriend|house|home|teacher)\b"
)
_CAP_SEQUENCE = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})+")
_WORD = re.compile(_ANY_WORD)
_REPORTED = re.compile(
    rf"\b({_NAME_WORD})(?=\s+(?:has\s+|had\s+)?(?:told|tells|said|says|disclosed|discloses|"
    r"reported|mentioned|confided|alleged|admitted|explained)\b)"
)
_NUMERIC_DATE = re.compile(r"\b(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")

_NOT_A_NAME_AFTER_CALLED = frozenset(
    """
    the a an me him her them us it police social services care mash irh lado 999 dsl
    ambulance school mum dad anyone someone nobody back again out up off in on
    for to and or but because then yesterday today
    """.split()  # noqa: SIM905
)
_STRUCTURAL = frozenset(
    w.lower()
    for w in """
    Road Rd Street St Lane Avenue Close Drive Way Place Gardens Court Crescent Terrace Grove
    Hill Square Walk Mews Row Rise Vale Parade Estate Park Green Primary Secondary School
    Academy College Nursery Hospital Centre Center House Hub Team Service Services Council
    Borough Partnership Board Police Station Church Mosque Library
    """.split()  # noqa: SIM905
)

_Finder = Callable[[str], list[tuple[int, int]]]


def _spans(pattern: re.Pattern[str], group: int = 0) -> _Finder:
    def find(text: str) -> list[tuple[int, int]]:
        return [m.span(group) for m in pattern.finditer(text) if m.group(group)]

    return find


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phones(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _PHONE.finditer(text):
        digits = _digits(m.group())
        if digits.startswith("44"):
            digits = "0" + digits[2:].lstrip("0")
        if digits in PUBLIC_PHONE_NUMBERS or not 10 <= len(digits) <= 11:
            continue
        found.append(m.span())
    return found


def _nhs_numbers(text: str) -> list[tuple[int, int]]:
    """Ten digits after "NHS number", or anywhere when the NHS checksum holds."""
    spans = [m.span(1) for m in _NHS_CONTEXT.finditer(text)]
    spans += [m.span(1) for m in _NHS.finditer(text) if nhs_checksum.is_valid(m.group(1))]
    return spans


def _ten_digit_numbers(text: str) -> list[tuple[int, int]]:
    """Other ten-digit numbers are redacted too, as numbers: the checksum only labels."""
    return [m.span(1) for m in _NHS.finditer(text)]


def _is_common(word: str) -> bool:
    return word.lower().strip("'") in COMMON_WORDS


_EVERYDAY_ZIPF = 4.0
"""Words at least this frequent in English (wordfreq's Zipf scale) are everyday words."""

_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "’": "'", "ı": "i"})


def fold(word: str) -> str:
    """Lower case without accents, for looking a name up: "Seán" -> "sean"."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _name_parts(word: str) -> list[str]:
    bare = fold(word)
    bare = bare[:-2] if bare.endswith("'s") else bare
    return [bare, *bare.split("-")] if "-" in bare else [bare]


def _is_first_name(word: str) -> bool:
    """A known given name, or a hyphenated one with a known part. Accents are set aside
    for a capitalised word ("Seán"); a lower-case word must match as typed, so a word in
    another language ("muša") is not taken for a name ("Musa")."""
    if word[:1].isupper():
        return any(part in FIRST_NAMES for part in _name_parts(word))
    bare = word.lower()
    bare = bare[:-2] if bare.endswith(("'s", "’s")) else bare
    return bare in FIRST_NAMES or any(part in FIRST_NAMES for part in bare.split("-"))


def _is_ambiguous(word: str) -> bool:
    return fold(word) in AMBIGUOUS_FIRST_NAMES


def _called_names(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _CALLED.finditer(text):
        words = m.group(1).split()
        first = words[0]
        if first.lower() in _NOT_A_NAME_AFTER_CALLED:
            continue
        if not first[0].isupper() and _is_common(first) and not _is_first_name(first):
            continue
        start = m.start(1)
        end = m.end(1)
        if len(words) == 2 and (_is_common(words[1]) and not _is_first_name(words[1])):
            end = start + len(first)
        spans.append((start, end))
    return spans


def _titled_names(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TITLE_NAME.finditer(text)]


def _age_names(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _AGE_AFTER_NAME.finditer(text):
        words = m.group(1).split()
        # Keep only the trailing run of words that look like names.
        keep = [w for w in words if _is_first_name(w) or not _is_common(w)]
        if not keep:
            continue
        if len(keep) < len(words):
            words = words[len(words) - len(keep) :]
        start = m.end(1) - len(" ".join(words))
        spans.append((start, m.end(1)))
    return spans


def _possessive_names(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _POSSESSIVE_RELATIVE.finditer(text):
        word = m.group(1)
        if _is_first_name(word) or not _is_common(word):
            spans.append(m.span(1))
    return spans


def _capitalised_names(text: str) -> list[tuple[int, int]]:
    """Known first name (+ surname), or two capitalised words neither of which is common."""
    spans = []
    for m in _CAP_SEQUENCE.finditer(text):
        words = list(_WORD.finditer(m.group()))
        i = 0
        while i < len(words) - 1:
            first, second = words[i].group(), words[i + 1].group()
            first_is_name = _is_first_name(first) and (
                not _is_ambiguous(first) or not _is_common(second)
            )
            if (first_is_name and second.lower() not in _STRUCTURAL) or (
                not _is_common(first)
                and not _is_common(second)
                and second.lower() not in _STRUCTURAL
            ):
                end_word = i + 1
                if end_word + 1 < len(words) and not _is_common(words[end_word + 1].group()):
                    end_word += 1
                spans.append((m.start() + words[i].start(), m.start() + words[end_word].end()))
                i = end_word + 1
            else:
                i += 1
    return spans


def _single_first_names(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _WORD.finditer(text):
        word = m.group()
        bare = word[:-2] if word.lower().endswith(("'s", "’s")) else word
        if not _is_first_name(bare) or _is_ambiguous(bare):
            continue
        if bare[0].isupper() or (len(bare) >= 4 and not _is_common(bare)):
            spans.append((m.start(), m.start() + len(bare)))
    return spans


def _reported_names(text: str) -> list[tuple[int, int]]:
    """A capitalised word that is not an everyday word, before "told", "said", "disclosed"…"""
    return [
        m.span(1)
        for m in _REPORTED.finditer(text)
        if not _is_common(m.group(1))
        and m.group(1).lower() not in _STRUCTURAL
        and zipf_frequency(m.group(1), "en") < _EVERYDAY_ZIPF  # "She", "Nobody", "Mum"
    ]


def _surnames(text: str) -> list[tuple[int, int]]:
    """Common family names that are not English words, in any case ("begum", "Okafor")."""
    spans = []
    for m in _WORD.finditer(text):
        word = m.group()
        bare = word[:-2] if word.lower().endswith(("'s", "’s")) else word
        if fold(bare) in SURNAMES and not _is_common(bare):
            spans.append((m.start(), m.start() + len(bare)))
    return spans


def _international_phones(text: str) -> list[tuple[int, int]]:
    """Numbers written with a country code (+48…, 0044…), any country (``phonenumbers``)."""
    found = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        if not match.raw_string.lstrip("(").startswith(("+", "00")):
            continue  # national numbers are left to the UK pattern
        number = match.number
        national = str(number.national_number)
        if number.country_code == 44 and "0" + national in PUBLIC_PHONE_NUMBERS:
            continue
        found.append((match.start, match.end))
    return found


def _schools(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _SCHOOL_CLASS.finditer(text)]
    for m in _SCHOOL_ONLY.finditer(text):
        # A school named after a generic word only ("Primary School") is not identifying.
        words = m.group().split()
        if all(_is_common(w) for w in words) and not m.group().lower().startswith(("st", "saint")):
            continue
        spans.append(m.span())
    return spans


_DETECTORS: tuple[tuple[str, _Finder], ...] = (
    ("email", _spans(_EMAIL)),
    ("date_of_birth", _spans(_DOB, 1)),
    ("date_of_birth", _spans(_DOB_SUFFIX)),
    ("date", _spans(_NUMERIC_DATE)),
    ("ni_number", _spans(_NI)),
    ("upn", _spans(_UPN)),
    ("phone", _international_phones),
    ("nhs_number", _nhs_numbers),
    ("phone", _phones),
    ("number", _ten_digit_numbers),
    ("postcode", _spans(_POSTCODE)),
    ("address", _spans(_ADDRESS)),
    ("address", _spans(_ADDRESS_LOWER)),
    ("address", _spans(_STREET_ONLY)),
    ("school_class", _schools),
    ("name", _titled_names),
    ("name", _called_names),
    ("name", _age_names),
    ("name", _possessive_names),
    ("name", _capitalised_names),
    ("name", _reported_names),
    ("name", _single_first_names),
    ("name", _surnames),
)

_PUBLIC = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(n) for n in sorted((*PUBLIC_FIGURES, *PROTECTED_TERMS), key=len, reverse=True)
    )
    + r")",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"\[[a-zA-Z ]+\]")


def _whole_name(text: str, end: int) -> int:
    """Extend a name to the family name that follows it ("Seán Ó Súilleabháin")."""
    while (more := _MORE_NAME.match(text, end)) and not (
        _is_common(more.group(1)) or more.group(1).lower() in _STRUCTURAL
    ):
        end = more.end()
    return end


def redact(text: str) -> Redaction:
    """Replace likely identifiers with placeholders; count each kind removed.

    Detectors run from the most specific (email, NHS number) to the loosest (names), and
    a span already claimed is never claimed again, so "14 Acre Lane" counts once as an
    address rather than also as a name.
    """
    taken: list[tuple[int, int, str]] = [
        (m.start(), m.end(), "") for m in _PUBLIC.finditer(text)
    ] + [(m.start(), m.end(), "") for m in _PLACEHOLDER.finditer(text)]
    for kind, find in _DETECTORS:
        for start, found_end in sorted(find(text)):
            if kind == "name" and any(
                t[2] == "name" and t[0] <= start and found_end <= t[1] for t in taken
            ):
                continue  # inside a name already claimed: extending it again is wasted work
            end = _whole_name(text, found_end) if kind == "name" else found_end
            overlaps = [t for t in taken if start < t[1] and t[0] < end]
            if kind == "name" and overlaps and all(t[2] == "name" for t in overlaps):
                # One person's name found in pieces ("Seán" + "Ó Súilleabháin"): join them.
                taken = [t for t in taken if t not in overlaps]
                start = min(start, *(t[0] for t in overlaps))
                end = max(end, *(t[1] for t in overlaps))
            elif overlaps:
                continue
            taken.append((start, end, kind))
    counts: dict[str, int] = {}
    pieces: list[str] = []
    cursor = 0
    for start, end, kind in sorted(taken):
        if not kind:
            continue
        pieces.append(text[cursor:start])
        pieces.append(PLACEHOLDERS[kind])
        cursor = end
        counts[kind] = counts.get(kind, 0) + 1
    pieces.append(text[cursor:])
    return Redaction(text="".join(pieces), counts=counts)


def describe_kinds(counts: dict[str, int]) -> list[str]:
    """Plain-English labels of the kinds removed, in a stable order."""
    return [label for kind, label in KIND_LABELS.items() if counts.get(kind)]
