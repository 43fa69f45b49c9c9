"""Follow-ups are made standalone from the conversation; standalone questions pass through."""

from __future__ import annotations

import pytest

from assistant.conversation import is_follow_up, key_question, standalone_question
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


def test_a_follow_up_is_searched_joined_to_the_question_it_follows() -> None:
    history = [
        _user("how long do we have to resolve a disagreement by discussion?"),
        Turn(role="assistant", content="One working week."),
    ]
    assert standalone_question("and who takes it up after that?", history) == (
        "who takes it up after that? how long do we have to resolve a disagreement by discussion?"
    )


def test_a_long_earlier_account_is_joined_by_its_question() -> None:
    history = [_user(LONG_ACCOUNT), Turn(role="assistant", content="…")]
    assert standalone_question("and if she asks again?", history) == (
        "if she asks again? what are the timescales i can tell her?"
    )


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


# --- the question a long account of a case ends with -------------------------------------

LONG_ACCOUNT = (
    "hi im the dsl at a primary, we sent a MARF on monday about a boy who keeps coming in "
    "with bruises he cant explain. mum has found out and keeps ringing the office asking "
    "what happens now. i dont want to say the wrong thing. what are the timescales i can "
    "tell her"
)


def test_a_long_account_is_searched_by_the_question_it_ends_with() -> None:
    assert key_question(LONG_ACCOUNT) == "what are the timescales i can tell her"


def test_a_question_that_names_nothing_takes_the_sentence_before_it() -> None:
    text = (
        "one of my year 5s told me today that mum has gone abroad for a couple of months and "
        "she is staying with a family friend from church. she seems fine and is coming in "
        "clean and fed. do i need to do anything"
    )
    assert key_question(text) == (
        "she seems fine and is coming in clean and fed. do i need to do anything"
    )


def test_a_question_mark_marks_the_question_wherever_it_is() -> None:
    text = (
        "Is the private fostering notice period the same in every borough? I ask because a "
        "carer I work with has moved from Lewisham to Lambeth and says the council there "
        "told her something different from what I read"
    )
    assert key_question(text).startswith("Is the private fostering notice period")


def test_short_messages_and_accounts_that_ask_nothing_are_searched_whole() -> None:
    short = "we sent a MARF on monday. what happens now"
    assert key_question(short) == short
    account = LONG_ACCOUNT.rsplit(". what", 1)[0] + ". i will wait for the call back."
    assert key_question(account) == account
