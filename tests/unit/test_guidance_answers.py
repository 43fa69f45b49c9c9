"""Threshold view and escalation route built from cited structured guidance."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.citations import guard_output
from assistant.contacts import ContactsRegister
from assistant.guidance import GuidanceData
from assistant.guidance_answers import (
    THRESHOLD_NOTE,
    decision_route,
    describes_situation,
    escalation_markdown,
    escalation_route,
    guidance_kind,
    is_escalation_question,
    is_threshold_question,
    threshold_view,
)
from assistant.settings import Settings
from tests.support import quote_nodes

CORPUS = Settings().corpus_dir

# ---------------------------------------------------------------- fixtures


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _corpus_resolver() -> Any:
    """Cite a quote by finding it in the raw document text (one pseudo-passage per doc)."""
    import yaml

    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in manifest["documents"]}

    def resolve(doc_id: str, quote: str) -> dict[str, Any] | None:
        doc = docs.get(doc_id)
        if doc is None:
            return None
        text = _collapse((CORPUS / doc["file"]).read_text(encoding="utf-8"))
        if _collapse(quote) not in text:
            return None
        return {
            "doc_id": doc_id,
            "title": doc["title"],
            "passage_id": f"{doc_id}-p1",
            "section": "",
            "url": f"/sources/{doc_id}#p-{doc_id}-p1",
            "published": str(doc["published"]),
            "status": doc["status"],
        }

    return resolve


@pytest.fixture(scope="module")
def guidance() -> GuidanceData:
    return GuidanceData.load(CORPUS)


@pytest.fixture(scope="module")
def thresholds(guidance: GuidanceData) -> dict[str, Any]:
    return guidance.thresholds(_corpus_resolver())


@pytest.fixture(scope="module")
def escalation(guidance: GuidanceData) -> dict[str, Any]:
    return guidance.escalation(_corpus_resolver())


@pytest.fixture(scope="module")
def contacts() -> ContactsRegister:
    return ContactsRegister.load(CORPUS / "contacts.yaml")


def lexical(question: str, texts: list[str]) -> list[float]:
    """Word-overlap fake for the embedding cosine."""
    asked = set(re.findall(r"[a-z]+", question.lower()))
    return [len(asked & set(re.findall(r"[a-z]+", t.lower()))) / (1 + len(t)) for t in texts]


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _closest_per_level(view: dict[str, Any]) -> list[int]:
    return [sum(d["closest"] for d in level["descriptors"]) for level in view["levels"]]


# ---------------------------------------------------------------- question detection

THRESHOLD_YES = [
    "What are the four levels of need?",
    "what level would a child with poor school attendance be?",
    "Explain the London continuum of help and support",
    "whats the threshold for CIN",
    "threshhold for lvl 3?",
    "difference between early help and child in need",
    "Early help vs CP - how do I tell?",
    "what is early help",
    "What are universal and targeted services?",
    "level 2 or level 3 - what's the difference",
    "Is neglect level 3 or 4?",
    "I'm worried about a child who is always hungry",
    "im worried abt a yr 7 pupil who keeps missing school",
    "what do I do, one of my pupils has a bruise on her arm",
    "Mum is drinking a lot and the kids seem to be left alone",
    "a girl in my class is always dirty and smells, what should I do",
    "DV at home, the boy told me his dad shouts at mum every night",
    "he keeps missing school and his mum seems to be struggling",
    "My student has lost a lot of weight and seems withdrawn",
    "we have a family where dad uses drugs and the baby is unsupervised",
    "concerned about a toddler at nursery who comes in hungry",
    "what help is there for a family with no heating and overcrowding",
    "Worried about a teenager who goes missing at weekends",
    "what are the levels of need in the london threshold document",
    "what does level 4 mean",
    "section 17 vs section 47",
    "continum of need lambeth",
]

THRESHOLD_NO = [
    "who is the LADO",
    "what is the LSCP",
    "what is a CSPR?",
    "how do I contact the LADO",
    "who needs level 3 safeguarding training?",
    "what level of detail should the MARF include",
    "What is neglect?",
    "what does the guidance say about bruising in non-mobile babies",
    "when was the annual report published",
    "what training does the LSCP offer on domestic abuse",
    "who are the three safeguarding partners",
    "what did the child angela review find",
    "is there a briefing about self harm",
    "what is the LADO threshold for an allegation against a teacher",
    "a colleague shouted at a pupil, who do I tell",
    "what is private fostering",
    "what is the IRH phone number",
    "how do I fill in the MARF",
    "hello",
    "thanks that was helpful",
    "CSC closed my referral and I'm still worried",
    "how do I escalate a disagreement with social care",
    "what is contextual safeguarding",
    "where is the information sharing guidance",
]

ESCALATION_YES = [
    "CSC closed my referral and I'm still worried",
    "how do I escalate a concern?",
    "what is the escalation policy in Lambeth",
    "I disagree with the IRH decision",
    "social care NFA'd my referral but I'm still concerned",
    "how do i challenge a decision by childrens social care",
    "professional differences - what's the process",
    "how to resolve a disagreement with the social worker",
    "not happy with the decision from MASH",
    "how long should I wait before escalating",
    "IRH said it doesnt meet threshold and I am still worried",
    "escallate to a manager?",
    "the social worker closed our referral, what can I do",
    "we disagree with the outcome of the strategy meeting",
    "is there a professional dispute resolution process",
    "who do I go to if I disagree with social care's decision",
    "resolving professional differences london procedures",
    "the case was closed with no further action and I'm not happy",
    "escelation flowchart lambeth",
    "disagrement with health visitor about the plan, how to escalate",
    "I want to challenge the threshold decision",
    "referral was declined, concerns remain",
    "can I take it higher if the team manager doesnt respond",
]

ESCALATION_NO = [
    "who is the LADO",
    "what is the LSCP",
    "his behaviour is escalating at school",
    "the violence at home is escalating",
    "what is challenging behaviour",
    "mum disagrees with the school's attendance policy",
    "parents are not happy with the school's decision to exclude",
    "what does NFA mean",
    "what's the IRH phone number",
    "how do I make a referral to the IRH",
    "what are the four levels of need",
    "what is early help",
    "what is a strategy discussion",
    "what is a child protection conference",
    "what training does the LSCP offer",
    "my pupil has bruises on her arm",
    "what happened in the child angela review",
    "who are the three safeguarding partners",
    "the rows at home are likely to escalate this weekend",
    "the school was closed and I'm worried about a pupil",
    "what is the role of the DSL",
    "how do I report an allegation against a colleague",
]


@pytest.mark.parametrize("question", THRESHOLD_YES)
def test_threshold_questions_are_recognised(question: str) -> None:
    assert is_threshold_question(question)
    assert guidance_kind(question) == "thresholds"


@pytest.mark.parametrize("question", THRESHOLD_NO)
def test_other_questions_are_not_threshold_questions(question: str) -> None:
    assert not is_threshold_question(question)


@pytest.mark.parametrize("question", ESCALATION_YES)
def test_escalation_questions_are_recognised(question: str) -> None:
    assert is_escalation_question(question)
    assert guidance_kind(question) == "escalation"


@pytest.mark.parametrize("question", ESCALATION_NO)
def test_other_questions_are_not_escalation_questions(question: str) -> None:
    assert not is_escalation_question(question)


def test_generic_questions_get_no_structured_view() -> None:
    for question in ("who is the LADO", "what is the LSCP", "what is a rapid review"):
        assert guidance_kind(question) is None


def test_enough_realistic_phrasings_are_tested() -> None:
    assert min(len(THRESHOLD_YES), len(THRESHOLD_NO)) >= 20
    assert min(len(ESCALATION_YES), len(ESCALATION_NO)) >= 20


@pytest.mark.parametrize(
    ("question", "situation"),
    [
        ("what is early help", False),
        ("What are the four levels of need?", False),
        ("Explain the continuum", False),
        ("I'm worried about a child who is always hungry", True),
        ("mum is drinkin a lot n the kids r hungry", True),
        ("one of my pupils keeps missing school", True),
    ],
)
def test_situation_or_definition(question: str, situation: bool) -> None:
    assert describes_situation(question) is situation


# ---------------------------------------------------------------- threshold view


def test_view_shows_four_cited_levels_in_order(thresholds: dict[str, Any]) -> None:
    view = threshold_view("what are the levels of need", thresholds, lexical)
    assert view["kind"] == "thresholds"
    assert [level["level"] for level in view["levels"]] == [1, 2, 3, 4]
    for level in view["levels"]:
        assert level["summary"]["citation"]["doc_id"] == "london-threshold-guide"
        assert level["who_responds"]["quote"]
        assert level["descriptors"]
        for descriptor in level["descriptors"]:
            assert set(descriptor) == {"quote", "citation", "closest"}
    assert view["note"] == THRESHOLD_NOTE
    assert len(view["principles"]) == 5
    json.dumps(view)  # the API returns it as is


def test_definitional_question_highlights_nothing(thresholds: dict[str, Any]) -> None:
    view = threshold_view("what is early help", thresholds, lexical)
    assert _closest_per_level(view) == [0, 0, 0, 0]


def test_situation_highlights_one_descriptor_in_every_level(thresholds: dict[str, Any]) -> None:
    question = "I'm worried about a child whose care centres on the adults and not the child"
    view = threshold_view(question, thresholds, lexical)
    assert _closest_per_level(view) == [1, 1, 1, 1]
    level2 = view["levels"][1]["descriptors"]
    assert level2[0]["closest"] and "centre on the adults" in level2[0]["quote"]


def test_highlight_rule_holds_for_any_similarity(thresholds: dict[str, Any]) -> None:
    rng = random.Random(20261123)
    questions = [q for q in THRESHOLD_YES + THRESHOLD_NO if q]
    for trial in range(400):

        def fake(question: str, texts: list[str], trial: int = trial) -> list[float]:
            kind = trial % 5
            if kind == 0:
                return [rng.choice([0.0, 1.0]) for _ in texts]  # many ties
            if kind == 1:
                return [rng.uniform(-1e6, 1e6) for _ in texts]
            if kind == 2:  # one level dominates every score
                boost = rng.randrange(len(texts))
                return [10.0 if i == boost else rng.random() for i in range(len(texts))]
            if kind == 3:  # broken scorers
                return rng.choice([[], [float("nan")] * len(texts), [1.0] * (len(texts) + 1)])
            return [rng.random() for _ in texts]

        view = threshold_view(rng.choice(questions), thresholds, fake)
        counts = _closest_per_level(view)
        assert counts in ([0, 0, 0, 0], [1, 1, 1, 1]), counts


def test_failing_similarity_costs_the_highlight_not_the_view(thresholds: dict[str, Any]) -> None:
    def broken(question: str, texts: list[str]) -> list[float]:
        raise RuntimeError("model not loaded")

    view = threshold_view("I'm worried about a child who is hungry", thresholds, broken)
    assert _closest_per_level(view) == [0, 0, 0, 0]
    assert len(view["levels"]) == 4


def test_a_level_without_descriptors_means_no_highlight(thresholds: dict[str, Any]) -> None:
    trimmed = json.loads(json.dumps(thresholds))
    trimmed["levels"][2]["descriptors"] = []
    view = threshold_view("I'm worried about a child who is hungry", trimmed, lexical)
    assert _closest_per_level(view) == [0, 0, 0, 0]


_VERDICT = re.compile(
    r"\bthis is (?:a )?level\b|\bmeets? the threshold\b|\blevel \d applies\b|\bapplies to (?:this|your)\b"
    r"|\b(?:best|closest) (?:match|level)\b|\brecommend",
    re.IGNORECASE,
)


def test_no_output_string_names_a_level_as_applying(
    thresholds: dict[str, Any], contacts: ContactsRegister
) -> None:
    for question in THRESHOLD_YES:
        view = threshold_view(question, thresholds, lexical, contacts=contacts)
        for text in _strings(view):
            assert not _VERDICT.search(text), text
            assert guard_output(text) == text, text
    assert not set(_keys(view)) & {"score", "scores", "match", "suggested_level", "level_match"}


def test_verdict_check_can_fail() -> None:
    assert _VERDICT.search("This is level 3.")
    assert _VERDICT.search("The child meets the threshold for a referral.")


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


def test_every_shown_quote_is_verbatim_in_its_cited_document(thresholds: dict[str, Any]) -> None:
    view = threshold_view("I'm worried about a child who is hungry", thresholds, lexical)
    quoted = list(quote_nodes(view))
    assert len(quoted) >= 20
    for node in quoted:
        doc = node["citation"]["doc_id"]
        text = _collapse((CORPUS / "documents" / f"{doc}.md").read_text(encoding="utf-8"))
        assert _collapse(node["quote"]) in text


def test_uncited_quotes_are_left_out() -> None:
    cited = {
        "levels": [
            {
                "level": 1,
                "name": "One",
                "descriptors": [{"quote": "Kept.", "citation": {"doc_id": "d"}}],
            }
        ],
        "principles": [{"quote": "No citation."}],
    }
    view = threshold_view("what is level 1", cited, lexical)
    level = view["levels"][0]
    assert level["summary"] is None and level["caveat"] is None
    assert [d["quote"] for d in level["descriptors"]] == ["Kept."]
    assert view["principles"] == []


# ---------------------------------------------------------------- decision route


def test_decision_route_starts_with_999_and_phones_come_from_register(
    thresholds: dict[str, Any], contacts: ContactsRegister
) -> None:
    route = decision_route(thresholds, contacts)
    assert [step["n"] for step in route] == list(range(1, len(route) + 1))
    assert "999" in route[0]["step"]["quote"]
    assert route[0]["contact"]["phone"] == "999"
    registered = {c.phone for c in contacts.all() if c.phone}
    phones = [s["contact"]["phone"] for s in route if s["contact"] and s["contact"].get("phone")]
    assert "020 7926 3100" in phones
    assert set(phones) <= registered
    assert route[2]["contact"] is None  # the DSL is a person in the user's own agency


def test_decision_route_without_register_carries_ids_only(thresholds: dict[str, Any]) -> None:
    route = decision_route(thresholds)
    assert route[0]["contact"] == {"id": "emergency-999"}


def test_unknown_contact_id_gets_no_phone(contacts: ContactsRegister) -> None:
    cited = {
        "decision_route": [
            {"step": {"quote": "Call them.", "citation": {"doc_id": "d"}}, "contact": "made-up"}
        ]
    }
    assert decision_route(cited, contacts)[0]["contact"] == {"id": "made-up"}


# ---------------------------------------------------------------- escalation route


def test_escalation_route_from_corpus(
    escalation: dict[str, Any], contacts: ContactsRegister
) -> None:
    route = escalation_route(escalation, contacts=contacts)
    assert route is not None
    assert route["kind"] == "escalation"
    assert "999" in route["immediate_danger"]["quote"]
    assert route["immediate_danger"]["contact"]["phone"] == "999"
    assert route["never_waits"]["quote"].startswith("Immediate danger never waits")
    assert [s["n"] for s in route["steps"]] == [1, 2, 3]
    for step in route["steps"]:
        for field in ("step", "who", "timescale", "record"):
            assert step[field]["citation"]["doc_id"]
    assert route["official_flowchart"]["url"].startswith("https://www.lambethsaferchildren")
    json.dumps(route)


def test_no_route_without_steps_or_without_the_999_exception(escalation: dict[str, Any]) -> None:
    assert escalation_route({**escalation, "steps": []}) is None
    assert escalation_route({}) is None
    no_danger = {k: v for k, v in escalation.items() if k != "immediate_danger"}
    assert escalation_route(no_danger) is None


def test_step_without_cited_step_quote_is_dropped_and_renumbered(
    escalation: dict[str, Any],
) -> None:
    steps = json.loads(json.dumps(escalation["steps"]))
    del steps[0]["step"]
    route = escalation_route({**escalation, "steps": steps})
    assert route is not None
    assert [s["n"] for s in route["steps"]] == [1, 2]
    assert "one working week" in route["steps"][0]["step"]["quote"]


def test_markdown_puts_999_first_and_numbers_citations_by_first_use(
    escalation: dict[str, Any],
) -> None:
    route = escalation_route(escalation)
    assert route is not None
    text, refs = escalation_markdown(route)
    first_line = text.splitlines()[0]
    assert first_line.startswith(route["immediate_danger"]["quote"] + " [1]")
    assert route["never_waits"]["quote"] + " [2]" in first_line
    assert text.splitlines()[2].startswith("1. **Step:** ")
    assert text.rstrip().endswith(route["official_flowchart"]["quote"] + f" [{len(refs)}]")
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
    first_uses = list(dict.fromkeys(markers))
    assert first_uses == list(range(1, len(refs) + 1))
    for n, (quote, citation) in enumerate(refs, start=1):
        assert f"{quote} [{n}]" in text
        assert citation["passage_id"]


def test_every_sentence_of_the_markdown_is_a_cited_quote(escalation: dict[str, Any]) -> None:
    route = escalation_route(escalation)
    assert route is not None
    text, refs = escalation_markdown(route)
    residue = text
    for n, (quote, _) in enumerate(refs, start=1):
        residue = residue.replace(f"{quote} [{n}]", "")
    residue = re.sub(r"\*\*(?:Step|Who|Timescale|Record):\*\*|^\d+\.", "", residue, flags=re.M)
    assert residue.strip() == ""


def test_same_quote_and_passage_reuse_one_number() -> None:
    cite = {"doc_id": "d", "passage_id": "p1"}
    other = {"doc_id": "d", "passage_id": "p2"}
    route = {
        "immediate_danger": {"quote": "Call 999.", "citation": cite},
        "never_waits": None,
        "steps": [
            {
                "n": 1,
                "step": {"quote": "Talk.", "citation": cite},
                "who": {"quote": "Call 999.", "citation": cite},
                "timescale": {"quote": "Talk.", "citation": other},
                "record": None,
            }
        ],
        "official_flowchart": None,
    }
    text, refs = escalation_markdown(route)
    assert text == (
        "Call 999. [1]\n\n1. **Step:** Talk. [2] **Who:** Call 999. [1] **Timescale:** Talk. [3]"
    )
    assert [(q, c["passage_id"]) for q, c in refs] == [
        ("Call 999.", "p1"),
        ("Talk.", "p1"),
        ("Talk.", "p2"),
    ]
