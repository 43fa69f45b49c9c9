"""One request cannot make the server do unbounded work (issue #12, item 1).

Regression tests for the probe's findings: a 2 MB history froze the server (a ``.*`` join
matched in quadratic time); request bodies had no limit in the app.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.conversation import (
    MAX_HISTORY_CHARS,
    MAX_HISTORY_TURNS,
    check_history,
    recent_history,
    standalone_question,
)
from assistant.errors import HistoryError
from assistant.guidance_answers import guidance_kind, is_threshold_question
from assistant.server.app import create_app
from assistant.server.conversation import ANSWER_TURN_CHARS, history_from
from assistant.settings import Settings
from assistant.triage import triage
from assistant.types import Answer, Turn
from tests.fakes import FakeAssistant


def _turns(n: int, size: int) -> list[dict[str, str]]:
    return [
        {"role": "user" if i % 2 == 0 else "assistant", "content": "x" * size} for i in range(n)
    ]


def test_the_probes_two_megabyte_history_gets_422_at_once(client: TestClient) -> None:
    history = [{"role": "user", "content": "early help " * 200_000}]  # 2.2 MB
    started = time.perf_counter()
    response = client.post("/api/ask", json={"question": "and then?", "history": history})
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert "20,000 characters" in response.json()["detail"]
    assert elapsed < 1.0


@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream"])
def test_more_than_twenty_turns_is_refused_with_a_plain_message(
    client: TestClient, route: str
) -> None:
    response = client.post(route, json={"question": "and?", "history": _turns(21, 10)})
    assert response.status_code == 422
    assert "at most 20 turns" in response.json()["detail"]


def test_twenty_turns_within_the_budget_are_answered(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "and?", "history": _turns(20, 900)})
    assert response.status_code == 200


def test_a_body_over_the_limit_gets_413_before_it_is_read(tmp_path: Path) -> None:
    fake = FakeAssistant(Settings(data_dir=tmp_path, secret_key="unit-test", max_body_bytes=2000))
    fake.load()
    with TestClient(create_app(fake.settings, assistant=fake)) as client:
        response = client.post(
            "/api/ask", json={"question": "referral", "history": _turns(2, 1500)}
        )
        assert response.status_code == 413
        assert "too large" in response.json()["detail"]
        page = client.post("/", data={"question": "x" * 3000})
        assert page.status_code == 413
        assert "text/html" in page.headers["content-type"]
        small = client.post("/api/ask", json={"question": "How do I make a referral?"})
        assert small.status_code == 200


def test_the_core_refuses_an_oversized_history_whatever_the_interface() -> None:
    with pytest.raises(HistoryError, match="at most 20 turns"):
        check_history([Turn(role="user", content="a")] * (MAX_HISTORY_TURNS + 1))
    with pytest.raises(HistoryError, match="20,000 characters"):
        check_history([Turn(role="user", content="a" * (MAX_HISTORY_CHARS + 1))])


def test_history_the_server_keeps_itself_is_trimmed_to_the_most_recent_turns() -> None:
    answers = [
        Answer(
            answer_id=f"{i:032x}",
            question=f"question {i}",
            answer="y" * 4000,
            citations=[],
            notices=[],
            refused=False,
        )
        for i in range(8)
    ]
    turns = history_from(answers)
    assert sum(len(t.content) for t in turns) <= MAX_HISTORY_CHARS
    # An earlier answer is kept only as far as a follow-up reads it, so every exchange fits.
    assert len(turns) == 16 and turns[-1].content == "y" * ANSWER_TURN_CHARS + "…"
    assert check_history(turns) == turns
    assert recent_history([Turn(role="user", content="z" * 30_000)]) == []


# ---- linear time on adversarial text ----------------------------------------------------

_PIECES = st.sampled_from(
    [
        "early help ",
        "levels ",
        "a",
        " ",
        "  ",
        "and ",
        "what about ",
        "is ",
        "going to ",
        "1",
        "07",
        "-",
        "'",
        ".",
        "@",
        "Kacper ",
        "SW2 ",
        "now ",
        "help",
        "\n",
        "é",
    ]
)


def _text(pieces: list[str], size: int) -> str:
    text = "".join(pieces) or "a"
    return (text * (size // len(text) + 1))[:size]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=6))
def test_question_understanding_takes_linear_time_on_2000_characters(pieces: list[str]) -> None:
    text = _text(pieces, 2000)
    history = [Turn(role="user", content=_text(pieces, 2000))] * 10  # 20,000 characters
    guidance_kind("warm up")  # word lists load on first use
    started = time.perf_counter()
    guidance_kind(text)
    is_threshold_question(text)
    standalone_question(text, history)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.2f}s on {text[:60]!r}"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=6))
def test_triage_takes_linear_time_on_2000_characters(pieces: list[str]) -> None:
    text = _text(pieces, 2000)
    history = [Turn(role="user", content=_text(pieces, 1900))] * 10
    triage("warm up", [], default_partnership="lambeth")  # word lists load on first use
    started = time.perf_counter()
    triage(text, history, default_partnership="lambeth", known_partnerships=["lambeth"])
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f}s on {text[:60]!r}"


def test_a_repeated_early_help_comparison_is_linear_not_quadratic() -> None:
    """The probe's regex: ``early help .* vs`` over many repeats of "early help"."""
    short, long = "early help " * 500, "early help " * 2000
    started = time.perf_counter()
    is_threshold_question(short)
    first = time.perf_counter() - started
    started = time.perf_counter()
    is_threshold_question(long)
    second = time.perf_counter() - started
    assert second < max(first * 12, 0.05)
    assert is_threshold_question("early help or social care for this family")


def test_a_chunked_body_over_the_limit_is_cut_off_with_413(tmp_path: Path) -> None:
    fake = FakeAssistant(Settings(data_dir=tmp_path, secret_key="unit-test", max_body_bytes=2000))
    fake.load()

    def chunks() -> Iterator[bytes]:
        yield b'{"question": "referral", "history": [{"role": "user", "content": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}]}'

    with TestClient(create_app(fake.settings, assistant=fake)) as client:
        response = client.post(
            "/api/ask", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
