"""Safeguarding shorthand: acronyms and practitioner synonyms.

Practitioners type "LADO", "cp plan" or "front door"; the documents say "Local
Authority Designated Officer", "Child Protection Plans" or "Integrated Referral Hub".
Retrieval expands a question with the other form so keyword and vector search both
find the passage, and the UI shows the same list as a glossary. Expansions follow the
wording of the seed documents where they use the term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from assistant.language_data import language_data


@dataclass(frozen=True)
class Term:
    """One acronym (or short name), its expansion and the other phrasings people use."""

    abbreviation: str
    expansion: str
    synonyms: tuple[str, ...] = ()
    note: str = ""


_TERMS: tuple[Term, ...] = (
    # Front door and partnership structures
    Term(
        "IRH",
        "Integrated Referral Hub",
        ("front door", "integrated front door", "referral hub"),
        "Lambeth's front door for contacts about children.",
    ),
    Term("MASH", "Multi-Agency Safeguarding Hub", ("front door", "single front door")),
    Term(
        "LADO",
        "Local Authority Designated Officer",
        ("allegations against staff", "allegations against professionals", "designated officer"),
        "Manages allegations against adults who work with children.",
    ),
    Term("LSP", "Lead Safeguarding Partner"),
    Term("DSP", "Delegated Safeguarding Partner"),
    Term(
        "MASA",
        "Multi-Agency Safeguarding Arrangements",
        ("safeguarding arrangements", "multi-agency arrangements"),
    ),
    Term(
        "LSCP",
        "Local Safeguarding Children Partnership",
        (
            "safeguarding children partnership",
            "Lambeth Safeguarding Children Partnership",
            "safeguarding partnership",
        ),
        "In Lambeth documents: Lambeth Safeguarding Children Partnership.",
    ),
    Term(
        "LSCB",
        "Local Safeguarding Children Board",
        (
            "safeguarding children board",
            "Lewisham Safeguarding Children Board",
            "safeguarding board",
        ),
        "Boards were replaced by partnerships; in the Lewisham report: Lewisham "
        "Safeguarding Children Board.",
    ),
    Term("SCP", "Safeguarding Children Partnership"),
    Term(
        "CSPR",
        "Child Safeguarding Practice Review",
        ("case review", "practice review", "safeguarding practice review", "rapid review"),
        "A rapid review decides whether a full review is needed.",
    ),
    Term("LCSPR", "Local Child Safeguarding Practice Review", ("local practice review",)),
    Term("SCR", "Serious Case Review", (), "Replaced by Child Safeguarding Practice Reviews."),
    Term("CDOP", "Child Death Overview Panel", ("child death review",)),
    Term("NDOP", "Neonatal Death Overview Panel"),
    # Levels of need and statutory processes
    Term("CIN", "Child in Need", ("children in need", "child in need plan")),
    Term("CP", "Child Protection"),
    Term("CPP", "Child Protection Plan", ("CP plan", "on a plan", "protection plan")),
    Term("CPC", "Child Protection Conference", ("case conference",)),
    Term("ICPC", "Initial Child Protection Conference", ("initial conference",)),
    Term("RCPC", "Review Child Protection Conference", ("review conference",)),
    Term(
        "CLA",
        "Children Looked After",
        ("looked after children", "looked after", "children in care", "child in care"),
        "Also written LAC.",
    ),
    Term(
        "LAC",
        "Looked After Children",
        ("children looked after", "looked after", "children in care", "child in care"),
    ),
    Term("BLA", "Becoming Looked After"),
    Term(
        "S47",
        "Section 47 enquiry",
        ("section 47", "s.47", "s 47"),
        "Children Act 1989: enquiries where significant harm is suspected.",
    ),
    Term("S17", "Section 17", ("s.17", "s 17"), "Children Act 1989: children in need."),
    Term(
        "S20",
        "Section 20 accommodation",
        ("section 20", "s.20", "s 20"),
        "Children Act 1989: accommodation with parental agreement.",
    ),
    Term("NFA", "No Further Action"),
    Term("PLO", "Public Law Outline", ("pre-proceedings",)),
    Term("SGO", "Special Guardianship Order", ("special guardianship",)),
    Term("PWP", "Placed With Parents", ("placement with parents",)),
    Term("RHI", "Return Home Interview", ("return interview",)),
    Term("FGC", "Family Group Conference", ("family group conferencing",)),
    Term(
        "CON",
        "Continuum of Need",
        ("threshold document",),
        "Lewisham's name for its threshold document.",
    ),
    # Early help
    Term(
        "EHA",
        "Early Help Assessment",
        ("early help", "targeted support", "early intervention", "targeted early help"),
    ),
    Term("TAF", "Team Around the Family", ("team around the child",)),
    Term("CAF", "Common Assessment Framework", (), "Older name for the early help assessment."),
    Term("LEAP", "Lambeth Early Action Partnership"),
    # Services and roles
    Term(
        "CSC",
        "Children's Social Care",
        ("social services", "social care", "children's social work"),
    ),
    Term("DCS", "Director of Children's Services"),
    Term("SW", "Social Worker", ("social workers",)),
    Term("PSW", "Principal Social Worker"),
    Term("IRO", "Independent Reviewing Officer"),
    Term("DSL", "Designated Safeguarding Lead", ("safeguarding lead", "designated lead")),
    Term("YJS", "Youth Justice Service", ("youth justice",)),
    Term(
        "YOS",
        "Youth Offending Service",
        ("youth offending",),
        "Older name for the Youth Justice Service.",
    ),
    Term(
        "CAMHS",
        "Child and Adolescent Mental Health Services",
        ("children and adolescent mental health service", "child mental health services"),
    ),
    Term("EWMHS", "Emotional Wellbeing and Mental Health Service"),
    Term("CLAMHS", "Children Looked After Mental Health Service"),
    Term("GP", "General Practitioner", ("family doctor",)),
    Term("A&E", "Accident and Emergency", ("emergency department",)),
    Term(
        "IDVA",
        "Independent Domestic Abuse Advocate",
        ("independent domestic violence advisor", "independent domestic violence advocate"),
    ),
    Term("ISVA", "Independent Sexual Violence Advisor"),
    Term("SPOC", "Single Point of Contact"),
    Term("SSM", "Senior Safeguarding Manager"),
    # Agencies and bodies
    Term("ICB", "Integrated Care Board"),
    Term("ICS", "Integrated Care System"),
    Term("CCG", "Clinical Commissioning Group", (), "Replaced by Integrated Care Boards in 2022."),
    Term("SEL", "South East London", ("Southeast London",)),
    Term("MPS", "Metropolitan Police Service", ("Met Police", "Metropolitan Police")),
    Term("BCU", "Basic Command Unit", ("borough command unit",)),
    Term("MOPAC", "Mayor's Office for Policing and Crime"),
    Term("CAFCASS", "Children and Family Court Advisory and Support Service"),
    Term("NSPCC", "National Society for the Prevention of Cruelty to Children"),
    Term("DfE", "Department for Education"),
    Term("LA", "Local Authority", ("council",)),
    Term("NHS", "National Health Service"),
    Term("GSTT", "Guy's and St Thomas' NHS Foundation Trust", ("Guy's and St Thomas'",)),
    Term("KCH", "King's College Hospital"),
    Term("LGT", "Lewisham and Greenwich NHS Trust"),
    Term("SLaM", "South London and Maudsley NHS Foundation Trust", ("Maudsley",)),
    Term("LAS", "London Ambulance Service"),
    # Exploitation, violence and harm
    Term("CSE", "Child Sexual Exploitation", ("sexual exploitation",)),
    Term("CCE", "Child Criminal Exploitation", ("criminal exploitation", "county lines")),
    Term("CSA", "Child Sexual Abuse"),
    Term("HSB", "Harmful Sexual Behaviour"),
    Term("FGM", "Female Genital Mutilation"),
    Term("DA", "Domestic Abuse", ("domestic violence and abuse",)),
    Term("DV", "Domestic Violence"),
    Term("DVA", "Domestic Violence and Abuse"),
    Term("VAWG", "Violence Against Women and Girls", ("VAWAG",)),
    Term("MARAC", "Multi-Agency Risk Assessment Conference"),
    Term("DASH", "Domestic Abuse, Stalking, Harassment and Honour-based violence checklist"),
    Term("NRM", "National Referral Mechanism", ("modern slavery referral",)),
    Term(
        "EDT",
        "Emergency Duty Team",
        ("out of hours team", "out-of-hours social work team"),
        "Council social care cover outside office hours.",
    ),
    Term("MAPPA", "Multi-Agency Public Protection Arrangements"),
    Term(
        "MACE",
        "Multi-Agency Child Exploitation panel",
        ("child exploitation panel",),
        "Lambeth's strategic exploitation panel.",
    ),
    Term(
        "MAVE", "Multi-Agency Violence and Exploitation panel", ("violence and exploitation panel",)
    ),
    Term(
        "MET",
        "Missing, Exploited and Trafficked",
        ("missing, exploitation and trafficking",),
        "Lewisham's task group; not the Met Police.",
    ),
    Term("CxS", "Contextual Safeguarding", ("extra-familial harm", "harm outside the home")),
    Term(
        "Prevent",
        "Prevent programme (radicalisation and extremism)",
        (
            "radicalisation",
            "radicalised",
            "radicalization",
            "radicalized",
            "extremism",
            "extremist",
            "extremist views",
            "far right",
            "far-right",
            "terrorism",
        ),
    ),
    Term("Channel", "Channel programme (support for people at risk of radicalisation)"),
    Term("SUDI", "Sudden Unexpected Death in Infancy", ("cot death",)),
    Term("SIDS", "Sudden Infant Death Syndrome"),
    Term("IRIS", "Identification and Referral to Improve Safety"),
    Term("NRPF", "No Recourse to Public Funds"),
    # Education and disability
    Term("SEND", "Special Educational Needs and Disabilities"),
    Term("SEN", "Special Educational Needs"),
    Term("EHCP", "Education, Health and Care Plan", ("EHC plan",)),
    Term("CWD", "Children with Disabilities", ("disabled children",)),
    Term("PRU", "Pupil Referral Unit"),
    Term("AP", "Alternative Provision"),
    Term("ESAC", "Education Safeguarding Advisory Committee"),
    Term("FSM", "Free School Meals"),
    Term("NEET", "Not in Education, Employment or Training"),
    Term(
        "UASC",
        "Unaccompanied Asylum-Seeking Children",
        ("unaccompanied children", "unaccompanied minors", "asylum-seeking children"),
    ),
    Term("KCSIE", "Keeping Children Safe in Education"),
    # Guidance, inspection and assurance
    Term(
        "WT",
        "Working Together to Safeguard Children",
        ("Working Together", "WT23", "WT2023", "WT18", "WT2018"),
    ),
    Term("ILACS", "Inspection of Local Authority Children's Services", ("Ofsted inspection",)),
    Term("JTAI", "Joint Targeted Area Inspection"),
    Term("HMIP", "His Majesty's Inspectorate of Probation"),
    Term("CQC", "Care Quality Commission"),
    Term("IICSA", "Independent Inquiry into Child Sexual Abuse"),
    Term("PCI", "Performance, Challenge and Impact", ("performance challenge and impact",)),
    Term(
        "DBS",
        "Disclosure and Barring Service",
        ("Disclosure and Barring System", "CRB check", "criminal record check"),
    ),
    Term("SDQ", "Strengths and Difficulties Questionnaire"),
    Term("ASYE", "Assessed and Supported Year in Employment"),
    Term("JSNA", "Joint Strategic Needs Assessment"),
    Term("CYP", "Children and Young People"),
    Term("QA", "Quality Assurance"),
)

_NEEDS_CAPITALS = frozenset(
    {
        "SEND",
        "LEAP",
        "MACE",
        "MET",
        "CON",
        "Prevent",
        "Channel",
        "LA",
        "AP",
        "QA",
        "IRIS",
        "LAS",
        "SEN",
        "WT",
    }
)
"""Abbreviations that are also ordinary words (or too short to trust) in lower case.

