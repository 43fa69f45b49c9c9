"""The chat's streamed answers need no state in the worker (issue #13): the htmx POST and
the EventSource GET may land on different workers. Two apps built with the same secret
stand in for two workers here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server.app import create_app
from assistant.server.conversation import MAX_EXCHANGES, ConversationCodec
from assistant.settings import Settings
from assistant.types import Answer
from tests.fakes import FakeAssistant

HX = {"HX-Request": "true"}


class Workers:
    """Two app instances sharing one browser's cookies."""

    def __init__(self, first: TestClient, second: TestClient, fakes: list[FakeAssistant]):
        self.first, self.second, self.fakes = first, second, fakes

    def csrf(self) -> str:
        self.first.cookies.set("assistant_ack", "1")
        html = self.first.get("/").text
        for name, value in self.first.cookies.items():
            self.second.cookies.set(name, value)
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert match
        return match.group(1)

    def ask(self, question: str, conversation: list[str]) -> tuple[str, str]:
        """POST on the first worker, stream on the second: (pending fragment, stream)."""
        pending = self.first.post(
            "/",
            data={"csrf_token": self.csrf(), "question": question, "conversation": conversation},
            headers=HX,
        )
        assert pending.status_code == 200, pending.text
        url = re.search(r'sse-connect="(/chat/stream/[^"]+)"', pending.text)
        assert url
        with self.second.stream("GET", url.group(1)) as response:
            assert response.status_code == 200
            return pending.text, "".join(response.iter_text())


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    fakes = []
    for name in ("one", "two"):
        fake = FakeAssistant(Settings(data_dir=tmp_path / name, secret_key="shared-secret"))
        fake.load()
        fakes.append(fake)
    with (
        TestClient(create_app(fakes[0].settings, assistant=fakes[0])) as first,
        TestClient(create_app(fakes[1].settings, assistant=fakes[1])) as second,
    ):
        yield Workers(first, second, fakes)


def _appended_field(stream: str) -> str:
    done = stream.split("event: done", 1)[1]
    match = re.search(
        r'<div id="conversation-state" hx-swap-oob="beforeend">'
        r'<input type="hidden" name="conversation" value="([^"]+)"></div>',
        done,
    )
    assert match, done
    return match.group(1)


def test_an_answer_streams_from_another_worker_and_follow_ups_keep_the_conversation(
    workers: Workers,
) -> None:
    _, stream = workers.ask("How do I make a referral to the hub?", [])
    assert "event: done" in stream and "Integrated Referral" in stream
    fields = [_appended_field(stream)]
    _, stream = workers.ask("and after phoning?", fields)
    assert "event: done" in stream
    _, redacted, turns, _ = workers.fakes[1].calls[-1]  # answered by the second worker
    assert redacted == "and after phoning?"
    assert turns[0].content == "How do I make a referral to the hub?"
    fields.append(_appended_field(stream))
    codec = ConversationCodec("shared-secret")
    assert [a.question for a in codec.decode(fields)] == [
        "How do I make a referral to the hub?",
        "and after phoning?",
    ]


def test_personal_data_stays_out_of_the_stream_address(workers: Workers) -> None:
    pending, stream = workers.ask("Pupil named Jayden Smith, DOB 03/04/2015, how do I refer?", [])
    url = re.search(r'sse-connect="(/chat/stream/[^"]+)"', pending)
    assert url and "Jayden" not in url.group(1) and "2015" not in url.group(1)
    assert "Jayden" not in stream and "03/04/2015" not in stream
    assert 'data-notice-kind="personal_data"' in stream  # the user is still told
    assert workers.fakes[1].calls[-1][0].startswith("Pupil named [NAME]")


def test_the_page_keeps_only_the_recent_answers(workers: Workers) -> None:
    codec = ConversationCodec("shared-secret")
    old = [
        Answer(
            answer=f"a{i}",
            citations=[],
            notices=[],
            refused=False,
            answer_id=f"{i:032x}",
            question=f"q{i}",
        )
        for i in range(MAX_EXCHANGES)
    ]
    pending, _ = workers.ask("what is neglect?", codec.encode(old))
    state = re.search(r'<div id="conversation-state" hx-swap-oob="true">(.*?)</div>', pending)
    assert state
    kept = re.findall(r'value="([^"]+)"', state.group(1))
    assert [a.question for a in codec.decode(kept)] == [f"q{i}" for i in range(1, MAX_EXCHANGES)]
    fewer, _ = workers.ask("what is neglect?", codec.encode(old[:2]))
    assert 'hx-swap-oob="true">' not in fewer.split("</article>", 1)[1]
