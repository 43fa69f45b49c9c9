"""The verifier keeps only cited, verbatim-supported, guard-clean sentences."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.citations import contacts_in, guard_output, normalise_phone, verify
from assistant.compose import Draft, DraftSentence
from assistant.types import Passage, SearchHit, SourceDocument

DOC = SourceDocument(
    id="arr",
    title="Lambeth multi-agency safeguarding arrangements",
    publisher="LSCP",
    partnership="lambeth",
    kind="arrangements",
    published=date(2025, 1, 1),
    status="current",
    file="documents/arr.txt",
    source_url="https://lambethsaferchildren.org.uk/publications",
)
OLD = DOC.model_copy(update={"id": "old", "title": "Annual Report 2016-17", "status": "historical"})
FUNDING = (
    "Funding arrangements are transparent and published in the yearly report. "
    "The LSCP Executive Board approves all funding decisions."
)
CONTACT = "Call the Integrated Referral Hub on 020 7926 5555 or email helpdesk@lambeth.gov.uk."


def _hit(text: str, doc: SourceDocument = DOC, rank: int = 0) -> SearchHit:
    passage = Passage(
        id=f"{doc.id}-{rank}",
        doc_id=doc.id,
        text=text,
        heading_path=["Funding", "Budget"],
        start=0,
        end=len(text),
    )
    return SearchHit(passage=passage, doc=doc, score=1.0, rank=rank)


def _draft(*sentences: tuple[str, list[str]], composer: str = "extractive") -> Draft:
    return Draft(
        lead="ignored",
        composer=composer,
        sentences=[DraftSentence(text=t, keys=k) for t, k in sentences],
    )


def test_extractive_sentence_cited_with_verbatim_quote_and_metadata() -> None:
    hits = [_hit(FUNDING)]
    result = verify(
        _draft(("The LSCP Executive Board approves all funding decisions.", ["P1"])),
        hits,
        allowed_contacts=set(),
    )
    assert result.answer == (
        "From Lambeth multi-agency safeguarding arrangements (2025):\n\n"
        "- The LSCP Executive Board approves all funding decisions. [1]"
    )
    citation = result.citations[0]
    assert citation.quote == "The LSCP Executive Board approves all funding decisions."
    assert (citation.n, citation.passage_id, citation.section) == (1, "arr-0", "Funding › Budget")
    assert citation.url == "/sources/arr#p-arr-0" and citation.status == "current"
    assert citation.source_url == DOC.source_url and result.dropped == 0


def test_unknown_key_stripped_and_sentence_without_valid_key_dropped() -> None:
    hits = [_hit(FUNDING)]
    draft = _draft(
        ("The LSCP Executive Board approves all funding decisions.", ["P9", "P1"]),
        ("Funding is agreed by the Mayor of London.", ["P7"]),
        ("Uncited claim about budgets.", []),
    )
    result = verify(draft, hits, allowed_contacts=set())
    assert "Mayor" not in result.answer and "Uncited" not in result.answer
    assert result.answer.count("[1]") == 1 and len(result.citations) == 1
    assert result.dropped == 2
    assert any("P9" in r for r in result.reasons)


def test_nothing_survives_gives_empty_answer() -> None:
    result = verify(
        _draft(("Invented procedure.", ["P3"])), [_hit(FUNDING)], allowed_contacts=set()
    )
    assert result.answer == "" and result.citations == [] and result.dropped == 1


def test_paraphrase_quotes_best_passage_sentence_and_weak_claims_dropped() -> None:
    hits = [_hit(FUNDING)]
    draft = _draft(
        ("All funding decisions are approved by the LSCP Executive Board.", ["P1"]),
        ("The Executive Board also sets school inspection grades for Ofsted.", ["P1"]),
        composer="llm:test",
    )
    result = verify(draft, hits, allowed_contacts=set())
    assert [c.quote for c in result.citations] == [
        "The LSCP Executive Board approves all funding decisions."
    ]
    assert "Ofsted" not in result.answer and result.dropped == 1


def test_paraphrase_with_number_not_in_passage_dropped() -> None:
    draft = _draft(
        ("The LSCP Executive Board approves all 12 funding decisions.", ["P1"]), composer="llm:test"
    )
    assert verify(draft, [_hit(FUNDING)], allowed_contacts=set()).answer == ""


def test_same_quote_reused_gets_one_citation_number() -> None:
    hits = [_hit(FUNDING)]
    sentence = "The LSCP Executive Board approves all funding decisions."
    result = verify(
        _draft(
            (sentence, ["P1"]),
            ("Funding decisions: the board approves them all (LSCP Executive Board).", ["P1"]),
        ),
        hits,
        allowed_contacts=set(),
    )
    assert len(result.citations) == 1 and result.answer.count("[1]") == 2


def test_phone_and_email_allowed_when_in_cited_passage() -> None:
    result = verify(_draft((CONTACT, ["P1"])), [_hit(CONTACT)], allowed_contacts=set())
    assert "020 7926 5555" in result.answer


def test_invented_contacts_dropped_unless_in_register() -> None:
    hits = [_hit(FUNDING), _hit(CONTACT, rank=1)]
    invented = (
        "The LSCP Executive Board approves all funding decisions, call 020 7000 1234.",
        ["P1"],
    )
    url = (
        "The LSCP Executive Board approves all funding decisions, see www.fake-lscp.org.uk.",
        ["P1"],
    )
    result = verify(_draft(invented, url, composer="llm:test"), hits, allowed_contacts=set())
    assert result.answer == "" and result.dropped == 2
    allowed = verify(
        _draft(invented, composer="llm:test"), hits, allowed_contacts={"+44 20 7000 1234"}
    )
    assert "020 7000 1234" in allowed.answer


def test_contact_normalisation() -> None:
    assert normalise_phone("+44 (0)20 7926 5555") == "02079265555"
    assert contacts_in("Ring 020 7926 5555, email A@B.gov.uk or https://www.x.org.uk/a/.") == {
        "02079265555",
        "a@b.gov.uk",
        "x.org.uk/a",
    }
    assert contacts_in("In 2016 2017 there were 460 children.") == set()


def test_citation_limit_drops_extra_sentences() -> None:
    text = " ".join(
        f"Rule number {w} applies to every partner agency." for w in ["one", "two", "three", "four"]
    )
    draft = _draft(
        *[
            (f"Rule number {w} applies to every partner agency.", ["P1"])
            for w in ["one", "two", "three", "four"]
        ]
    )
    result = verify(draft, [_hit(text)], allowed_contacts=set(), max_citations=2)
    assert len(result.citations) == 2 and result.dropped == 2


def test_lead_names_only_sources_that_survived() -> None:
    hits = [_hit(FUNDING), _hit("Something else entirely.", OLD, 1)]
    draft = _draft(
        ("The LSCP Executive Board approves all funding decisions.", ["P1"]), ("Invented.", ["P2"])
    )
    assert "2016-17" not in verify(draft, hits, allowed_contacts=set()).answer


@pytest.mark.parametrize(
    "sentence",
    [
        "This is level 3.",
        "It sounds like a level 2 case.",
        "From what you describe this child meets the threshold for a referral.",
        "This case does not meet the threshold.",
        "You don't need to refer.",
        "There is no need to refer this to children's social care.",
        "Don't refer yet.",
        "It's probably fine.",
        "There is nothing to worry about.",
        "This is not a safeguarding concern.",
        "You should wait and see if more bruises appear.",
        "Your child is safe.",
    ],
)
def test_guard_removes_verdicts_dissuasion_and_reassurance(sentence: str) -> None:
    assert guard_output(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Level 3 services are for children with complex needs.",
        "If the referral does not meet the threshold, the IRH will signpost to early help.",
        "Where a child meets the threshold for level 4, a referral is made.",
        "Concerns about significant harm are referred without delay.",
        "The continuum of need has four levels.",
    ],
)
def test_guard_keeps_neutral_document_sentences(sentence: str) -> None:
    assert guard_output(sentence) == sentence


def test_guard_applies_to_extractive_sentences_too() -> None:
    text = "This is level 3. Level 3 services are for children with complex needs."
    draft = _draft(
        ("This is level 3.", ["P1"]),
        ("Level 3 services are for children with complex needs.", ["P1"]),
    )
    result = verify(draft, [_hit(text)], allowed_contacts=set())
    assert "This is level 3" not in result.answer and "complex needs" in result.answer
