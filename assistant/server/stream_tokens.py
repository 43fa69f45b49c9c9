"""Stream tokens: the chat's pending question carried by the browser, not kept by a worker.

The htmx POST triages the question and answers with a fragment whose EventSource GET
(``/chat/stream/<token>``) streams the answer. Any worker may get that GET, so the token
holds everything the answer needs: the prepared (triaged, redacted) question, the
partnership and the trimmed follow-up history. It is

- **encrypted and authenticated** (Fernet: AES-128-CBC with HMAC-SHA256, key derived
  from ``ASSISTANT_SECRET_KEY``): the token is in a URL, and URLs are written to access
  logs and proxy logs; a signed-only token would put the question in every log line;
- **short-lived**: refused ``TOKEN_TTL_S`` seconds after the POST;
- **bound to the browser session** that asked (a digest of its CSRF nonce): a token
  copied into another browser is refused;
- **small**: only redacted text, compressed, at most ``MAX_TOKEN_CHARS`` characters
  (older history turns are dropped to fit, never the question).

Single use is per worker: each worker remembers the tokens it has streamed until they
expire (``RedeemedTokens``) and refuses a second use. With N workers the session that
asked could, within the minute, replay its own token once on each other worker; it would
get its own answer again, and nobody else can use the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
import zlib
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken
from pydantic import BaseModel, ValidationError

from assistant.prepared import PreparedQuestion

TOKEN_TTL_S = 60
MAX_TOKEN_CHARS = 8000
"""Comfortably inside URL limits (uvicorn reads at most 16 KiB of request line and headers)."""


class StreamTicket(BaseModel):
    """What a stream token carries."""

    prepared: PreparedQuestion
    owner: str
    """Digest of the asking session's CSRF nonce."""


class TokenRefused(LookupError):
    """The token is forged, damaged or expired."""


class NotYourToken(LookupError):
    """The token is valid but was issued to another browser session."""


def fernet_key(secret_key: str, purpose: bytes = b"assistant stream tokens") -> bytes:
    """A Fernet key derived from ``ASSISTANT_SECRET_KEY``, one per ``purpose``."""
    digest = hmac.new(secret_key.encode(), purpose, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)


class StreamTokenCodec:
    """Issues and opens stream tokens."""

    def __init__(
        self,
        secret_key: str,
        ttl_s: int = TOKEN_TTL_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fernet = Fernet(fernet_key(secret_key))
        self._secret = secret_key.encode()
        self._ttl_s = ttl_s
        self._clock = clock

    def owner_digest(self, nonce: str) -> str:
        return hmac.new(self._secret, b"owner:" + nonce.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, prepared: PreparedQuestion, owner_nonce: str) -> str:
        """A token for ``prepared``, redeemable by the session with ``owner_nonce``."""
        ticket = StreamTicket(prepared=prepared, owner=self.owner_digest(owner_nonce))
        token = self._seal(ticket)
        history = list(prepared.checked.history)
        while len(token) > MAX_TOKEN_CHARS and history:
            history = history[1:]  # the oldest turn goes first
            checked = prepared.checked.model_copy(update={"history": history})
            ticket = ticket.model_copy(
                update={"prepared": prepared.model_copy(update={"checked": checked})}
            )
            token = self._seal(ticket)
        return token

    def open(self, token: str, owner_nonce: str) -> PreparedQuestion:
        """The prepared question in ``token``; ``TokenRefused`` if forged, damaged or
        expired, ``NotYourToken`` if another session was given it."""
        try:
            raw = self._fernet.decrypt_at_time(
                token.encode("ascii"), ttl=self._ttl_s, current_time=int(self._clock())
            )
            ticket = StreamTicket.model_validate_json(zlib.decompress(raw))
        except (InvalidToken, UnicodeError, zlib.error, ValidationError, ValueError) as error:
            raise TokenRefused("stream token refused") from error
        if not hmac.compare_digest(ticket.owner, self.owner_digest(owner_nonce)):
            raise NotYourToken("stream token of another session")
        return ticket.prepared

    def _seal(self, ticket: StreamTicket) -> str:
        payload = zlib.compress(ticket.model_dump_json().encode(), 9)
        return self._fernet.encrypt_at_time(payload, int(self._clock())).decode("ascii")


class RedeemedTokens:
    """The tokens this worker has streamed, remembered until they would expire anyway."""

    def __init__(self, ttl_s: float = TOKEN_TTL_S, max_items: int = 10_000) -> None:
        self._ttl_s = ttl_s
        self._max_items = max_items
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, token: str) -> bool:
        """True the first time ``token`` is seen here; False for a replay."""
        key = hashlib.sha256(token.encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            while self._seen:  # oldest first (insertion order)
                oldest = next(iter(self._seen))
                if now - self._seen[oldest] <= self._ttl_s:
                    break
                del self._seen[oldest]
            if key in self._seen:
                return False
            if len(self._seen) >= self._max_items:  # the oldest is forgotten first
                del self._seen[next(iter(self._seen))]
            self._seen[key] = now
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)
