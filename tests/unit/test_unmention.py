"""Use and mention (assistant/triage/text.py ``unmention``): a word the message only asks
the meaning of is not read as danger, and the rest of the message still is."""

from __future__ import annotations

import pytest

from assistant.triage.text import unmention


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "what does kms mean in a text? a parent asked me",
            "what does this word mean in a text? a parent asked me",
        ),
        (
            "what does 'unalive' mean, the kids keep saying it",
            "what does this word mean, the kids keep saying it",
        ),
        ("whats 'kms'", "whats this word"),
        ('meaning of "sh" in a text', "meaning of this word in a text"),
        ("what do they mean by 'unalive'", "what do they mean by this word"),
        ("What does LADO stand for", "What does this word stand for"),
    ],
)
def test_a_word_asked_about_is_set_aside(text: str, expected: str) -> None:
    assert unmention(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what does it mean if a baby is not breathing",
        "what does he mean hes going to kill her tonight",
        'she said "i will kill myself" what do i do',
        "what is a section 47",
        "whats kms",  # unquoted and no "mean": could be anything, so left as typed
        "what does the man who has a knife outside the school right now mean to do",
    ],
)
def test_a_word_that_is_used_is_left_alone(text: str) -> None:
    assert unmention(text) == text


def test_the_rest_of_the_message_is_still_read() -> None:
    text = "what does 'unalive' mean? my son just said he will do it tonight"
    assert unmention(text).endswith("my son just said he will do it tonight")
