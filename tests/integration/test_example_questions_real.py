"""Every example question on the chat page gets a cited answer from the real index, and none
alarms a first-time user with an emergency notice."""

from __future__ import annotations

import pytest

from assistant.pipeline import Assistant
from assistant.server.examples import EXAMPLES_NAME, ExampleQuestions
from tests.integration.conftest import REPO

pytestmark = pytest.mark.integration

EXAMPLES = ExampleQuestions.load(REPO / "corpus" / EXAMPLES_NAME).examples


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example_question_gets_a_cited_answer(assistant: Assistant, example) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(example.question, [], "lambeth")
    assert not answer.refused and answer.citations, answer.answer
    kinds = {notice.kind for notice in answer.notices}
    assert not kinds & {"emergency", "disclosure", "not_covered", "scope"}, kinds
