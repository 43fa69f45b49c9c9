"""Which partnership a question is about, and which reporting years it names.

A London borough named in the question ("in Southwark") switches the scope to that
borough, so a question about a partnership whose documents are not held gets the
"not covered" answer instead of Lambeth's procedure presented as Southwark's.
"London-wide" and "pan-London" keep the default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LONDON_BOROUGHS: dict[str, tuple[str, ...]] = {
    "barking-and-dagenham": ("barking and dagenham", "barking & dagenham", "barking", "dagenham"),
    "barnet": ("barnet",),
    "bexley": ("bexley",),
    "brent": ("brent",),
    "bromley": ("bromley",),
    "camden": ("camden",),
    "city-of-london": ("city of london", "the city"),
    "croydon": ("croydon",),
    "ealing": ("ealing",),
    "enfield": ("enfield",),
    "greenwich": ("royal borough of greenwich", "greenwich"),
    "hackney": ("hackney",),
    "hammersmith-and-fulham": (
        "hammersmith and fulham",
        "hammersmith & fulham",
        "hammersmith",
        "fulham",
    ),
    "haringey": ("haringey", "haringay"),
    "harrow": ("harrow",),
    "havering": ("havering",),
    "hillingdon": ("hillingdon",),
    "hounslow": ("hounslow",),
    "islington": ("islington",),
    "kensington-and-chelsea": (
        "royal borough of kensington and chelsea",
        "kensington and chelsea",
        "kensington & chelsea",
        "rbkc",
        "kensington",
    ),
    "kingston-upon-thames": ("kingston upon thames", "kingston-upon-thames", "kingston"),
    "lambeth": ("lambeth",),
    "lewisham": ("lewisham",),
    "merton": ("merton",),
    "newham": ("newham",),
    "redbridge": ("redbridge",),
    "richmond-upon-thames": ("richmond upon thames", "richmond-upon-thames", "richmond"),
    "southwark": ("southwark",),
    "sutton": ("sutton",),
    "tower-hamlets": ("tower hamlets",),
    "waltham-forest": ("waltham forest",),
    "wandsworth": ("wandsworth",),
    "westminster": ("westminster",),
}
"""The 32 London boroughs and the City of London: slug → ways people write them."""

_SURNAME_GUARD = r"(?<!\bmr )(?<!\bmrs )(?<!\bms )(?<!\bdr )(?<!\bmiss )"


def _alias_pattern(aliases: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    # "City" and "the city" only count when written out as "City of London".
    return re.compile(rf"{_SURNAME_GUARD}\b(?:{alternatives})\b", re.IGNORECASE)


def _aliases(known: Iterable[str]) -> dict[str, tuple[str, ...]]:
    table = {
        slug: tuple(a for a in names if a != "the city") for slug, names in LONDON_BOROUGHS.items()
    }
    for slug in known:
        if slug not in table and slug != "london":
            table[slug] = (slug.replace("-", " "),)
    return table


def detect_partnership(text: str, default: str, known: Iterable[str]) -> str:
    """The partnership named in ``text``; the default when none (or the default) is named.

    When several are named, the default wins if it is among them (a Lambeth child who moved
    from Croydon is still a Lambeth question); otherwise the first named.
    """
    found: list[tuple[int, str]] = []
    for slug, names in _aliases(known).items():
        match = _alias_pattern(names).search(text)
        if match:
            found.append((match.start(), slug))
    if not found:
        return default
    slugs = [slug for _, slug in sorted(found)]
    return default if default in slugs else slugs[0]


_RANGE = re.compile(
    r"(?<![\d/])(?:fy\s?)?((?:19|20)?\d{2})\s?[-/–—]\s?((?:19|20)?\d{2})(?![\d/])", re.I
)
_AGE_BEFORE = re.compile(r"\b(?:age[sd]?|aged between)\s*$", re.I)
_YEAR = re.compile(r"(?<![\d/£$.,-])((?:19|20)\d{2})(?![\d/%]|,\d)")


def _full(year: str) -> int:
    return int(year) if len(year) == 4 else 2000 + int(year)


def named_years(text: str) -> list[str]:
    """Reporting years named in the text, normalised: "23-24" → "2023-24", "2020" → "2020"."""
    years: list[tuple[int, str]] = []
    claimed: list[tuple[int, int]] = []
    for m in _RANGE.finditer(text):
        if len(m.group(1)) == 2 and _AGE_BEFORE.search(text[: m.start()]):
            continue
        first, second = _full(m.group(1)), _full(m.group(2))
        if (len(m.group(2)) == 4 and second - first == 1) or second % 100 == (first + 1) % 100:
            years.append((m.start(), f"{first}-{second % 100:02d}"))
            claimed.append(m.span())
    for m in _YEAR.finditer(text):
        if any(s <= m.start() < e for s, e in claimed):
            continue
        years.append((m.start(), m.group(1)))
    seen: list[str] = []
    for _, year in sorted(years):
        if year not in seen:
            seen.append(year)
    return seen
