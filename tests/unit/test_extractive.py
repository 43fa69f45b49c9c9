"""The extractive composer picks answering sentences, verbatim, grouped and ordered."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from assistant.compose import passage_keys, short_title, source_lead
from assistant.compose.extractive import compose_extractive
from assistant.compose.sentences import split_sentences
from assistant.types import Passage, SearchHit, SourceDocument

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _doc(doc_id: str = "arr", **extra: object) -> SourceDocument:
    fields: dict[str, object] = {
        "id": doc_id,
        "title": "Lambeth multi-agency safeguarding arrangements (reviewed under Working Together 2023)",
        "publisher": "Lambeth Safeguarding Children Partnership",
        "partnership": "lambeth",
        "kind": "arrangements",
        "published": date(2025, 1, 1),
        "status": "current",
        "file": f"documents/{doc_id}.txt",
    }
    fields.update(extra)
    return SourceDocument.model_validate(fields)


def _hit(
    text: str, doc: SourceDocument, rank: int, start: int = 0, heading: list[str] | None = None
) -> SearchHit:
    passage = Passage(
        id=f"{doc.id}-{start}",
        doc_id=doc.id,
        text=text,
        heading_path=heading or ["Section"],
        start=start,
        end=start + len(text),
    )
    return SearchHit(passage=passage, doc=doc, score=1.0 / (rank + 1), rank=rank)


@pytest.fixture(scope="module")
def seed_hits() -> list[SearchHit]:
    """Real passages from the seed documents (blank-line paragraphs merged to ~120 words)."""
    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text())
    hits: list[SearchHit] = []
    for entry in manifest["documents"]:
        doc = SourceDocument.model_validate(entry)
        text = re.sub(r"\[bookmark: [^\]]*\]", "", (CORPUS / entry["file"]).read_text())
        chunk_start = None
        for match in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
            chunk_start = match.start() if chunk_start is None else chunk_start
            if len(text[chunk_start : match.end()].split()) > 120:
                hits.append(_hit(text[chunk_start : match.end()], doc, len(hits), chunk_start))
                chunk_start = None
    return hits


def _search(hits: list[SearchHit], *needles: str) -> list[SearchHit]:
    """Passages containing the needles, re-ranked as a retriever would hand them over."""
    found = [h for h in hits if any(n.lower() in h.passage.text.lower() for n in needles)]
    return [h.model_copy(update={"rank": i}) for i, h in enumerate(found[:6])]


def test_sentence_spans_are_exact_slices_and_bullets_are_sentences() -> None:
    text = "Intro line:\n• First bullet\n· Second bullet\nDr. Smith chairs it. It meets monthly."
    spans = split_sentences(text)
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert [s.text for s in spans] == [
        "Intro line:",
        "First bullet",
        "Second bullet",
        "Dr. Smith chairs it.",
        "It meets monthly.",
    ]
    assert spans[1].bullet and not spans[3].bullet


def test_wrapped_lines_are_joined_into_one_sentence() -> None:
    spans = split_sentences("The board meets\nquarterly with partners.\nNext topic")
    assert spans[0].text == "The board meets\nquarterly with partners."


def test_answers_who_ratifies_from_real_passage(seed_hits: list[SearchHit]) -> None:
    hits = _search(seed_hits, "ratified by the statutory partners", "Case Review Subgroup")
    draft = compose_extractive("who ratifies decisions of the case review subgroup?", hits)
    texts = [s.text for s in draft.sentences]
    assert any("ratified by the statutory partners" in t for t in texts)
    keys = passage_keys(hits)
    for sentence in draft.sentences:
        assert sentence.keys and sentence.text in keys[sentence.keys[0]].passage.text
    assert draft.composer == "extractive"


def test_funding_question_gets_funding_sentences(seed_hits: list[SearchHit]) -> None:
    hits = _search(seed_hits, "funding decisions")
    draft = compose_extractive("how is the partnership funded and who approves funding?", hits)
    joined = " ".join(s.text for s in draft.sentences)
    assert "approves all funding decisions" in joined
    assert draft.lead.startswith("From ") and draft.lead.endswith(":")


def test_lead_names_sources_with_dates_and_asserts_nothing() -> None:
    arrangements = _doc()
    report = _doc(
        "ar",
        title="Lambeth Safeguarding Children Partnership (LSCP) Annual Report 2023-24",
        kind="annual-report",
        published=date(2024, 3, 31),
    )
    old = _doc(
        "old",
        title='Annual Report 2020-21 ("a year like no other")',
        status="historical",
        published=date(2021, 3, 31),
    )
    assert short_title(arrangements) == "Lambeth multi-agency safeguarding arrangements (2025)"
    lead = source_lead([arrangements, report, arrangements, old])
    assert lead == (
        "From Lambeth multi-agency safeguarding arrangements (2025), Lambeth Safeguarding "
        "Children Partnership (LSCP) Annual Report 2023-24 and Annual Report 2020-21 (historical):"
    )


def test_sentences_grouped_by_source_in_document_order() -> None:
    a, b = _doc("a"), _doc("b", title="Escalation policy", published=date(2024, 5, 1))
    hits = [
        _hit("Escalation starts with a conversation between practitioners about the case.", b, 0),
        _hit("The board meets monthly. Escalation is recorded by the board secretary.", a, 1, 500),
        _hit("Escalation concerns go first to the board chair for review.", a, 2, 100),
    ]
    draft = compose_extractive("how does escalation work?", hits)
    keys = [s.keys[0] for s in draft.sentences]
    assert keys == ["P1", "P3", "P2"]  # source b (top hit) first; then a in document order
    assert (
        draft.lead == "From Escalation policy (2024) and Lambeth multi-agency safeguarding "
        "arrangements (2025):"
    )


def test_near_duplicates_removed_and_headings_skipped() -> None:
    doc = _doc()
    text_1 = "LSCP Executive Board\nThe LSCP Executive Board approves all funding decisions."
    text_2 = "The LSCP Executive Board approves all the funding decisions each year."
    draft = compose_extractive(
        "what does the LSCP Executive Board approve?", [_hit(text_1, doc, 0), _hit(text_2, doc, 1)]
    )
    texts = [s.text for s in draft.sentences]
    assert texts == ["The LSCP Executive Board approves all funding decisions."]


def test_list_intro_carries_its_items() -> None:
    doc = _doc()
    text = (
        "The guidance places the legal responsibility on three key safeguarding partners:\n"
        "Metropolitan Police\nSoutheast London Integrated Care System (SEL ICS)\nLambeth Council\n"
        "\nOther agencies also contribute."
    )
    draft = compose_extractive("who are the three safeguarding partners?", [_hit(text, doc, 0)])
    assert "Lambeth Council" in draft.sentences[0].text
    assert draft.sentences[0].text in text


def test_irrelevant_passages_give_empty_draft() -> None:
    doc = _doc()
    draft = compose_extractive(
        "what is the LADO phone number in Croydon?",
        [_hit("The partnership published its annual report in March.", doc, 0)],
    )
    assert draft.sentences == [] and draft.lead == ""


def test_a_sentence_that_only_names_the_borough_does_not_answer() -> None:
    doc = _doc()
    text = (
        "Lambeth schools can claim a uniform reimbursement for Lambeth families. "
        "The partnership meets every quarter."
    )
    draft = compose_extractive("where can I park at the Lambeth canteen", [_hit(text, doc, 0)])
    assert draft.sentences == []


def test_answer_respects_word_budget(seed_hits: list[SearchHit]) -> None:
    hits = _search(seed_hits, "safeguarding")
    draft = compose_extractive("safeguarding partners arrangements children", hits, max_words=80)
    assert 0 < sum(len(s.text.split()) for s in draft.sentences) <= 80


def test_name_list_answers_who_holds_a_role_named_by_acronym() -> None:
    doc = _doc()
    names = (
        "The DSPs are:\n• Vanessa Britton - Chief Superintendent, Metropolitan Police\n"
        "• Andrew Eyres - Lambeth Executive Lead, SEL ICS\n"
        "• Andrew Carter - Director of Children's Services, London Borough of Lambeth\n\n"
        "The DSPs can speak authoritatively for the LSPs and make decisions on their behalf."
    )
    other = (
        "The three statutory safeguarding partners, their delegates, and the partnership chair "
        "attend the executive. How safeguarding partners collaborate to identify and respond to "
        "the needs of children in Lambeth is set out below."
    )
    draft = compose_extractive(
        "delegated safeguarding partner for SEL ICS", [_hit(other, doc, 0), _hit(names, doc, 1)]
    )
    joined = " ".join(s.text for s in draft.sentences)
    assert "Andrew Eyres - Lambeth Executive Lead, SEL ICS" in joined
    assert any(s.text.startswith("The DSPs are:") for s in draft.sentences)  # read with its intro


def test_figure_row_without_full_stop_answers_how_many() -> None:
    doc = _doc()
    rows = (
        "464 children were Looked After (compared to 404 children in March 2023)\n\n"
        "316 children were subject to Child Protection Plans (compared to 320 in March 2023)"
    )
    prose = (
        "We will ensure we provide the right services and support to meet the identified needs "
        "of children looked after. Advocacy for children looked after and care leavers is being "
        "reviewed. Training on children looked after has been presented to the academy."
    )
    draft = compose_extractive(
        "how many children looked after were there?", [_hit(prose, doc, 0), _hit(rows, doc, 1)]
    )
    assert any(s.text.startswith("464 children were Looked After") for s in draft.sentences)


def test_sentence_continuing_a_chosen_one_is_kept() -> None:
    doc = _doc()
    text = (
        "In December 2020, the Lambeth Made Safer strategy was launched. "
        "This 10-year strategy takes a public health approach to reducing serious violence. "
        "Lambeth has some of the highest levels of knife crime in London. "
        "Before the LSCP, the board covered thresholds on one shared web page."
    )
    others = [
        "There are borough wide strategies to reduce youth violence, 'Lambeth Made Safer' and "
        "to make the borough a great place for families.",
        "Protecting children at risk of harm in the community is a priority for Lambeth.",
    ]
    hits = [_hit(text, doc, 0)] + [
        _hit(t, doc, i + 1, 1000 * (i + 1)) for i, t in enumerate(others)
    ]
    draft = compose_extractive("how long is the lambeth made safer strategy", hits)
    assert any("10-year strategy" in s.text for s in draft.sentences)


def test_sentence_adding_a_figure_is_not_a_duplicate() -> None:
    doc = _doc()
    text = (
        "The 54 reviews in It's Silent concerned 53 Black, Asian and Mixed Heritage children, "
        "each of whom died or suffered serious harm. Of the 53 children in the It's Silent "
        "review, 27 died."
    )
    draft = compose_extractive("how many of the It's Silent children died?", [_hit(text, doc, 0)])
    assert any("27 died" in s.text for s in draft.sentences)


def test_short_complete_sentence_is_not_treated_as_a_fragment() -> None:
    doc = _doc()
    text = "Lambeth has a young and diverse population. There are 62,085 children in Lambeth."
    filler = [
        "In 2019, 3,844 babies were born in Lambeth, according to the annual report.",
        "There are 11.2 domestic violence offences per 1,000 people in Lambeth.",
        "Between April 2023 and March 2024 the hub received 14,063 contacts about children.",
        "93.3% of Lambeth schools are rated good or outstanding by Ofsted inspectors.",
        "It is estimated that 10% of the Lambeth population identifies as LGBTQ+.",
        "Children in 42.8% of Lambeth households live in poverty after housing costs.",
    ]
    hits = [_hit(text, doc, 0)] + [
        _hit(t, doc, i + 1, 1000 * (i + 1)) for i, t in enumerate(filler)
    ]
    semantic = {
        h.passage.id: {(s.start, s.end): 0.6 for s in split_sentences(h.passage.text)} for h in hits
    }
    semantic[hits[0].passage.id][(44, 82)] = 0.82  # "There are 62,085 children in Lambeth."
    assert text[44:82] == "There are 62,085 children in Lambeth."
    draft = compose_extractive("how many children live in lambeth", hits, semantic=semantic)
    assert any("62,085" in s.text for s in draft.sentences)


def test_section_heading_counts_as_evidence_for_its_rows() -> None:
    doc = _doc()
    text = "233 individuals completed the online course.\n\nIn all, 713 were taken up."
    rows = SearchHit(
        passage=Passage(
            id="arr-rows",
            doc_id=doc.id,
            heading_path=["Lewisham training places 2016-17"],
            text=text,
            start=0,
            end=len(text),
        ),
        doc=doc,
        score=0.5,
        rank=1,
    )
    other = _hit(
        "The Lewisham training programme is free for all professionals in Lewisham who work "
        "with children. An amount has been allocated to deliver the annual training programme. "
        "Lewisham training is evaluated in three stages by the training team.",
        doc,
        0,
        500,
    )
    draft = compose_extractive("how many Lewisham training places were used?", [other, rows])
    assert any(s.text == "In all, 713 were taken up." for s in draft.sentences)


def test_the_opening_line_of_a_prepared_summary_is_not_quoted_as_an_answer() -> None:
    doc = SourceDocument(
        id="irh-route",
        title="Lambeth's route",
        publisher="LSCP",
        partnership="lambeth",
        kind="threshold",
        published=date(2025, 1, 1),
        status="current",
        file="x.md",
        prepared_for_assistant=True,
    )
    text = (
        "This is a summary prepared for this assistant from the LSCP page about making a "
        "referral to the Integrated Referral Hub. "
        "Professionals can phone the Integrated Referral Hub to talk through a referral."
    )
    hit = SearchHit(
        passage=Passage(
            id="p1", doc_id=doc.id, text=text, heading_path=["Referral"], start=0, end=len(text)
        ),
        doc=doc,
        score=1.0,
        rank=1,
    )
    draft = compose_extractive("how do I make a referral to the Integrated Referral Hub", [hit])
    texts = [s.text for s in draft.sentences]
    assert any("phone the Integrated Referral Hub" in t for t in texts)
    assert not any("summary prepared for this assistant" in t for t in texts)


def test_a_sentence_holding_the_kind_asked_for_leads() -> None:
    from assistant.compose.answer_types import AnswerTypes

    types = AnswerTypes.load(CORPUS / "answer-types.yaml")
    text = (
        "The LADO team handles allegations about staff and gives advice to employers. "
        "Referrals go to LADO@lambeth.gov.uk with the form."
    )
    hits = [_hit(text, _doc(), 0)]
    question = "whats the lado email"
    plain = compose_extractive(question, hits, max_sentences=1)
    assert plain.sentences[0].text.startswith("The LADO team")  # same words, no address
    with_kinds = compose_extractive(question, hits, max_sentences=1, answer_types=types)
    assert with_kinds.sentences[0].text.startswith("Referrals go to LADO@")


def test_the_kind_asked_for_counts_only_in_a_sentence_about_the_topic() -> None:
    """A phone number for the LADO does not answer "who do i contact about FGM"."""
    from assistant.compose.answer_types import AnswerTypes

    types = AnswerTypes.load(CORPUS / "answer-types.yaml")
    hits = [
        _hit(
            "To contact the LADO, phone 020 7926 4679. "
            "The AAF is the specialist commissioned service for FGM.",
            _doc(),
            0,
        )
    ]
    draft = compose_extractive("who do i contact about FGM", hits, answer_types=types)
    ranked = sorted(draft.sentences, key=lambda s: s.rank or 0)
    assert "FGM" in ranked[0].text
    assert "LADO" not in ranked[0].text


def test_every_sentence_carries_the_order_it_was_chosen_in() -> None:
    doc = _doc()
    hits = [
        _hit(
            "The LADO manages allegations against adults who work with children. "
            "Schools share a cake rota on Fridays. "
            "An allegation should be reported to the LADO within one working day.",
            doc,
            0,
        ),
        _hit("Staff parking is at the rear of the civic centre.", doc, 1, start=500),
    ]
    draft = compose_extractive("when should an allegation go to the LADO", hits)
    ranks = [s.rank for s in draft.sentences]
    assert None not in ranks
    assert sorted(r for r in ranks if r is not None) == list(range(len(set(ranks))))
    best = min(draft.sentences, key=lambda s: s.rank or 0)
    assert "allegation" in best.text


def test_an_answer_holds_at_most_about_eight_sentences() -> None:
    doc = _doc()
    text = " ".join(
        f"Early help offer number {i} supports families with children." for i in range(20)
    )
    draft = compose_extractive("what early help offer supports families", [_hit(text, doc, 0)])
    assert 1 <= len(draft.sentences) <= 9


def test_one_fact_per_sentence_is_not_taken_for_repetition() -> None:
    doc = _doc()
    text = (
        "Some children need special arrangements so that their views can be heard. "
        "Children with communication difficulties need special arrangements to be heard. "
        "Unaccompanied children need special arrangements to be heard. "
        "Refugee children need special arrangements to be heard."
    )
    draft = compose_extractive(
        "which children need special arrangements to have their views heard",
        [_hit(text, doc, 0)],
    )
    texts = " ".join(s.text for s in draft.sentences)
    for who in ("communication difficulties", "Unaccompanied", "Refugee"):
        assert who in texts


def test_the_section_headed_with_the_question_leads() -> None:
    doc = _doc()
    types = _hit(
        "Physical abuse of a child causes physical harm. Sexual abuse of a child includes "
        "grooming a child online.",
        doc,
        0,
        heading=["Definitions", "What are the four categories of abuse"],
    )
    definition = _hit(
        "Working Together describes abuse as a form of maltreatment of a child.",
        doc,
        1,
        start=200,
        heading=["Definitions", "What is abuse"],
    )
    draft = compose_extractive("What is child abuse?", [types, definition])
    leading = min(draft.sentences, key=lambda s: s.rank or 0)
    assert leading.text.startswith("Working Together describes abuse")