"send me the form", "prevent harm" and "the met" must not be expanded, so these match
only as written (SEND, Prevent) or in capitals. Every other abbreviation is matched in
any case, because practitioners type "lado" and "cspr" too.
"""

_TOKEN = re.compile(r"(?<![\w&])[A-Za-z][A-Za-z0-9&]*(?![\w&])")


def terms() -> list[Term]:
    """Every glossary term, in display order."""
    return list(_TERMS)


def lookup(token: str) -> Term | None:
    """The term for an abbreviation (any case, plural "s" allowed) or a spelled-out form."""
    key = _normalise(token).strip().lower()
    if not key:
        return None
    by_abbreviation, by_phrase = _indexes()
    if key in by_abbreviation:
        return by_abbreviation[key]
    if key.endswith("s") and key[:-1] in by_abbreviation:
        return by_abbreviation[key[:-1]]
    return by_phrase.get(key)


def terms_in(query: str) -> list[Term]:
    """Terms whose abbreviation, expansion or synonym appears in the query, in order."""
    found: list[Term] = []
    for _start, _end, term, _kind in _matches(_normalise(query)):
        if term not in found:
            found.append(term)
    return found


def expand_query(query: str) -> str:
    """The query followed by the other forms of the shorthand it uses.

    An abbreviation adds its expansion; an expansion adds its abbreviation; a synonym
    adds both. Nothing already in the query is added again, and a match inside a longer
    match ("child protection" inside "child protection plan") adds nothing.
    """
    text = _normalise(query)
    additions: list[str] = []
    for _start, _end, term, kind in _matches(text):
        if kind == "abbreviation":
            additions.append(term.expansion)
        elif kind == "expansion":
            additions.append(term.abbreviation)
        else:
            additions.extend((term.abbreviation, term.expansion))
    # Practitioners' shorthand in the documents' words ("regs" → "regulations", "nan" →
    # "grandparent", "strat" → "strategy"): the same table the question's focus uses.
    practice = language_data().practice
    additions.extend(practice[w] for w in _SHORTHAND_WORD.findall(text.lower()) if w in practice)
    kept: list[str] = []
    for addition in additions:
        pattern = _phrase_pattern(addition)
        if pattern.search(text) or any(pattern.search(other) for other in kept):
            continue
        kept.append(addition)
    return " ".join([query, *kept]) if kept else query


def _matches(text: str) -> list[tuple[int, int, Term, str]]:
    """Non-nested matches of terms in normalised text: (start, end, term, kind)."""
    found: list[tuple[int, int, Term, str]] = []
    by_abbreviation = _by_abbreviation()
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        forms = {token.lower(), token[:-1].lower()} if token.endswith("s") else {token.lower()}
        for form in forms:
            for term in by_abbreviation.get(form, ()):
                if _is_abbreviation(token, term.abbreviation):
                    found.append((match.start(), match.end(), term, "abbreviation"))
    for term in _TERMS:
        for kind, phrases in (("expansion", (term.expansion,)), ("synonym", term.synonyms)):
            for phrase in phrases:
                for match in _phrase_pattern(phrase).finditer(text):
                    found.append((match.start(), match.end(), term, kind))
    outer = [item for item in found if not any(_inside(item, other) for other in found)]
    outer.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    unique: list[tuple[int, int, Term, str]] = []
    seen: set[tuple[str, str]] = set()
    for item in outer:
        key = (item[2].abbreviation, item[3])
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


@cache
def _by_abbreviation() -> dict[str, tuple[Term, ...]]:
    """Terms by lower-cased abbreviation: a token is checked against its own entries only."""
    out: dict[str, list[Term]] = {}
    for term in _TERMS:
        out.setdefault(term.abbreviation.lower(), []).append(term)
    return {key: tuple(terms) for key, terms in out.items()}


def _inside(item: tuple[int, int, Term, str], other: tuple[int, int, Term, str]) -> bool:
    """Whether a match lies within a strictly longer match."""
    return other[0] <= item[0] and item[1] <= other[1] and other[1] - other[0] > item[1] - item[0]


def _is_abbreviation(token: str, abbreviation: str) -> bool:
    """Whether a query token is this abbreviation, or its plural ("CSPRs", "iros")."""
    candidates = [token]
    stem = token[:-1]
    if token.endswith("s") and (
        (stem.isupper() and len(stem) >= 2) or (stem.islower() and len(stem) >= 3)
    ):
        candidates.append(stem)
    for candidate in candidates:
        if abbreviation in _NEEDS_CAPITALS:
            if candidate == abbreviation or candidate == abbreviation.upper():
                return True
        elif candidate.lower() == abbreviation.lower():
            return True
    return False


@cache
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole-phrase, case-insensitive pattern; hyphens, spaces and commas interchangeable."""
    words = [w for w in re.split(r"[\s,\-]+", _normalise(phrase)) if w]
    parts = [re.escape(word).replace("'", "'?") for word in words]
    body = r"[\s,\-]+".join(parts)
    return re.compile(r"(?<![\w&])" + body + r"(?:s|es)?(?![\w&])", re.IGNORECASE)


@cache
def _indexes() -> tuple[dict[str, Term], dict[str, Term]]:
    """Lower-case abbreviation → term, and lower-case expansion/synonym → first term."""
    by_abbreviation: dict[str, Term] = {}
    by_phrase: dict[str, Term] = {}
    for term in _TERMS:
        by_abbreviation.setdefault(term.abbreviation.lower(), term)
        for phrase in (term.expansion, *term.synonyms):
            by_phrase.setdefault(_normalise(phrase).lower(), term)
    return by_abbreviation, by_phrase


_SHORTHAND_WORD = re.compile(r"[a-z0-9]+")


def _normalise(text: str) -> str:
    """Straight quotes and dashes, so "children’s" matches "children's"."""
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u2013", "-")
        .replace("\u2014", "-")
    )
