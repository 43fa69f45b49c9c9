"""Fixed notice texts: order, routes from the register only, and no verdicts."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from assistant.notices import (
    DECISION_REMINDER,
    build_notices,
    not_covered_notice,
    out_of_date_notice,
)
from assistant.triage import TriageResult, triage
from assistant.types import Turn


@dataclass(frozen=True)
class FakeContact:
    name: str
    phone: str | None
    url: str | None = None
    purpose: str = ""


class FakeRegister:
    def __init__(self, **contacts: FakeContact) -> None:
        self._contacts = {k.replace("_", "-"): v for k, v in contacts.items()}

    def get(self, contact_id: str) -> FakeContact | None:
        return self._contacts.get(contact_id)


REGISTER = FakeRegister(
    lambeth_irh=FakeContact("Lambeth Integrated Referral Hub (IRH)", "020 7926 3100"),
    lambeth_irh_out_of_hours=FakeContact("Out-of-hours team", "020 7926 9999"),
    childline=FakeContact("Childline", "0800 1111"),
)
EMPTY = FakeRegister()
PHONE = re.compile(r"\d[\d ]{6,}\d")


def test_emergency_notice_starts_with_999_then_the_registered_local_routes() -> None:
    notices = build_notices(triage("kid not breathing pls help"), REGISTER)
    assert notices[0].kind == "emergency"
    assert notices[0].text.startswith("If a child is in immediate danger, call 999 now.")
    assert "020 7926 3100" in notices[0].text
    assert "020 7926 9999" in notices[0].text


def test_missing_register_entries_are_left_out_and_no_number_is_invented() -> None:
    notices = build_notices(
        triage("child not breathing, is this level 4? she told me dad hits her"), EMPTY
    )
    text = " ".join(n.text for n in notices)
    assert "999" in notices[0].text
    assert PHONE.findall(text) == []


def test_notices_come_in_the_fixed_order() -> None:
    result = TriageResult(
        question="q",
        emergency=True,
        disclosure=True,
        decision=True,
        injection=True,
        out_of_scope=True,
        redactions={"name": 1},
    )
    kinds = [n.kind for n in build_notices(result, REGISTER)]
    assert kinds == ["emergency", "disclosure", "decision", "personal_data", "injection", "scope"]


def test_no_notices_for_an_ordinary_question() -> None:
    assert build_notices(triage("What is the role of the LADO?"), REGISTER) == []


def test_decision_notice_hands_the_decision_back_with_the_consultation_line() -> None:
    (notice,) = build_notices(triage("is this level 3?"), REGISTER)
    assert notice.kind == "decision"
    assert "cannot decide" in notice.text
    assert "DSL" in notice.text and "manager" in notice.text
    assert "020 7926 3100" in notice.text


def test_disclosure_notice_says_speak_to_the_dsl_today() -> None:
    (notice,) = build_notices(triage("A Year 5 pupil just told me her uncle touches her"), REGISTER)
    assert notice.kind == "disclosure"
    assert "today" in notice.text and "do not wait" in notice.text
    assert "020 7926 3100" in notice.text


def test_personal_data_notice_names_the_kinds_removed() -> None:
    notices = build_notices(triage("Jayden Smith, DOB 03/04/2015: what is early help?"), REGISTER)
    (notice,) = [n for n in notices if n.kind == "personal_data"]
    assert "names and dates of birth" in notice.text
    assert "without names or other identifying details" in notice.text
    assert "Jayden" not in notice.text


def test_child_gets_child_help_not_practitioner_routes() -> None:
    notices = build_notices(triage("im 13 and my stepdad hits me when mum is out"), REGISTER)
    assert notices[0].kind == "emergency"
    assert "999" in notices[0].text and "0800 1111" in notices[0].text
    assert all(n.kind not in ("disclosure", "decision") for n in notices)


def test_request_to_act_says_the_tool_cannot_contact_anyone() -> None:
    (notice,) = build_notices(triage("Please tell the MASH about this for me"), REGISTER)
    assert "cannot contact anyone" in notice.text
    assert "no one monitors" in notice.text


def test_practitioner_in_crisis_gets_support_routes_first() -> None:
    notices = build_notices(triage("I can't cope with this case any more"), REGISTER)
    assert notices[0].kind == "emergency"
    assert "talk to someone today" in notices[0].text


@pytest.mark.parametrize("verdict", ["level 3 applies", "no need to refer", "meets the threshold"])
def test_no_notice_text_contains_a_verdict(verdict: str) -> None:
    result = TriageResult(
        question="q",
        emergency=True,
        disclosure=True,
        decision=True,
        injection=True,
        out_of_scope=True,
        risk_score_request=True,
        writes_case_notes=True,
        asks_to_act=True,
        child_or_parent=True,
        practitioner_crisis=True,
        redactions={"name": 1},
    )
    texts = [n.text.lower() for n in build_notices(result, REGISTER)]
    texts.append(DECISION_REMINDER.lower())
    assert all(verdict not in t for t in texts)


def test_decision_reminder_is_the_fixed_footer() -> None:
    assert DECISION_REMINDER.startswith("This assistant gives information from the named documents")
    assert "not decisions" in DECISION_REMINDER


def test_not_covered_for_another_borough_names_it_and_gives_no_numbers() -> None:
    notice = not_covered_notice("southwark", REGISTER)
    assert notice.kind == "not_covered"
    assert notice.text.startswith("The documents in this assistant do not cover this")
    assert "Southwark" in notice.text
    assert PHONE.findall(notice.text) == []


def test_not_covered_at_home_points_to_the_dsl_and_consultation_line() -> None:
    notice = not_covered_notice("lambeth", REGISTER)
    assert "DSL" in notice.text and "020 7926 3100" in notice.text


def test_out_of_date_notice_names_the_sources() -> None:
    @dataclass
    class Cited:
        title: str

    notice = out_of_date_notice([Cited("Annual Report 2016-17"), Cited("Annual Report 2016-17")])
    assert notice.kind == "out_of_date"
    assert notice.text.count("Annual Report 2016-17") == 1


def test_a_message_in_another_language_gets_999_first_and_the_english_only_line() -> None:
    from assistant.notices import ENGLISH_ONLY_TEXT
    from assistant.triage import triage

    result = triage("dziecko nie oddycha, pomocy")
    assert result.emergency and not result.english and result.language == "pl"
    notices = build_notices(result, contacts=None)
    assert notices[0].kind == "emergency"
    assert notices[0].text.startswith("If a child is in immediate danger, call 999 now.")
    assert ENGLISH_ONLY_TEXT in notices[0].text


def test_personal_data_in_the_history_sent_gets_its_own_notice() -> None:
    history = [Turn(role="user", content="Siobhan Murphy, 07700 900123, told me about dad")]
    notices = build_notices(triage("what happens next", history), REGISTER)
    (notice,) = [n for n in notices if n.kind == "personal_data"]
    assert "earlier conversation" in notice.text
    assert "names" in notice.text and "phone numbers" in notice.text
    fresh = build_notices(triage("Siobhan told me", history), REGISTER)
    (mine,) = [n for n in fresh if n.kind == "personal_data"]
    assert "from your message" in mine.text  # the new message is reported first
