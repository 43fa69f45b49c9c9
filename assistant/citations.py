"""Verification of a draft answer in code (GR-01..03, RF-01..03, DSB-01..03).

Nothing a composer writes reaches the user unchecked. For each draft sentence:

1. Unknown passage keys are stripped (keys must name a passage retrieved this turn).
2. The output guard removes threshold verdicts, dissuasion and reassurance about the
   user's case, whichever composer wrote the sentence.
3. Each remaining key must be *supported*:
   - if the sentence is a verbatim slice of the passage (the extractive composer), the
     quote is the sentence itself;
   - otherwise (a model's paraphrase) the quote is the passage sentence — or pair of
     adjacent sentences — sharing most of the claim's content terms. The claim is kept for
     that key only if at least ``SUPPORT_THRESHOLD`` of its content terms (stemmed, stop
     words removed) appear in the quote and every number in the claim appears in the
     passage. Weaker keys are stripped.
4. A sentence with no supported key is dropped.
5. Phone numbers, emails and URLs must appear in a cited passage or in the contacts
   register (``allowed_contacts``); otherwise the sentence is dropped.

Every citation's quote is checked to be a verbatim substring of its passage before use.
"""

from __future__ import annotations

import itertools
import re

from pydantic import BaseModel

from assistant.compose import Draft, passage_keys, source_lead
from assistant.compose.sentences import Span, split_sentences
from assistant.compose.terms import is_number, terms
from assistant.types import Citation, SearchHit

SUPPORT_THRESHOLD = 0.6
"""Share of a paraphrased claim's content terms that its quote must contain."""

_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d[\d\s()-]{7,13}\d(?!\w)")
_SHORT_NUMBER = re.compile(
    r"\b(?:call|ring|dial|phone|telephone|contact|on)\s+(999|111|112|101|105)\b", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov|org|nhs|police|co|ac|sch)\.uk\b[^\s<>()\[\]]*",
    re.IGNORECASE,
)


class VerifiedAnswer(BaseModel):
    """What survives verification: markdown answer, its citations, and what was dropped."""

    answer: str
    citations: list[Citation]
    dropped: int
    reasons: list[str]


# --- contact details ---------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """Digits only, with +44 written as a leading 0 (so "+44 (0)20 7926" == "020 7926")."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("44"):
        rest = digits[2:]
        digits = rest if rest.startswith("0") else "0" + rest
    return digits


def normalise_url(raw: str) -> str:
    url = raw.lower().rstrip(".,;:!?'\"”’")
    url = re.sub(r"^https?://", "", url)
    url = url.removeprefix("www.")
    return url.rstrip("/")


def contacts_in(text: str) -> set[str]:
    """Normalised phone numbers, emails (lower case) and URLs (no scheme/www) in ``text``."""
    found: set[str] = set()
    for match in _EMAIL.finditer(text):
        found.add(match.group(0).lower().rstrip("."))
    without_emails = _EMAIL.sub(" ", text)
    for match in _URL.finditer(without_emails):
        found.add(normalise_url(match.group(0)))
    for match in _PHONE.finditer(without_emails):
        digits = normalise_phone(match.group(0))
        if 8 <= len(digits) <= 11:
            found.add(digits)
    for match in _SHORT_NUMBER.finditer(without_emails):
        found.add(match.group(1))
    return found


def normalise_contacts(values: set[str]) -> set[str]:
    """Normalise a register's raw contacts the same way as ``contacts_in``."""
    out: set[str] = set()
    for value in values:
        value = value.strip()
        if "@" in value:
            out.add(value.lower())
        elif re.fullmatch(r"[\d\s()+-]+", value):
            out.add(normalise_phone(value))
        else:
            out.add(normalise_url(value))
    return out


# --- output guard (DSB-01..03) -----------------------------------------------------------

