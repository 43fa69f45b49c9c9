"""Signed conversation state and single-use pending questions."""

from __future__ import annotations

import time

from assistant.server.conversation import (
    MAX_EXCHANGES,
    ConversationCodec,
    PendingQuestion,
    PendingQuestions,
    history_from,
)
from assistant.types import Answer


def _answer(i: int) -> Answer:
    return Answer(
        answer=f"a{i}", citations=[], notices=[], refused=False, answer_id=str(i), question=f"q{i}"
    )


def test_round_trip_and_tamper_resistance() -> None:
    codec = ConversationCodec("k")
    token = codec.encode([_answer(1), _answer(2)])
    assert [a.answer_id for a in codec.decode(token)] == ["1", "2"]
    assert codec.decode(token[:-2] + "xx") == []
    assert ConversationCodec("other").decode(token) == []
    assert codec.decode(None) == [] and codec.decode("") == []


def test_only_recent_exchanges_are_kept() -> None:
    codec = ConversationCodec("k")
    answers = codec.decode(codec.encode([_answer(i) for i in range(MAX_EXCHANGES + 3)]))
    assert len(answers) == MAX_EXCHANGES and answers[-1].answer_id == str(MAX_EXCHANGES + 2)


def test_history_uses_the_searched_question_and_answer() -> None:
    turns = history_from([_answer(1)])
    assert [(t.role, t.content) for t in turns] == [("user", "q1"), ("assistant", "a1")]


def test_pending_questions_are_single_use_and_expire() -> None:
    store = PendingQuestions(ttl_s=0.05)
    token = store.put(PendingQuestion("q", "lambeth", []))
    assert store.take(token) is not None
    assert store.take(token) is None
    token = store.put(PendingQuestion("q", "lambeth", []))
    time.sleep(0.1)
    assert store.take(token) is None and len(store) == 0
