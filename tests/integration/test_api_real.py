"""The JSON API over the real Assistant (search, ask, validation) — what clients rely on."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.pipeline import Assistant
from assistant.server.app import create_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    with TestClient(create_app(assistant.settings, assistant=assistant)) as c:
        return c


def test_search_contract(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "who is the LADO", "k": 3}).json()
    assert len(body["results"]) == 3
    assert set(body["results"][0]) >= {
        "doc_id",
        "title",
        "section",
        "text",
        "score",
        "passage_id",
        "url",
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "   "}, "empty"),
        ({"q": "x" * 2001}, "2,000"),
        ({"q": "lado", "partnership": "narnia"}, "lambeth"),
    ],
)
def test_search_rejects_bad_input_with_a_plain_message(
    client: TestClient, params: dict, message: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert message in response.text


def test_ask_contract_and_bad_history(client: TestClient) -> None:
    body = client.post(
        "/api/ask", json={"question": "what does a rapid review inform", "history": []}
    ).json()
    assert set(body) >= {"answer", "citations", "notices", "refused", "answer_id"}
    assert body["citations"] and {
        "n",
        "doc_id",
        "quote",
        "passage_id",
        "published",
        "status",
    } <= set(body["citations"][0])
    bad = client.post(
        "/api/ask", json={"question": "hi", "history": [{"role": "wizard", "content": "x"}]}
    )
    assert bad.status_code == 422
    assert client.post("/api/ask", json={"question": "", "history": []}).status_code == 422
