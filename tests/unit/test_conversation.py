"""Follow-ups are made standalone from the conversation; standalone questions pass through."""

from __future__ import annotations

import pytest

from assistant.conversation import is_follow_up, standalone_question
from assistant.types import Turn


def _user(text: str) -> Turn:
    return Turn(role="user", content=text)


BOARD = [_user("what does the LSCP executive board do"), Turn(role="assistant", content="From…")]
CSE = [_user("what did the annual report say about CSE"), Turn(role="assistant", content="From…")]


def test_pronoun_follow_up_carries_the_subject() -> None:
    question = standalone_question("and who ratifies its decisions?", BOARD)
    assert "LSCP executive board" in question
    assert "ratifies" in question and "decisions" in question
    assert not question.lower().startswith("and")


def test_borough_only_follow_up_reasks_previous_question_there() -> None:
    question = standalone_question("what about in Lewisham?", CSE)
    assert question == "what did the annual report say about CSE in Lewisham?"


def test_borough_switch_replaces_the_old_borough() -> None:
    history = [_user("how are schools involved in the arrangements in Lambeth?")]
    question = standalone_question("and Lewisham?", history)
    assert "Lewisham" in question and "Lambeth" not in question and "schools" in question


def test_year_only_follow_up() -> None:
    assert standalone_question("and in 2020-21?", CSE).endswith("CSE in 2020-21?")


def test_what_about_new_topic_swaps_the_topic() -> None:
    assert standalone_question("what about neglect?", CSE) == (
        "what did the annual report say about neglect?"
    )


def test_subject_carried_across_several_follow_ups() -> None:
    history = [*BOARD, _user("and who ratifies its decisions?")]
    question = standalone_question("what about in Lewisham?", history)
    assert "LSCP executive board" in question and "Lewisham" in question


@pytest.mark.parametrize(
    "question",
    [
        "who chairs the LSCP?",
        "what should I do if a child tells me they are being abused?",
        "How do I escalate a disagreement with children's social care?",
    ],
)
def test_standalone_questions_pass_through_unchanged(question: str) -> None:
    assert not is_follow_up(question, BOARD)
    assert standalone_question(question, BOARD) == question


def test_no_history_means_no_rewrite() -> None:
    assert standalone_question("and who ratifies its decisions?", []) == (
        "and who ratifies its decisions?"
    )
