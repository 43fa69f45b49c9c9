"""Stream tokens: the pending question carried by the browser, so any worker can stream it."""

from __future__ import annotations

import base64
import random
import zlib

import pytest

from assistant.prepared import PreparedQuestion
from assistant.server.stream_tokens import (
    MAX_TOKEN_CHARS,
    TOKEN_TTL_S,
    NotYourToken,
    RedeemedTokens,
    StreamTokenCodec,
    TokenRefused,
)
from assistant.triage import TriageResult
from assistant.types import Turn


def _prepared(
    question: str = "how do I refer to the hub?", history: list[Turn] | None = None
) -> PreparedQuestion:
    checked = TriageResult(
        question=question, history=history or [], redactions={"name": 1}, emergency=True
    )
    return PreparedQuestion(checked=checked, scope="lambeth", triage_ms=12.5)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_round_trip_keeps_the_prepared_question() -> None:
    codec = StreamTokenCodec("secret")
    prepared = _prepared()
    assert codec.open(codec.issue(prepared, "nonce-a"), "nonce-a") == prepared


def test_the_token_does_not_show_the_question() -> None:
    codec = StreamTokenCodec("secret")
    token = codec.issue(_prepared("neglect referral hub question"), "nonce-a")
    raw = base64.urlsafe_b64decode(token + "==")
    assert b"neglect" not in raw
    with pytest.raises(zlib.error):
        zlib.decompress(raw[25:-32])  # encrypted, not merely compressed


def test_a_tampered_token_is_refused() -> None:
    codec = StreamTokenCodec("secret")
    token = codec.issue(_prepared(), "nonce-a")
    middle = len(token) // 2
    flipped = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    for bad in (flipped, token[:-4], "not-a-token", ""):
        with pytest.raises(TokenRefused):
            codec.open(bad, "nonce-a")
    with pytest.raises(TokenRefused):  # another deployment's key
        StreamTokenCodec("other-secret").open(token, "nonce-a")


def test_an_expired_token_is_refused() -> None:
    clock = Clock()
    codec = StreamTokenCodec("secret", clock=clock)
    token = codec.issue(_prepared(), "nonce-a")
    clock.now += TOKEN_TTL_S - 1
    assert codec.open(token, "nonce-a").scope == "lambeth"
    clock.now += 2
    with pytest.raises(TokenRefused):
        codec.open(token, "nonce-a")


def test_a_token_of_another_session_is_refused() -> None:
    codec = StreamTokenCodec("secret")
    token = codec.issue(_prepared(), "nonce-a")
    with pytest.raises(NotYourToken):
        codec.open(token, "nonce-b")
    with pytest.raises(NotYourToken):
        codec.open(token, "")


def test_a_long_conversation_keeps_the_token_small_and_the_newest_turns() -> None:
    codec = StreamTokenCodec("secret")
    history = []
    for i in range(8):  # incompressible text: the worst case for size
        history.append(Turn(role="user", content=f"turn {i} " + _noise(i, 1900)))
        history.append(Turn(role="assistant", content=_noise(100 + i, 400)))
    token = codec.issue(_prepared("and after that?", history), "nonce-a")
    assert len(token) <= MAX_TOKEN_CHARS
    opened = codec.open(token, "nonce-a").checked
    assert opened.question == "and after that?"
    assert opened.history and opened.history[-1] == history[-1]
    assert len(opened.history) < len(history)


def test_a_token_streams_once_per_worker() -> None:
    redeemed = RedeemedTokens(ttl_s=60)
    assert redeemed.first_use("t1") and redeemed.first_use("t2")
    assert not redeemed.first_use("t1")
    bounded = RedeemedTokens(max_items=2)
    assert bounded.first_use("a") and bounded.first_use("b") and bounded.first_use("c")
    assert len(bounded) == 2 and not bounded.first_use("c")


def _noise(seed: int, size: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(size))