_CASE = (
    r"\b(?:this|that|it|your|the case|this case|your case|the child|this child|your child|"
    r"the young person|this young person|this family|the family|your family|he|she|they|"
    r"the situation|this situation|what you describe|what you've described)\b"
)
_CONDITIONAL = re.compile(r"\b(?:if|where|when|whether|unless)\b[^.;]*$", re.IGNORECASE)
_VERDICT_PATTERNS = [
    # "this is level 3", "it sounds like a level 2 case", "the child meets level 4"
    re.compile(
        _CASE + r"(?:'s|\s+is|\s+are|\s+would be|\s+will be|\s+sounds like|\s+seems|"
        r"\s+looks like|\s+appears to be|\s+fits|\s+falls (?:under|into|at|within)|"
        r"\s+sits at|\s+meets|\s+reaches|\s+qualifies (?:for|as))\s+"
        r"(?:at\s+)?(?:a\s+|an\s+|the\s+)?(?:level|tier)\s*(?:[1-4]|one|two|three|four)\b",
        re.IGNORECASE,
    ),
    # "this meets the threshold", "it does not meet the threshold for a referral"
    re.compile(
        _CASE + r"[^.;]{0,40}?\b(?:meets|meet|reaches|crosses|is above|is below|falls below|"
        r"does not meet|doesn't meet|do not meet|don't meet|would not meet|wouldn't meet|"
        r"won't meet|will not meet|is not at|isn't at)\s+(?:the\s+)?"
        r"(?:threshold|criteria|level)",
        re.IGNORECASE,
    ),
]
_ALWAYS_BLOCKED = re.compile(
    r"\b(?:no need to (?:refer|report|contact|tell|worry|call|share)"
    r"|(?:do not|don't|dont|needn't|need not) (?:need to )?(?:refer|report|make a referral)"
    r"|you (?:do not|don't|dont) have to (?:refer|report|contact|tell|share)"
    r"|you (?:should not|shouldn't|should|can|could|may) (?:just )?wait"
    r"|(?:wait and see|hold off (?:on )?(?:referring|reporting|a referral))"
    r"|not worth (?:referring|reporting|bothering|a referral|contacting)"
    r"|probably (?:fine|nothing|innocent|accidental|ok|okay|harmless)"
    r"|nothing to worry about|no cause for concern|no reason to (?:worry|be concerned|refer)"
    r"|not a safeguarding (?:concern|issue|matter)"
    r"|(?:is|sounds|seems|looks) (?:safe|fine|okay|ok) to (?:leave|ignore)"
    r")",
    re.IGNORECASE,
)
_CASE_REASSURANCE = re.compile(
    r"\b(?:this|your|the) (?:child|young person|pupil)(?:'s| is| sounds| seems| looks)\s+"
    r"(?:safe|fine|okay|ok|not at risk|at low risk)\b"
    r"|\b(?:it|this|that)(?:'s| is| sounds| seems| looks) (?:fine|okay|ok|nothing serious|"
    r"not serious|not concerning|unlikely to be abuse)\b",
    re.IGNORECASE,
)


def guard_output(sentence: str) -> str | None:
    """Return the sentence, or None if it gives a verdict on the user's case or dissuades.

    Neutral document statements ("Level 3 services are for children with complex needs",
    "If the referral does not meet the threshold, the IRH signposts to early help") pass:
    the level/threshold patterns need a case subject and are ignored inside a condition.
    """
    if _ALWAYS_BLOCKED.search(sentence) or _CASE_REASSURANCE.search(sentence):
        return None
    for pattern in _VERDICT_PATTERNS:
        for match in pattern.finditer(sentence):
            before = sentence[: match.start()]
            if _CONDITIONAL.search(before[-60:]):
                continue
            return None
    return sentence


# --- support -----------------------------------------------------------------------------


def _quote_candidates(text: str) -> list[Span]:
    spans = split_sentences(text)
    pairs = [Span(text[a.start : b.end], a.start, b.end) for a, b in itertools.pairwise(spans)]
    return spans + pairs


def best_support(claim: str, passage_text: str) -> tuple[str, float]:
    """The passage sentence(s) that best support ``claim`` and the share of claim terms found."""
    claim_terms = set(terms(claim))
    if not claim_terms:
        return "", 0.0
    best_quote, best_share = "", 0.0
    for span in _quote_candidates(passage_text):
        share = len(claim_terms & set(terms(span.text))) / len(claim_terms)
        shorter = len(span.text) < len(best_quote)
        if share > best_share or (share == best_share and shorter and share > 0):
            best_quote, best_share = span.text, share
    return best_quote, best_share


