"""Glossary: shorthand practitioners type is expanded, ordinary words are left alone."""

from __future__ import annotations

import pytest

from assistant.glossary import Term, expand_query, lookup, terms, terms_in

REQUIRED = [
    "IRH",
    "MASH",
    "LADO",
    "LSP",
    "DSP",
    "MASA",
    "LSCP",
    "LSCB",
    "CSPR",
    "LCSPR",
    "CDOP",
    "CIN",
    "CP",
    "CPP",
    "CLA",
    "LAC",
    "ICPC",
    "RCPC",
    "DSL",
    "EHA",
    "TAF",
    "CSC",
    "YJS",
    "YOS",
    "VAWG",
    "MARAC",
    "MAPPA",
    "PCI",
    "CSE",
    "CCE",
    "FGM",
    "DA",
    "DV",
    "SEND",
    "EHCP",
    "UASC",
    "ICB",
    "CCG",
    "NFA",
    "S47",
    "S17",
    "KCSIE",
    "WT",
    "GP",
    "A&E",
    "SW",
    "IRO",
    "PLO",
    "CAMHS",
    "EWMHS",
    "ILACS",
    "JTAI",
    "SCR",
    "NSPCC",
    "LEAP",
    "Prevent",
    "Channel",
    "MACE",
    "CAF",
    "SPOC",
]


def test_every_required_abbreviation_is_defined() -> None:
    abbreviations = {term.abbreviation for term in terms()}
    assert set(REQUIRED) <= abbreviations


def test_abbreviations_are_unique_and_expanded() -> None:
    abbreviations = [term.abbreviation.lower() for term in terms()]
    assert len(abbreviations) == len(set(abbreviations))
    assert all(term.expansion and term.expansion != term.abbreviation for term in terms())


def test_terms_are_immutable() -> None:
    term = terms()[0]
    with pytest.raises(AttributeError):
        term.expansion = "changed"  # type: ignore[misc]


def test_acronym_is_expanded_after_the_original_text() -> None:
    assert expand_query("who's the LADO") == "who's the LADO Local Authority Designated Officer"


def test_lower_case_acronym_is_expanded() -> None:
    assert "Local Authority Designated Officer" in expand_query("who's the lado")


def test_plural_acronym_is_expanded() -> None:
    assert "Child Safeguarding Practice Review" in expand_query("how many CSPRs last year")


def test_expansion_adds_its_acronym() -> None:
    expanded = expand_query("what does the multi-agency safeguarding hub do")
    assert expanded.startswith("what does the multi-agency safeguarding hub do")
    assert expanded.endswith("MASH")


def test_synonym_adds_acronym_and_expansion() -> None:
    expanded = expand_query("front door phone line")
    assert "IRH" in expanded and "Integrated Referral Hub" in expanded
    assert "MASH" in expanded


def test_known_lower_case_form_cp_plan() -> None:
    expanded = expand_query("how many kids on a cp plan")
    assert "Child Protection Plan" in expanded
    # the bare "cp" inside "cp plan" does not add a second, shorter expansion
    assert expanded.count("Child Protection") == 1


def test_practitioner_synonyms() -> None:
    assert "Children's Social Care" in expand_query("ring social services")
    assert "Children Looked After" in expand_query("health checks for children in care")
    assert "EHA" in expand_query("early help offer")
    assert "CSPR" in expand_query("case review findings")


def test_nothing_is_added_twice_or_when_already_present() -> None:
    query = "LADO Local Authority Designated Officer"
    assert expand_query(query) == query
    expanded = expand_query("LADO lado LADO")
    assert expanded.count("Local Authority Designated Officer") == 1


def test_ordinary_words_that_look_like_acronyms_are_left_alone() -> None:
    for query in (
        "please send me the form",
        "how to prevent harm",
        "we met the family",
        "leap forward",
        "change channel",
    ):
        assert expand_query(query) == query


def test_capitalised_word_acronyms_are_expanded() -> None:
    assert "Special Educational Needs and Disabilities" in expand_query("SEND support plan")
    assert "radicalisation" in expand_query("making a Prevent referral")
    assert "Lambeth Early Action Partnership" in expand_query("what has LEAP achieved")


def test_acronym_inside_a_longer_word_is_not_matched() -> None:
    assert expand_query("cpd hours") == "cpd hours"
    assert expand_query("glad to help") == "glad to help"


def test_curly_apostrophes_match() -> None:
    assert expand_query("children’s social care").endswith("CSC")


def test_section_47_forms() -> None:
    for query in ("s47 enquiry", "S47", "section 47 strategy"):
        assert "S47" in expand_query(query) or "Section 47" in expand_query(query)


def test_lookup_by_abbreviation_plural_and_phrase() -> None:
    lado = lookup("lado")
    assert isinstance(lado, Term) and lado.expansion == "Local Authority Designated Officer"
    assert lookup("LSPs") == lookup("LSP")
    wt = lookup("Working Together")
    assert wt is not None and wt.abbreviation == "WT"
    assert lookup("not a term") is None
    assert lookup("") is None


def test_terms_in_lists_each_term_once_in_order() -> None:
    found = [term.abbreviation for term in terms_in("LADO and the MASH, then the lado again")]
    assert found == ["LADO", "MASH"]


@pytest.mark.parametrize(
    ("query", "added"),
    [
        ("which regs cover private fostering", "regulations"),
        ("child staying with her nan for the term", "grandparent"),
        ("when do they hold a strat meeting", "strategy"),
        ("kid in yr 9", "child year"),
    ],
)
def test_practitioners_shorthand_is_searched_in_the_documents_words(query: str, added: str) -> None:
    assert expand_query(query) == f"{query} {added}"


def test_shorthand_already_spelt_out_is_not_added_again() -> None:
    assert expand_query("info and information sharing") == "info and information sharing"
