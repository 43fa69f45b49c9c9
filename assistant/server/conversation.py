"""Conversation state kept in the page, not on the server.

A conversation is the list of answers so far. It travels in a hidden form field, signed
with the secret key so it cannot be forged, and holds only what the answers already show:
questions as searched (personal data already replaced by placeholders), answers and
citations. Nothing is written to disk (PD-03), and the no-JavaScript page can re-render
the whole conversation with its citations.

Streaming needs one short-lived server-side item: the question between the htmx POST and
the EventSource GET that streams its answer. ``PendingQuestions`` keeps it in memory for
at most a minute and hands it out once, and only to the browser session that asked it
(the CSRF nonce cookie): a token copied into another browser is refused.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import TypeAdapter, ValidationError

from assistant.conversation import recent_history
from assistant.types import Answer, Turn

MAX_EXCHANGES = 8
"""Older answers drop out of the page state (and out of the follow-up history)."""

_ANSWERS = TypeAdapter(list[Answer])


class ConversationCodec:
    """Signs and reads the hidden ``conversation`` field."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt="conversation")

    def encode(self, answers: list[Answer]) -> str:
        kept = answers[-MAX_EXCHANGES:]
        return self._serializer.dumps(_ANSWERS.dump_python(kept, mode="json"))

    def decode(self, token: str | None) -> list[Answer]:
        """The answers in ``token``; an empty conversation if missing, forged or stale."""
        if not token:
            return []
        try:
            return _ANSWERS.validate_python(self._serializer.loads(token))
        except (BadSignature, ValidationError, ValueError, TypeError):
            return []


def history_from(answers: list[Answer]) -> list[Turn]:
    """Turns for a follow-up question: the searched (redacted) question and the answer text."""
    turns: list[Turn] = []
    for answer in answers:
        if answer.question:
            turns.append(Turn(role="user", content=answer.question))
        turns.append(Turn(role="assistant", content=answer.answer))
    return recent_history(turns)


@dataclass
class PendingQuestion:
    question: str
    partnership: str | None
    conversation: list[Answer]
    owner: str = ""
    """The browser session that asked (its CSRF nonce); only it may redeem the token."""
    created: float = field(default_factory=time.monotonic)


class NotYourQuestion(LookupError):
    """The token exists but belongs to another browser session."""


class PendingQuestions:
    """Questions waiting for their stream: single use, forgotten after ``ttl_s``."""

    def __init__(self, ttl_s: float = 60.0, max_items: int = 1000) -> None:
        self._ttl_s = ttl_s
        self._max_items = max_items
        self._items: dict[str, PendingQuestion] = {}
        self._lock = threading.Lock()

    def put(self, item: PendingQuestion) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._expire()
            if len(self._items) >= self._max_items:
                oldest = min(self._items, key=lambda k: self._items[k].created)
                del self._items[oldest]
            self._items[token] = item
        return token

    def take(self, token: str, owner: str | None = None) -> PendingQuestion | None:
        """The question for ``token`` (once), or None if unknown or expired.

        With ``owner``, a token another session created raises ``NotYourQuestion`` and
        stays redeemable by its owner."""
        with self._lock:
            self._expire()
            item = self._items.get(token)
            if item is None:
                return None
            if owner is not None and not secrets.compare_digest(item.owner, owner):
                raise NotYourQuestion(token)
            return self._items.pop(token)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, v in self._items.items() if now - v.created > self._ttl_s]:
            del self._items[key]
