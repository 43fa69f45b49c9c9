"""The no-JavaScript conversation, kept in an encrypted cookie between post and redirect.

Without JavaScript the chat form posts, the server answers, and then redirects (303) to
``GET /``, which renders the conversation again from this cookie: Back and reload never
resubmit the form, and Back from a cited document returns to the conversation.

The cookie holds only what the page already shows: the answers, whose questions are the
redacted ones (``Answer.redactions`` is never serialised). It is

- **encrypted and authenticated** (Fernet, key derived from ``ASSISTANT_SECRET_KEY`` for
  this purpose only): cookies end up in proxy debug logs and browser profiles;
- **short-lived**: refused ``COOKIE_TTL_S`` seconds after it was written;
- **size-capped**: at most ``MAX_COOKIE_CHARS`` characters, split over up to
  ``MAX_CHUNKS`` cookies of ``CHUNK_CHARS`` (browsers keep 4 KiB per cookie; the
  deployment's nginx accepts 16 KiB header lines); the oldest answers drop out to fit,
  and an answer too long to fit on its own is not kept (the page is then rendered in
  answer to the post, as before);
- **HttpOnly, SameSite=Lax** (``Secure`` with ``ASSISTANT_HTTPS_ONLY``, added by the
  security middleware), and cleared by "New conversation".
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Mapping

from cryptography.fernet import Fernet, InvalidToken
from fastapi import Response
from pydantic import TypeAdapter, ValidationError

from assistant.server.conversation import MAX_EXCHANGES
from assistant.server.stream_tokens import fernet_key
from assistant.types import Answer

COOKIE_NAME = "assistant_conversation"
"""Chunk ``i`` is the cookie ``assistant_conversation_<i>``."""
COOKIE_TTL_S = 2 * 3600
CHUNK_CHARS = 3800
MAX_CHUNKS = 3
MAX_COOKIE_CHARS = CHUNK_CHARS * MAX_CHUNKS

_ANSWERS = TypeAdapter(list[Answer])


class ConversationCookie:
    """Seals and opens the conversation cookie."""

    def __init__(
        self,
        secret_key: str,
        *,
        ttl_s: int = COOKIE_TTL_S,
        max_chars: int = MAX_COOKIE_CHARS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fernet = Fernet(fernet_key(secret_key, b"assistant conversation cookie"))
        self.ttl_s = ttl_s
        self._max_chars = max_chars
        self._clock = clock

    def seal(self, answers: list[Answer]) -> str | None:
        """The cookie value for the most recent ``answers`` that fit; ``None`` when not
        even the last one fits."""
        kept = answers[-MAX_EXCHANGES:]
        while kept:
            payload = zlib.compress(_ANSWERS.dump_json(kept), 9)
            value = self._fernet.encrypt_at_time(payload, int(self._clock())).decode("ascii")
            if len(value) <= self._max_chars:
                return value
            kept = kept[1:]  # the oldest answer goes first
        return None

    def write(self, response: Response, answers: list[Answer]) -> bool:
        """Set the cookie for ``answers`` on ``response``; False if nothing fits."""
        sealed = self.seal(answers)
        if sealed is None:
            return False
        chunks = [sealed[i : i + CHUNK_CHARS] for i in range(0, len(sealed), CHUNK_CHARS)]
        for i in range(MAX_CHUNKS):
            if i >= len(chunks):
                _forget(response, i)
                continue
            response.set_cookie(
                _name(i), chunks[i], max_age=self.ttl_s, httponly=True, samesite="lax", path="/"
            )
        return True

    def read(self, cookies: Mapping[str, str]) -> list[Answer]:
        """The answers in the request's cookies."""
        return self.open("".join(cookies.get(_name(i), "") for i in range(MAX_CHUNKS)))

    @staticmethod
    def clear(response: Response) -> None:
        """Delete every chunk ("New conversation")."""
        for i in range(MAX_CHUNKS):
            _forget(response, i)

    def open(self, value: str | None) -> list[Answer]:
        """The answers in ``value``; none if it is missing, forged, damaged or expired."""
        if not value:
            return []
        try:
            raw = self._fernet.decrypt_at_time(
                value.encode("ascii"), ttl=self.ttl_s, current_time=int(self._clock())
            )
            return _ANSWERS.validate_json(zlib.decompress(raw))[-MAX_EXCHANGES:]
        except (InvalidToken, UnicodeError, zlib.error, ValidationError, ValueError):
            return []


def _name(chunk: int) -> str:
    return f"{COOKIE_NAME}_{chunk}"


def _forget(response: Response, chunk: int) -> None:
    response.delete_cookie(_name(chunk), path="/", httponly=True, samesite="lax")
