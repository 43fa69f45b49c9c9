"""What a question asks for by its form, and which document kinds answer it best."""

from __future__ import annotations

import pytest

from assistant.question_intent import question_intents
from assistant.triage.text import normalise


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("which briefings do you have", "library"),
        ("how many CSPRs were there in 2023", "statistic"),
        ("who do i ring if im worried about a child out of hours", "contact"),
        ("what happens after i make a referral", "process"),
        ("how long does a s47 take", "process"),
        ("im worried about a kid in my class what do i do", "route"),
        ("whats private fostering", "definition"),
        ("what does MACE stand for", "definition"),
        ("the LSCP executive membership", "general"),
    ],
)
def test_intent_by_form(question: str, intent: str) -> None:
    assert question_intents().of(normalise(question)) == intent


def test_figures_prefer_reports_and_practice_questions_are_neutral() -> None:
    intents = question_intents()
    assert intents.prior("route", "annual-report") == 1.0
    assert intents.prior("route", "procedure") == 1.0
    assert intents.prior("statistic", "annual-report") > 1.0
