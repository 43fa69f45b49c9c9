"""Operator controls over the real corpus and index: search-only mode and a topic switched
off change what practitioners get, and the danger routes stay as they are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.controls import OperatorControls
from assistant.pipeline import Assistant

pytestmark = pytest.mark.integration


@pytest.fixture
def controlled(assistant: Assistant) -> Iterator[Assistant]:
    yield assistant
    assistant.switchboard.change(OperatorControls())  # the shared assistant, back to normal


def _kinds(answer: object) -> list[str]:
    return [n.kind for n in answer.notices]  # type: ignore[attr-defined]


def test_search_only_gives_documents_not_an_answer(controlled: Assistant) -> None:
    controlled.switchboard.change(OperatorControls(search_only=True))
    answer = controlled.ask("what happens after I make a referral")
    assert answer.answer == "" and answer.citations == []
    assert answer.composer == "search-only" and answer.related
    assert "service" in _kinds(answer)
    danger = controlled.ask("a man is hitting a child in the street right now")
    assert _kinds(danger)[0] == "emergency"  # never switched off


def test_a_topic_switched_off_is_not_answered_or_quoted(controlled: Assistant) -> None:
    before = controlled.ask("how do I make a Prevent referral")
    assert any(c.doc_id == "practice-prevent" for c in before.citations)
    controlled.switchboard.change(OperatorControls(topics_off=("prevent",)))
    after = controlled.ask("how do I make a Prevent referral")
    assert after.refused and after.citations == []
    assert {"not_covered", "service"} <= set(_kinds(after))
    assert any("Prevent and radicalisation" in n.text for n in after.notices)
    other = controlled.ask("what is private fostering")
    assert other.citations and not other.refused  # other topics still answered
