"""Signed conversation state: one field per answer, forged fields left out."""

from __future__ import annotations

from assistant.server.conversation import (
    ANSWER_TURN_CHARS,
    MAX_EXCHANGES,
    ConversationCodec,
    history_from,
)
from assistant.types import Answer


def _answer(i: int, text: str | None = None) -> Answer:
    return Answer(
        answer=text or f"a{i}",
        citations=[],
        notices=[],
        refused=False,
        answer_id=str(i),
        question=f"q{i}",
    )


def test_round_trip_and_tamper_resistance() -> None:
    codec = ConversationCodec("k")
    fields = codec.encode([_answer(1), _answer(2)])
    assert [a.answer_id for a in codec.decode(fields)] == ["1", "2"]
    assert [a.answer_id for a in codec.decode([fields[0][:-2] + "xx", fields[1]])] == ["2"]
    assert ConversationCodec("other").decode(fields) == []
    assert codec.decode(None) == [] and codec.decode([""]) == []


def test_a_streamed_answer_joins_the_conversation_on_its_own() -> None:
    codec = ConversationCodec("k")
    fields = [*codec.encode([_answer(1)]), codec.encode_one(_answer(2))]
    assert [a.answer_id for a in codec.decode(fields)] == ["1", "2"]


def test_only_recent_exchanges_are_kept() -> None:
    codec = ConversationCodec("k")
    fields = codec.encode([_answer(i) for i in range(MAX_EXCHANGES + 3)])
    assert len(fields) == MAX_EXCHANGES
    fields += [codec.encode_one(_answer(99))]
    answers = codec.decode(fields)
    assert len(answers) == MAX_EXCHANGES and answers[-1].answer_id == "99"


def test_history_uses_the_searched_question_and_answer() -> None:
    turns = history_from([_answer(1)])
    assert [(t.role, t.content) for t in turns] == [("user", "q1"), ("assistant", "a1")]


def test_history_keeps_only_the_start_of_a_long_answer() -> None:
    long = "The partnership's documents say:\n\n" + "word " * 500
    turns = history_from([_answer(1, long)])
    assert turns[0].content == "q1"
    assert len(turns[1].content) == ANSWER_TURN_CHARS + 1 and turns[1].content.endswith("…")
