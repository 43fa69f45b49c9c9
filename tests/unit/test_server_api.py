"""The JSON API contract (DESIGN.md §4) over the fake facade."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server.app import create_app
from assistant.settings import Settings
from tests.fakes import FakeAssistant


def test_search_returns_the_contract_fields(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "referral hub", "k": 2}).json()
    assert 0 < len(body["results"]) <= 2
    assert set(body["results"][0]) == {
        "doc_id",
        "title",
        "section",
        "text",
        "score",
        "passage_id",
        "url",
    }
    first = body["results"][0]
    assert first["url"] == f"/sources/{first['doc_id']}#p-{first['passage_id']}"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "   "}, "cannot be empty"),
        ({}, "cannot be empty"),
        ({"q": "x" * 2001}, "2,000 characters"),
        ({"q": "neglect", "partnership": "narnia"}, "lambeth, lewisham"),
        ({"q": "neglect", "k": 0}, "k must be"),
    ],
)
def test_search_bad_input_is_422_with_a_plain_message(
    client: TestClient, params: dict[str, object], expected: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert expected in response.json()["detail"]
    assert isinstance(response.json()["detail"], str)


def test_ask_returns_answer_json(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "How do I make a referral?"}).json()
    assert {"answer", "citations", "notices", "refused", "answer_id"} <= set(body)
    citation = body["citations"][0]
    assert {
        "n",
        "doc_id",
        "title",
        "section",
        "url",
        "quote",
        "passage_id",
        "published",
        "status",
    } <= set(citation)


def test_ask_passes_history_and_partnership(client: TestClient, fake: FakeAssistant) -> None:
    client.post(
        "/api/ask",
        json={
            "question": "what about after?",
            "partnership": "Lewisham",
            "history": [
                {"role": "user", "content": "How do I refer?"},
                {"role": "assistant", "content": "Phone the IRH."},
            ],
        },
    )
    _, _, turns, slug = fake.calls[-1]
    assert slug == "lewisham"
    assert [t.role for t in turns] == ["user", "assistant"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"question": ""}, "cannot be empty"),
        ({"question": "x" * 2001}, "2,000"),
        ({"question": "q", "history": "not a list"}, "history must be a list"),
        ({"question": "q", "history": [{"role": "system", "content": "x"}]}, "history must be"),
        ({"question": "q", "history": [{"content": "x"}]}, "history must be"),
        ({"question": "q", "partnership": "narnia"}, "Valid partnerships: lambeth, lewisham"),
        ({"history": []}, "question is required"),
    ],
)
def test_ask_bad_input_is_422(client: TestClient, body: dict[str, object], expected: str) -> None:
    response = client.post("/api/ask", json=body)
    assert response.status_code == 422
    assert expected in response.json()["detail"]


def test_ask_stream_sends_notices_parts_citations_then_done(client: TestClient) -> None:
    with client.stream(
        "POST", "/api/ask/stream", json={"question": "Child in immediate danger, how to refer?"}
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    events = [
        line[len("event: ") :].strip() for line in text.splitlines() if line.startswith("event: ")
    ]
    assert events[0] == "notice" and events[-1] == "done"
    assert "answer_part" in events and "citation" in events
    assert events.index("citation") > events.index("answer_part")
    done = text.split("event: done")[1].split("data: ", 1)[1].split("\r\n")[0].split("\n")[0]
    answer = json.loads(done)
    assert answer["notices"][0]["kind"] == "emergency"


def test_ask_stream_validates_before_streaming(client: TestClient) -> None:
    assert client.post("/api/ask/stream", json={"question": " "}).status_code == 422


def test_feedback_is_recorded(client: TestClient, fake: FakeAssistant) -> None:
    answer = client.post("/api/ask", json={"question": "what is neglect"}).json()
    passage_id = answer["citations"][0]["passage_id"]
    response = client.post(
        "/api/feedback",
        json={
            "answer_id": answer["answer_id"],
            "helpful": False,
            "comment": "Wrong for child named Sam Jones",
            "passage_ids": [passage_id],
            "doc_ids": [answer["citations"][0]["doc_id"]],
        },
    )
    assert response.status_code == 201 and response.json()["id"] >= 1
    import sqlite3

    with sqlite3.connect(fake.settings.data_dir / "feedback.sqlite3") as db:
        row = db.execute("SELECT answer_id, helpful, comment, passage_ids FROM feedback").fetchone()
    assert row == (answer["answer_id"], 0, "Wrong for child named [NAME]", passage_id)


BAD_IDS = ["a b", "a\nb", "ñandú", "x" * 5000, "jo@example.com", "943 476 5919", "+447700900123"]


@pytest.mark.parametrize("answer_id", BAD_IDS)
def test_feedback_ids_not_in_the_issued_shape_get_422_without_echo(
    client: TestClient, fake: FakeAssistant, answer_id: str
) -> None:
    response = client.post("/api/feedback", json={"answer_id": answer_id, "helpful": True})
    assert response.status_code == 422
    assert answer_id not in response.text and "answer_id" in response.json()["detail"]
    assert not (fake.settings.data_dir / "feedback.sqlite3").exists()


@pytest.mark.parametrize(
    "field, value",
    [("passage_ids", "jo@example.com"), ("passage_ids", "p1"), ("doc_ids", "Doc With Spaces")],
)
def test_passage_and_doc_ids_must_be_index_shaped(
    client: TestClient, field: str, value: str
) -> None:
    answer_id = client.post("/api/ask", json={"question": "what is neglect"}).json()["answer_id"]
    body = {"answer_id": answer_id, "helpful": True, field: [value]}
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422 and value not in response.text


def test_feedback_on_an_answer_that_was_never_given_is_refused(
    client: TestClient, fake: FakeAssistant
) -> None:
    response = client.post("/api/feedback", json={"answer_id": "0" * 32, "helpful": True})
    assert response.status_code == 422 and "no answer with this id" in response.json()["detail"]
    unknown_doc = {
        "answer_id": fake.ask("what is neglect").answer_id,
        "helpful": True,
        "doc_ids": ["no-such-document"],
    }
    assert client.post("/api/feedback", json=unknown_doc).status_code == 422


def test_sources_and_kind_filter(client: TestClient) -> None:
    sources = client.get("/api/sources").json()["sources"]
    assert len(sources) == 3 and {"passage_count", "status", "published"} <= set(sources[0])
    briefings = client.get("/api/sources", params={"kind": "briefing"}).json()["sources"]
    assert [s["kind"] for s in briefings] == ["briefing"]
    assert client.get("/api/sources", params={"kind": "poems"}).status_code == 422


def test_document_with_passages(client: TestClient) -> None:
    body = client.get("/api/sources/fake-arrangements").json()
    assert body["doc"]["id"] == "fake-arrangements"
    assert body["passages"][0]["url"].startswith("/sources/fake-arrangements#p-")
    missing = client.get("/api/sources/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]


def test_document_json_includes_the_limits_of_a_summary(client: TestClient) -> None:
    body = client.get("/api/sources/fake-neglect-briefing").json()
    assert body["doc"]["limits"] == ["The neglect toolkit named in the briefing is not confirmed."]
    assert client.get("/api/sources/fake-arrangements").json()["doc"]["limits"] == []


def test_thresholds_and_escalation(client: TestClient) -> None:
    assert client.get("/api/thresholds").json()["levels"][0]["level"] == 1
    assert client.get("/api/escalation").json()["steps"]
    assert client.get("/api/thresholds", params={"partnership": "narnia"}).status_code == 422


def test_readyz_is_503_until_loaded(tmp_path: Path) -> None:
    slow = FakeAssistant(Settings(data_dir=tmp_path), load_delay_s=0.5)
    with TestClient(create_app(slow.settings, assistant=slow)) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 503
        assert c.get("/api/search", params={"q": "neglect"}).status_code == 503
        import time

        time.sleep(0.8)
        assert c.get("/readyz").json() == {"status": "ready"}


def test_openapi_lists_the_contract(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/search",
        "/api/ask",
        "/api/ask/stream",
        "/api/sources",
        "/api/sources/{doc_id}",
        "/api/feedback",
        "/api/thresholds",
        "/api/escalation",
        "/healthz",
        "/readyz",
    ):
        assert path in paths


def test_readyz_waits_for_the_triage_warm_up(tmp_path: Path) -> None:
    """Behind a proxy a worker must not take questions before its classifier is warm: the
    first person sent to it would wait for the exemplar bank to be embedded."""
    import threading

    release = threading.Event()
    warm = FakeAssistant(Settings(data_dir=tmp_path))
    warm.warm_up_triage = release.wait  # type: ignore[attr-defined]
    with TestClient(create_app(warm.settings, assistant=warm)) as c:
        deadline = time.monotonic() + 5
        while not warm.ready and time.monotonic() < deadline:
            time.sleep(0.02)
        assert warm.ready
        response = c.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "warming up"}
        release.set()
        deadline = time.monotonic() + 5
        while c.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert c.get("/readyz").json() == {"status": "ready"}
