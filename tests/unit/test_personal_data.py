"""Personal-data redaction (PD-01, PD-08): identifiers never reach search, logs or a model."""

from __future__ import annotations

import pytest

from assistant.triage import redact, triage
from assistant.triage.personal_data import describe_kinds
from assistant.types import Turn


@pytest.mark.parametrize(
    ("text", "originals", "kind"),
    [
        ("Jayden Smith is 8", ["Jayden", "Smith"], "name"),
        ("Mrs Okafor rang the school", ["Okafor"], "name"),
        ("a boy called Kwabena keeps missing school", ["Kwabena"], "name"),
        ("Kwame Mensah (age 7) is often hungry", ["Kwame", "Mensah"], "name"),
        ("DOB 12/03/2015", ["12/03/2015"], "date_of_birth"),
        ("she was born 3 March 2016", ["3 March 2016"], "date_of_birth"),
        ("lives at 14 Acre Lane", ["14 Acre Lane"], "address"),
        ("postcode SW2 5SG", ["SW2 5SG"], "postcode"),
        ("mum's mobile is 07700 900123", ["07700 900123"], "phone"),
        ("call +44 7700 900123", ["7700 900123"], "phone"),
        ("email mum.jones@example.com", ["mum.jones@example.com"], "email"),
        ("NHS number 943 476 5919", ["943 476 5919"], "nhs_number"),
        ("his number is 9434765919", ["9434765919"], "nhs_number"),
        ("NI AB 12 34 56 C", ["AB 12 34 56 C"], "ni_number"),
        ("UPN A123456789012", ["A123456789012"], "upn"),
        ("she is in Year 5 at St Mary's", ["St Mary's"], "school_class"),
        ("class 4B at Henry Fawcett Primary", ["4B", "Henry Fawcett"], "school_class"),
    ],
)
def test_each_kind_of_identifier_is_replaced_and_counted(
    text: str, originals: list[str], kind: str
) -> None:
    result = redact(text)
    for original in originals:
        assert original not in result.text
    assert result.counts.get(kind, 0) >= 1, result


def test_the_requirements_example_leaves_only_placeholders() -> None:
    result = redact("Jayden Smith, DOB 03/04/2015, 12 Acacia Rd, NHS 943 476 5919")
    assert result.text == "[name], DOB [date of birth], [address], NHS [NHS number]"
    assert result.counts == {"name": 1, "date_of_birth": 1, "address": 1, "nhs_number": 1}


@pytest.mark.parametrize(
    "text",
    [
        "What does the Lambeth Safeguarding Children Partnership say about Early Help?",
        "How does Working Together 2023 describe the Independent Scrutineer?",
        "What did Jim Gamble say as Independent Chair?",
        "Is the Multi Agency Referral Form still used by Children's Social Care?",
        "I called the IRH on 020 7926 3100 but nobody answered",
        "3 kids in the park were fighting",
        "What does the King's College Hospital safeguarding team do?",
        "What is the Brighter Beginnings referral form?",
        "What were the priorities in 2023-24?",
    ],
)
def test_ordinary_questions_are_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.counts == {}


def test_lower_case_first_names_and_street_addresses_are_caught() -> None:
    result = redact("jayden lives at 22 brixton hill road with his nan")
    assert "jayden" not in result.text
    assert "22 brixton" not in result.text


def test_placeholders_are_not_redacted_twice() -> None:
    once = redact("Tyler Brown, 07700 900123").text
    assert redact(once).text == once


def test_triage_redacts_question_and_history() -> None:
    history = [Turn(role="user", content="Kwame Mensah at SW2 5SG told me dad hits him")]
    result = triage("what now for Kwame Mensah?", history)
    assert "Kwame" not in result.question
    assert "Kwame" not in result.history[0].content
    assert "SW2 5SG" not in result.history[0].content
    assert result.redactions == {"name": 1}


def test_describe_kinds_lists_plain_english_labels_in_a_stable_order() -> None:
    assert describe_kinds({"phone": 1, "name": 2, "postcode": 0}) == ["names", "phone numbers"]


# --- the probe's findings (issue #12): each failed before the fix ----------------------


@pytest.mark.parametrize(
    ("text", "originals", "expected"),
    [
        # Non-ASCII names are kept whole, not cut at the first accented letter.
        ("Kacper Wiśniewski is 9", ["Kacper", "Wiśniewski", "śniewski"], "[name] is 9"),
        ("Zoë Łukasz said it again", ["Zoë", "Łukasz"], "[name] said it again"),
        ("Seán Ó Súilleabháin told me", ["Seán", "Súilleabháin"], "[name] told me"),
        # Hyphenated and apostrophe names are one name.
        ("Mia-Rose O'Connor was hit", ["Mia-Rose", "Connor"], "[name] was hit"),
        ("Ngozi Adebayo-Okafor told me", ["Ngozi", "Adebayo"], "[name] told me"),
        # Names the gazetteer lacked, and a name known only by what follows it.
        ("Siobhan told me at lunch", ["Siobhan"], "[name] told me at lunch"),
        ("Oluwadamilare said his dad hits him", ["Oluwadamilare"], "[name] said his dad hits him"),
        # A lower-case family name and a bare date.
        ("worried about begum 12.05.2012", ["begum", "12.05.2012"], "worried about [name] [date]"),
        # International numbers, and a number that only looked like an NHS number.
        ("call +48 512 345 678", ["512 345 678", "+48"], "call [phone number]"),
        ("mum on +234 803 123 4567", ["803 123 4567", "+234"], "mum on [phone number]"),
        ("his ref is 8031234567", ["8031234567"], "his ref is [number]"),
    ],
)
def test_probe_identifiers_are_removed_whole(
    text: str, originals: list[str], expected: str
) -> None:
    result = redact(text)
    assert result.text == expected
    for original in originals:
        assert original not in result.text


def test_the_nhs_checksum_labels_but_never_redacts_less() -> None:
    valid, invalid = redact("number 943 476 5919"), redact("number 943 476 5910")
    assert valid.counts == {"nhs_number": 1}
    assert invalid.counts == {"number": 1} and "5910" not in invalid.text


def test_the_probes_search_string_keeps_no_identifier() -> None:
    result = redact("Jayden Okafor 14/03/2015 SW2 5SG 07700 900123")
    for original in ("Jayden", "Okafor", "14/03/2015", "SW2", "5SG", "07700", "900123"):
        assert original not in result.text


@pytest.mark.parametrize(
    "text",
    [
        "Ofsted said the partnership was good",
        "what does Working Together 2023 say about the LADO",
        "call 0207 926 3100 for the IRH",
        "Lambeth said the threshold guide changed",
        "What is the Early Help Assessment",
        "She told me she has been cutting herself",
        "Kaimynas muša vaiką kieme",
        "who is Siobhan Burns",
        "radicalisation and islam",
    ],
)
def test_service_names_public_numbers_and_documents_are_left_alone(text: str) -> None:
    assert redact(text).text == text


def test_personal_data_in_history_is_detected_and_reported() -> None:
    history = [
        Turn(role="user", content="Kacper Wiśniewski has bruises, DOB 03/04/2015"),
        Turn(role="assistant", content="Here is the guidance."),
    ]
    result = triage("what should I do next", history)
    assert result.redactions == {}
    assert result.history_redactions == {"name": 1, "date_of_birth": 1}
    assert all("Wiśniewski" not in t.content for t in result.history)
