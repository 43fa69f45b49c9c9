"""Conversation state kept in the page, not on the server.

A conversation is the list of answers so far. It travels in the form as one hidden
``conversation`` field per answer, each signed with the secret key so it cannot be forged,
holding only what the answer already shows: the question as searched (personal data
already replaced by placeholders), the answer and its citations. Nothing is written to
disk (PD-03), and the no-JavaScript page can re-render the whole conversation with its
citations.

One field per answer lets a streamed answer join the conversation on its own: the done
fragment appends the new answer's field out of band, so no worker needs the earlier ones.
The question waiting for its stream travels in the stream token
(``assistant/server/stream_tokens.py``), so any worker can serve any request.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import ValidationError

from assistant.conversation import recent_history
from assistant.types import Answer, Turn

MAX_EXCHANGES = 8
"""Older answers drop out of the page state (and out of the follow-up history)."""

ANSWER_TURN_CHARS = 400
"""An earlier answer is read for a follow-up only this far: the LLM composer shows the
model 400 characters of each (``compose/llm.py``), the extractive one reads only the
questions. Kept short so the stream token stays small."""


class ConversationCodec:
    """Signs and reads the hidden ``conversation`` fields (one per answer)."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt="conversation-answer")

    def encode_one(self, answer: Answer) -> str:
        return self._serializer.dumps(answer.model_dump(mode="json"))

    def encode(self, answers: list[Answer]) -> list[str]:
        return [self.encode_one(answer) for answer in answers[-MAX_EXCHANGES:]]

    def decode(self, values: list[str] | None) -> list[Answer]:
        """The most recent answers in ``values``; a forged or stale field is left out."""
        answers: list[Answer] = []
        for value in (values or [])[-MAX_EXCHANGES:]:
            if not value:
                continue
            try:
                answers.append(Answer.model_validate(self._serializer.loads(value)))
            except (BadSignature, ValidationError, ValueError, TypeError):
                continue
        return answers


def history_from(answers: list[Answer]) -> list[Turn]:
    """Turns for a follow-up question: the searched (redacted) question and the answer
    text, cut to ``ANSWER_TURN_CHARS``."""
    turns: list[Turn] = []
    for answer in answers:
        if answer.question:
            turns.append(Turn(role="user", content=answer.question))
        turns.append(Turn(role="assistant", content=_shortened(answer.answer)))
    return recent_history(turns)


def _shortened(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= ANSWER_TURN_CHARS else flat[:ANSWER_TURN_CHARS] + "…"
