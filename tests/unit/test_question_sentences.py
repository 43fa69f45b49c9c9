"""Which sentences of a message ask something (triage/text.py)."""

from __future__ import annotations

import pytest

from assistant.triage.text import asks_question, is_question, sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "whose privacy comes first, the parents or the childs",
        "do i need to do anything about this",
        "whats the process for making a referral here",
        "so what happens now",
        "not sure if this is early help or social care",
        "Is that a concern?",
        "wen do they have to hold a strat meeting",
    ],
)
def test_questions_as_practitioners_type_them(sentence: str) -> None:
    assert is_question(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "the friend picked her up and was lovely",
        "he is hitting her right now",
        "mum has found out and keeps ringing the office",
        "whatever happens I will call back tomorrow",
    ],
)
def test_statements_are_not_questions(sentence: str) -> None:
    assert not is_question(sentence)


def test_a_message_asks_if_any_sentence_or_clause_does() -> None:
    assert asks_question("she seems fine. the friend was lovely, do i need to tell anyone")
    assert not asks_question("there is a man with a knife outside the school gates")


def test_sentences_split_after_stops_and_line_breaks() -> None:
    assert sentences("one. two? three!\nfour") == ["one.", "two?", "three!", "four"]