def _numbers_supported(claim: str, passage_text: str) -> bool:
    """Every number in the claim is in the passage (contact details are checked separately)."""
    for pattern in (_EMAIL, _URL, _PHONE, _SHORT_NUMBER):
        claim = pattern.sub(" ", claim)
    passage_terms = set(terms(passage_text))
    return all(t in passage_terms for t in terms(claim) if is_number(t))


# --- rendering ---------------------------------------------------------------------------

_KEY_MARKER = re.compile(r"\s*\[(?:P\d+(?:\s*[,;]\s*P\d+)*)\]")


def display_text(text: str) -> str:
    """One line for the answer: list lines joined with "; ", wrapped lines with spaces."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        joiner = " " if out.endswith((".", ";", ",")) or line[:1].islower() else "; "
        if out.endswith(":"):
            joiner = " "
        out += joiner + line
    return re.sub(r"\s+", " ", _KEY_MARKER.sub("", out)).strip()


# --- verification ------------------------------------------------------------------------


def verify(
    draft: Draft,
    hits: list[SearchHit],
    *,
    allowed_contacts: set[str],
    max_citations: int = 8,
) -> VerifiedAnswer:
    """Check every sentence of ``draft`` against this turn's ``hits``; keep what is supported.

    The lead is rebuilt from the documents actually cited, so it never names a source
    whose sentences were all dropped.
    """
    by_key = passage_keys(hits)
    allowed = normalise_contacts(allowed_contacts)
    citations: list[Citation] = []
    index: dict[tuple[str, str], int] = {}
    lines: list[str] = []
    cited_docs = []
    reasons: list[str] = []
    dropped = 0

    for number, sentence in enumerate(draft.sentences, start=1):
        text = display_text(sentence.text)
        if not text:
            continue
        if guard_output(text) is None:
            dropped += 1
            reasons.append(f"sentence {number}: removed by the output guard")
            continue
        known = [key for key in dict.fromkeys(sentence.keys) if key in by_key]
        unknown = [key for key in sentence.keys if key not in by_key]
        if unknown:
            reasons.append(f"sentence {number}: unknown keys stripped: {', '.join(unknown)}")
        supported: list[tuple[SearchHit, str]] = []
        raw = sentence.text.strip()
        for key in known:
            hit = by_key[key]
            passage = hit.passage.text
            if raw and raw in passage:
                supported.append((hit, raw))
                continue
            quote, share = best_support(raw, passage)
            if quote and share >= SUPPORT_THRESHOLD and _numbers_supported(raw, passage):
                supported.append((hit, quote))
            else:
                reasons.append(f"sentence {number}: {key} does not support it ({share:.2f})")
        # The verbatim guarantee (GR-02), checked on every quote whatever produced it.
        supported = [(h, q) for h, q in supported if q and q in h.passage.text]
        if not supported:
            dropped += 1
            reasons.append(f"sentence {number}: dropped, no supporting citation")
            continue
        cited_text = " ".join(hit.passage.text for hit, _ in supported)
        stray = contacts_in(text) - contacts_in(cited_text) - allowed
        if stray:
            dropped += 1
            reasons.append(f"sentence {number}: dropped, contact details not in sources")
            continue
        new_pairs = [
            (hit, quote) for hit, quote in supported if (hit.passage.id, quote) not in index
        ]
        if len(citations) + len(new_pairs) > max_citations:
            dropped += 1
            reasons.append(f"sentence {number}: dropped, citation limit reached")
            continue
        markers: list[int] = []
        for hit, quote in supported:
            pair = (hit.passage.id, quote)
            if pair not in index:
                index[pair] = len(citations) + 1
                citations.append(_citation(index[pair], hit, quote))
                cited_docs.append(hit.doc)
            if index[pair] not in markers:
                markers.append(index[pair])
        lines.append(f"- {text} " + "".join(f"[{n}]" for n in markers))

    if not lines:
        return VerifiedAnswer(answer="", citations=[], dropped=dropped, reasons=reasons)
    answer = source_lead(cited_docs) + "\n\n" + "\n".join(lines)
    return VerifiedAnswer(answer=answer, citations=citations, dropped=dropped, reasons=reasons)


def _citation(n: int, hit: SearchHit, quote: str) -> Citation:
    return Citation.of(
        n, hit.doc, passage_id=hit.passage.id, section=hit.passage.section, quote=quote
    )
