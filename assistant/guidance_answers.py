"""Answers built from structured guidance: the threshold view and the escalation route.

``corpus/thresholds.yaml`` and ``corpus/escalation.yaml`` hold verbatim, cited quotes
(see ``assistant.guidance``). This module decides *whether* a question wants one of those
views and arranges the cited quotes into the view, without ever adding a sentence of its
own beyond one fixed note. It never chooses a threshold level for a child (non-negotiable
2): the threshold view shows all four levels side by side and highlights either one
descriptor in every level or none at all, so no level can stand out.

Nothing here imports a model or a web framework: ``similarity`` is passed in (the lead
passes an embedding cosine function; tests pass a lexical fake).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from assistant.contacts import ContactsRegister
from assistant.triage.text import normalise
from assistant.triage.vocabulary import COMMON_WORDS

__all__ = [
    "THRESHOLD_NOTE",
    "Similarity",
    "asks_about_levels",
    "decision_route",
    "describes_situation",
    "escalation_markdown",
    "escalation_route",
    "guidance_kind",
    "is_escalation_question",
    "is_threshold_question",
    "threshold_view",
]

Similarity = Callable[[str, list[str]], list[float]]
"""``similarity(question, texts)`` → one score per text, higher meaning closer."""

THRESHOLD_NOTE = (
    "This tool does not decide which level of need applies to a child. That decision rests "
    "with you, your designated safeguarding lead (DSL) or manager, and a consultation with "
    "the Integrated Referral Hub (IRH)."
)
"""The one fixed sentence of the threshold view that is not a corpus quote."""

# ---------------------------------------------------------------- question detection

_SHORTHAND: dict[str, str] = {
    "lvl": "level",
    "lvls": "levels",
    "lev": "level",
    "thresh": "threshold",
    "esc": "escalate",
    "escalte": "escalate",
    "disagre": "disagree",
    "diff": "difference",
    "diffs": "differences",
    "dsagree": "disagree",
    "worred": "worried",
    "wried": "worried",
    "profs": "professionals",
    "prof": "professional",
    "sw": "social worker",
    "cs": "social care",
    "csc": "social care",
    "cssc": "social care",
    "eh": "early help",
    "nfaed": "nfa",
    "nfad": "nfa",
    "s17": "section 17",
    "s47": "section 47",
}
"""Practitioner shorthand → the words the patterns look for (after ``normalise``)."""

_VOCABULARY: tuple[str, ...] = tuple(
    """
    escalate escalation escalating escalated disagree disagreed disagrees disagreement
    disagreements challenge challenging challenged professional professionals difference
    differences dispute disputes decision decisions threshold thresholds continuum level
    levels neglect neglected neglecting worried concerned concern concerns universal
    targeted specialist domestic violence hungry bruise bruises bruised bruising drinking
    alcohol missing attending attendance closed referral manager
    resolve resolving support services
    """.split()  # noqa: SIM905
)
"""Words whose near-miss spellings are corrected before matching ("escallate", "continum")."""


@lru_cache(maxsize=4096)
def _correct(word: str) -> str:
    if len(word) < 6 or not word.isalpha() or word in _VOCABULARY or word in COMMON_WORDS:
        return word
    match = difflib.get_close_matches(word, _VOCABULARY, n=1, cutoff=0.8)
    return match[0] if match else word


def _words(text: str) -> str:
    """``triage.text.normalise`` plus shorthand and near-miss correction of this module's words."""
    out: list[str] = []
    for token in normalise(text).split():
        expanded = _SHORTHAND.get(token, token)
        out.extend(_correct(word) for word in expanded.split())
    return " ".join(out)


def _compile(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_CHILD_NOUN = (
    r"(?:child|children|kid|kids|pupil|pupils|student|students|boy|boys|girl|girls|baby|babies|"
    r"toddler|infant|teenager|teen|young person|young people|family|families|sibling|siblings|"
    r"son|daughter|learner|class|tutee|mentee|patient|client|newborn|year \d+)"
)
_LEVEL_NUMBER = r"(?:[1-4]|one|two|three|four)"
_NOT_A_NEED_LEVEL = (
    r"(?! (?:safeguarding |child protection |dsl |designated safeguarding lead )?(?:training|"
    r"course|courses|qualification|certificate|dbs|check|checks|award|diploma))"
)

_THRESHOLD_TOPIC = _compile(
    r"\blevels? of (?:need|needs|concern|concerns|risk|support|help|intervention)\b",
    r"\bthresholds?\b",
    r"\bcontinuum\b",
    r"\b(?:what|which) (?:level|tier)\b(?! of (?:detail|training|check|checks|dbs|information|"
    r"access|clearance|english|maths|qualification|experience|cover))",
    r"\b(?:level|tier) " + _LEVEL_NUMBER + r"\b" + _NOT_A_NEED_LEVEL,
    r"\b(?:the|4|four) (?:levels|tiers)\b(?! of (?:training|dbs))",
    r"\b(?:what|whats|what does|define|explain|meaning of|who gets|who can get|when is|"
    r"eligib\w* for) (?:\w+ ){0,2}early help\b",
    r"\b(?:child in need|cin|section 17|child protection|cp|section 47)\b (?:vs|versus|or|and) "
    r"(?:a )?(?:child in need|cin|section 17|child protection|cp|section 47|early help)\b",
    r"\bdifference (?:between|of) (?:\w+ ){0,3}(?:early help|child in need|cin|child protection|"
    r"cp|section 17|section 47|levels|tiers)\b",
    r"\b(?:universal|targeted|specialist|statutory) (?:and|or|vs|versus|to) "
    r"(?:universal|targeted|specialist|statutory)\b",
    r"\b(?:universal|targeted) (?:services|service|support|help|provision)\b",
)
"""Questions about the levels of need themselves."""

_EARLY_HELP = re.compile(r"\bearly help\b")
_COMPARED_WITH = re.compile(
    r"\b(?:vs|versus|or|difference|different|between|compared|level|levels|"
    r"social care|child in need|cin|child protection|cp|statutory|section 17|section 47)\b"
)
"""Early help set against something after it ("early help or social care"): two searches,
not one pattern joined by ``.*``, so a long text costs linear time."""


def _asks_about_levels(words: str) -> bool:
    if _THRESHOLD_TOPIC.search(words):
        return True
    early_help = _EARLY_HELP.search(words)
    return bool(early_help and _COMPARED_WITH.search(words, early_help.end()))


_CONCERN = _compile(
    r"\b(?:neglect\w*|bruis\w*|hungry|starving|no food|not fed|not eating|unkempt|dirty|"
    r"smell\w*|hygiene|head lice|same clothes|unwashed|injur\w*|marks|burns?|"
    r"drink\w*|drunk|alcohol\w*|drugs?|cannabis|substance\w*|domestic (?:abuse|violence)|"
    r"violence|violent|dv|self harm\w*|cutting|exploit\w*|county lines|gangs?|groom\w*|"
    r"radicali\w*|fgm|sexualised|hit|hits|hitting|smack\w*|slap\w*|scared|afraid|frightened|"
    r"withdrawn|low mood|mental health|depress\w*|anxious|anxiety|young carer|homeless\w*|"
    r"overcrowd\w*|no heating|evict\w*|poverty|bullied|bullying|isolated|not coping|cant cope|"
    r"struggling|postnatal|tired|exhausted|weight|home alone|left alone|unsupervised|"
    r"runs? away|running away|ran away|absconds?|attendance|absent|absence|"
    r"not attending|not in school|out of school|excluded)\b",
    r"\b(?:missing|misses|missed|skipping|skips|skipped|off) (?:\w+ ){0,2}(?:school|lessons|"
    r"classes|education|appointments|college|nursery)\b",
    r"\b(?:goes|went|gone|going|keeps going) missing\b|\bmissing from (?:home|care)\b",
    r"\b(?:arguing|arguments|fighting|fights|shouting|rows) (?:\w+ ){0,2}(?:at home|in the home)\b",
)
"""Words that describe something happening to a child."""

_SITUATION_MARKER = _compile(
    r"\b(?:he|she|hes|shes|him|his|her|hers|theyre|[a-z]+s mum|[a-z]+s dad)\b",
    r"\b(?:my|our|a|an|one|this|the|these|two|three) (?:\w+ ){0,2}?"
    + _CHILD_NOUN
    + r" (?:who|whose|has|have|is|are|was|were|keeps|seems|with|in|at|from|came|comes|told|"
    r"said|turned|lives|living)\b",
    r"\bone of (?:my|our)\b",
    r"\b(?:my|our) (?:\w+ )?" + _CHILD_NOUN + r"\b",
    r"\b(?:i|we) (?:have |had |just )?(?:noticed|saw|seen|found|heard|spotted|observed|"
    r"have a|ve got|got a)\b",
    r"\bwhat (?:do|should|can|must|would) (?:i|we) do\b|\bwhat (?:help|support) (?:is there|"
    r"can|could|should|is available)\b|\bwhere do (?:i|we) (?:start|go)\b",
    r"\b(?:mum|dad|mother|father|parent|parents|carer|carers|stepdad|stepmum) (?:is|are|has|have|"
    r"keeps|was|were|drinks|uses|seems|seem)\b",
)
"""Signs the question is about a particular child rather than about the documents."""

_WORRY = _compile(
    r"\b(?:worried|worry|worrying|concerned|concerns?|uneasy|unsure|not sure|anxious) "
    r"(?:about|for|regarding|re) (?:a|an|my|one of|this|the|our|some|two|three|these) "
    r"(?:\w+ ){0,3}?" + _CHILD_NOUN + r"\b",
)
""""I'm worried about a child who …" — a situation even without a named concern."""

_NOT_A_CHILDS_NEEDS = _compile(
    r"\b(?:lado|allegation\w*|colleague\w*|member of staff|staff member|volunteer\w*)\b",
)
"""Allegations against adults who work with children go to the LADO, not the continuum."""

_ESCALATION = _compile(
    r"\bescalation (?:policy|policies|process|processes|procedure|procedures|route|routes|"
    r"flowchart|protocol|path|pathway|stage|stages|step|steps|meeting|form|guidance|ladder)\b",
    r"\b(?:the|an|my|our|about|for|re|on|formal|professional|multi agency|inter agency|"
    r"lscp|lambeth|london) escalation\b(?! (?:of|in) )",
    r"\b(?:i|we|to|before|when|how|whether|not) (?:\w+ ){0,2}?escalat(?:e|ing|ed)\b",
    r"\bescalat(?:e|ing|ed) (?:it|this|that|my|our|the|a|concerns?|further|up|to|beyond|higher|"
    r"above|within|against|with)\b",
    r"\b(?:i|we|im|dsl|school|agency|agencies|professionals?|health|police|manager|head|nurse|"
    r"gp|teacher|worker) (?:\w+ ){0,2}?disagree\w*\b",
    r"\bdisagree\w* (?:with|between|about|over) (?:\w+ ){0,3}?(?:decision|decisions|outcome|"
    r"social care|irh|mash|hub|social worker|agency|agencies|professionals?|police|health|"
    r"manager|assessment|threshold|plan|them|their|you|nfa|closure)\b",
    r"\b(?:professional|inter agency|interagency|multi agency) (?:differences?|disputes?|"
    r"disagreements?|challenge|conflict)\b",
    r"\b(?:resolv\w*|handle|handling|manage|managing|deal with|dealing with|raise|raising|settle) "
    r"(?:a |an |the |this |our |my )?(?:professional )?(?:disagreements?|differences? of opinion|"
    r"disputes?|differences between professionals)\b",
    r"\bdisputes? (?:between|with) (?:\w+ ){0,2}(?:agencies|professionals?|social care|irh|mash|"
    r"partners?|services)\b",
    r"\bchalleng\w* (?:\w+ ){0,2}?(?:decision|decisions|outcome|nfa|no further action|closure|"
    r"assessment)\b",
    r"\bchalleng\w* (?:the |a |another )?(?:social care|irh|mash|hub|social worker|agency|"
    r"police|professional|professionals|manager)\b",
    r"\bclos\w* (?:my|our) (?:referral|case|marf)\b",
    r"(?:^|\b(?:i|we|im|ive|weve|were|still|but|so|and)\b"
    r"(?: (?:am|are|was|still|really|very|just|remain|remained|been|have been)){0,3} )"
    r"(?:not happy|unhappy|not satisfied|dissatisfied|dont agree|do not agree|cant accept|"
    r"dont accept|do not accept) with (?:\w+ ){0,3}?(?:decision|outcome|response|assessment|"
    r"plan|nfa|closure|threshold|rating)\b",
    r"\btake (?:it|this|that|my concerns?|our concerns?|the case) (?:higher|further|up the chain|"
    r"to (?:a |the )?(?:team manager|service manager|head of service|senior manager))\b",
    r"\bgo(?:ing)? (?:over|above) (?:\w+ ){0,2}heads?\b",
)
"""Asking how to challenge another professional's decision."""

_CLOSURE = _compile(
    r"\b(?:closed|closing|shut|declined|rejected|refused|turned down|not accepted|stepped down|"
    r"signposted|bounced) (?:\w+ ){0,3}?(?:referral|case|marf|it|family|file)\b",
    r"\b(?:referral|case|marf|it)s? (?:was |has been |got |been |is being |were |had been )?"
    r"(?:closed|declined|rejected|refused|turned down|not accepted|stepped down|nfa)\b",
    r"\bnfa\b|\bno further action\b",
    r"\b(?:doesnt|does not|didnt|did not|wont|will not|not) (?:meet|reach) (?:the )?"
    r"(?:threshold|criteria)\b|\bbelow (?:the )?threshold\b",
)
_STILL_WORRIED = _compile(
    r"\b(?:worried|concerned|unhappy|not happy|not satisfied|disagree\w*|uneasy|anxious|unsure|"
    r"not convinced|dont agree)\b",
    r"\bconcerns? (?:remain|continue|persist|are ongoing|have not gone|havent gone)\b",
    r"\bwhat (?:can|should|do|could) (?:i|we) do\b|\bwhat now\b|\bnext steps?\b|\bwhat next\b",
)
"""A referral closed or turned down plus continuing worry is a request for the route."""

_NOT_ESCALATION = re.compile(
    r"\b(?:is|are|was|were|been|keeps?|kept|started|starting|begun|began|likely to|going to|"
    r"continues? to|continued to|could|might|may|seems to|tends to|quickly|rapidly) "
    r"escalat\w*( (?:to|into|at|quickly|further))?"
)
"""Escalating behaviour or violence ("the rows at home are escalating") is not a route."""


def is_escalation_question(text: str) -> bool:
    """True when the question asks how to challenge a professional decision or resolve a
    disagreement between professionals (the escalation route).

    "CSC closed my referral and I'm still worried", "how do I escalate", "professional
    differences", "not happy with the decision" … but not "his behaviour is escalating".
    """
    words = _NOT_ESCALATION.sub(" ", _words(text))
    if _ESCALATION.search(words):
        return True
    return bool(_CLOSURE.search(words) and _STILL_WORRIED.search(words))


def describes_situation(text: str) -> bool:
    """True when the question describes a child's circumstances rather than asking what the
    guidance says in general ("I'm worried about a pupil who is often hungry" vs "what is
    early help?")."""
    words = _words(text)
    if _NOT_A_CHILDS_NEEDS.search(words):
        return False
    if _WORRY.search(words):
        return True
    return bool(_CONCERN.search(words) and _SITUATION_MARKER.search(words))


def asks_about_levels(text: str) -> bool:
    """True when the question is about the levels of need themselves ("is this level 3",
    "early help or social care"), not only a child's situation."""
    words = _words(text)
    return _asks_about_levels(words) and not _NOT_A_CHILDS_NEEDS.search(words)


def is_threshold_question(text: str) -> bool:
    """True when the question is about the levels of need or describes a child's situation.

    Escalation questions return False (they get the escalation route instead), as do
    allegations against people who work with children (the LADO route) and general questions
    such as "who is the LADO?".
    """
    if is_escalation_question(text):
        return False
    return asks_about_levels(text) or describes_situation(text)


def guidance_kind(text: str) -> str | None:
    """``"escalation"``, ``"thresholds"`` or None: which structured view a question wants."""
    if is_escalation_question(text):
        return "escalation"
    if is_threshold_question(text):
        return "thresholds"
    return None


# ---------------------------------------------------------------- threshold view


def _quoted(node: Any) -> dict[str, Any] | None:
    """``{quote, citation}`` of a cited guidance node, or None if it was not cited."""
    if not isinstance(node, dict):
        return None
    quote, citation = node.get("quote"), node.get("citation")
    if not isinstance(quote, str) or not isinstance(citation, dict):
        return None
    return {"quote": quote, "citation": citation}


def _contact(contact_id: Any, contacts: ContactsRegister | None) -> dict[str, Any] | None:
    """The register's entry for ``contact_id``: phone, email and URL only ever come from it."""
    if not isinstance(contact_id, str) or not contact_id:
        return None
    entry = contacts.get(contact_id) if contacts is not None else None
    if entry is None:
        return {"id": contact_id}
    return {
        "id": entry.id,
        "name": entry.name,
        "phone": entry.phone,
        "email": entry.email,
        "url": entry.url,
    }


def decision_route(
    cited_thresholds: dict[str, Any], contacts: ContactsRegister | None = None
) -> list[dict[str, Any]]:
    """The route to a decision-maker from ``thresholds.yaml``, in order (999 first).

    ``[{"n", "step": {quote, citation}, "contact": {id, name, phone, email, url} | None}]``.
    Phone numbers come only from the contacts register; without a register, or for an id
    the register does not hold, the contact carries its id alone. Steps whose quote was
    not cited are left out.
    """
    route: list[dict[str, Any]] = []
    for item in cited_thresholds.get("decision_route") or []:
        step = _quoted(item.get("step")) if isinstance(item, dict) else None
        if step is None:
            continue
        route.append(
            {"n": len(route) + 1, "step": step, "contact": _contact(item.get("contact"), contacts)}
        )
    return route


def _closest_indexes(
    question: str, levels: list[list[str]], similarity: Similarity
) -> list[int] | None:
    """Index of the best-scoring descriptor in each level, or None to mark none at all."""
    if not levels or any(not texts for texts in levels):
        return None
    flat = [text for texts in levels for text in texts]
    try:
        scores = [float(s) for s in similarity(question, flat)]
    except Exception:  # a failing scorer costs the highlight, never the view
        return None
    if len(scores) != len(flat) or not all(math.isfinite(s) for s in scores):
        return None
    best: list[int] = []
    start = 0
    for texts in levels:
        chunk = scores[start : start + len(texts)]
        best.append(max(range(len(chunk)), key=chunk.__getitem__))  # ties: first in order
        start += len(texts)
    return best


def threshold_view(
    question: str,
    cited_thresholds: dict[str, Any],
    similarity: Similarity,
    *,
    contacts: ContactsRegister | None = None,
) -> dict[str, Any]:
    """The four levels side by side, each quote cited, then the decision route.

    Highlighting rule (it never singles out a level): when the question describes a
    child's situation (``describes_situation``), the best-matching descriptor *within each
    level* is marked ``closest`` — exactly one in every level. Otherwise (definitional
    questions such as "what is early help?"), or if any level has no cited descriptor, or
    ``similarity`` fails or returns a wrong-length or non-finite result, none is marked.
    Scores are never returned, so no level can be ranked above another; ties go to the
    first descriptor in document order. ``similarity`` is called once, with every
    descriptor of every level.

    Returns ``{"kind": "thresholds", "levels": [{"level", "name", "summary",
    "who_responds", "descriptors": [{quote, citation, closest}], "caveat"}],
    "decision_route": [...] (see ``decision_route``), "principles": [{quote, citation}],
    "note": THRESHOLD_NOTE}``; ``summary``, ``who_responds`` and ``caveat`` are
    ``{quote, citation}`` or None.
    """
    raw_levels = [lv for lv in cited_thresholds.get("levels") or [] if isinstance(lv, dict)]
    descriptors = [
        [d for d in (_quoted(node) for node in lv.get("descriptors") or []) if d is not None]
        for lv in raw_levels
    ]
    closest = (
        _closest_indexes(question, [[d["quote"] for d in ds] for ds in descriptors], similarity)
        if describes_situation(question)
        else None
    )
    levels = []
    for i, (lv, ds) in enumerate(zip(raw_levels, descriptors, strict=True)):
        levels.append(
            {
                "level": lv.get("level"),
                "name": lv.get("name"),
                "summary": _quoted(lv.get("summary")),
                "who_responds": _quoted(lv.get("who_responds")),
                "descriptors": [
                    {**d, "closest": closest is not None and closest[i] == j}
                    for j, d in enumerate(ds)
                ],
                "caveat": _quoted(lv.get("caveat")),
            }
        )
    principles = [
        p for p in (_quoted(node) for node in cited_thresholds.get("principles") or []) if p
    ]
    return {
        "kind": "thresholds",
        "levels": levels,
        "decision_route": decision_route(cited_thresholds, contacts),
        "principles": principles,
        "note": THRESHOLD_NOTE,
    }


# ---------------------------------------------------------------- escalation route

_STEP_FIELDS = ("step", "who", "timescale", "record")
_STEP_LABELS = {"step": "Step", "who": "Who", "timescale": "Timescale", "record": "Record"}


def escalation_route(
    cited_escalation: dict[str, Any], *, contacts: ContactsRegister | None = None
) -> dict[str, Any] | None:
    """The numbered escalation route from ``escalation.yaml``, every part cited.

    ``{"kind": "escalation", "immediate_danger": {quote, citation, contact},
    "never_waits": {quote, citation} | None, "steps": [{"n", "step", "who", "timescale",
    "record"}], "official_flowchart": {quote, citation, url} | None}``. A step whose own
    quote was not cited is left out (its who/timescale/record would float free); a missing
    who/timescale/record is None. Returns None when no step survives, or when the 999
    exception is not cited — the route is never shown without immediate danger first.
    """
    danger = _quoted(cited_escalation.get("immediate_danger"))
    steps: list[dict[str, Any]] = []
    for item in cited_escalation.get("steps") or []:
        if not isinstance(item, dict) or _quoted(item.get("step")) is None:
            continue
        steps.append(
            {"n": len(steps) + 1, **{field: _quoted(item.get(field)) for field in _STEP_FIELDS}}
        )
    if danger is None or not steps:
        return None
    raw_danger = cited_escalation["immediate_danger"]
    flowchart = _quoted(cited_escalation.get("official_flowchart"))
    if flowchart is not None:
        flowchart["url"] = cited_escalation["official_flowchart"].get("url")
    return {
        "kind": "escalation",
        "immediate_danger": {**danger, "contact": _contact(raw_danger.get("contact"), contacts)},
        "never_waits": _quoted(cited_escalation.get("never_waits")),
        "steps": steps,
        "official_flowchart": flowchart,
    }


class _References:
    """Citation markers numbered by first use; the same quote in the same passage reuses one."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []
        self._numbers: dict[tuple[str, str, str], int] = {}

    def mark(self, node: dict[str, Any] | None) -> str | None:
        """``"<quote> [n]"`` for a cited node, or None."""
        if not node:
            return None
        quote, citation = node["quote"], node["citation"]
        key = (quote, str(citation.get("doc_id")), str(citation.get("passage_id")))
        if key not in self._numbers:
            self.items.append((quote, citation))
            self._numbers[key] = len(self.items)
        return f"{quote} [{self._numbers[key]}]"


def escalation_markdown(route: dict[str, Any]) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """The escalation answer as markdown, and its references in marker order.

    First paragraph: the 999 exception (immediate danger, then "never waits"). Then one
    numbered line per step — ``1. **Step:** <quote> [n] **Who:** <quote> [n] …`` — and last
    the official flowchart. Every sentence is a verbatim quote followed by its marker; the
    only other text is the field labels. Reference ``[n]`` is ``references[n - 1]``.
    """
    refs = _References()
    paragraphs: list[str] = []
    danger = [refs.mark(route.get("immediate_danger")), refs.mark(route.get("never_waits"))]
    if any(danger):
        paragraphs.append(" ".join(part for part in danger if part))
    lines = []
    for number, step in enumerate(route.get("steps") or [], start=1):
        parts = [
            f"**{_STEP_LABELS[field]}:** {marked}"
            for field in _STEP_FIELDS
            if (marked := refs.mark(step.get(field)))
        ]
        if parts:
            lines.append(f"{number}. " + " ".join(parts))
    if lines:
        paragraphs.append("\n".join(lines))
    flowchart = refs.mark(route.get("official_flowchart"))
    if flowchart:
        paragraphs.append(flowchart)
    return "\n\n".join(paragraphs), refs.items
