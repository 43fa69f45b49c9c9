"""``/metrics`` over the real pipeline (real model, corpus and Chroma): the real redactor's
kinds are counted, an unreachable language model is counted as a fallback, and none of the
probe's identifiers or words reach the exposition."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from assistant.embeddings import SentenceEmbedder
from assistant.pipeline import Assistant
from assistant.server.app import create_app
from assistant.server.metrics import answer_labels
from assistant.settings import LLMSettings
from tests.integration.conftest import free_port

pytestmark = pytest.mark.integration

QUESTION = (
    "what does the LSCP executive board do? Reply to Kacper Wiśniewski on 07700 900123 or "
    "jo.bloggs@example.com"
)
SEARCH = "quokka lantern Kacper Wiśniewski 07700 900123 executive board"
LEAKS = ["Kacper", "Wiśniewski", "07700", "900123", "jo.bloggs", "example.com", "quokka"]


@pytest.fixture(scope="module")
def client(assistant: Assistant, embedder: SentenceEmbedder) -> Iterator[TestClient]:
    """The real index, with a language model configured that nothing answers for."""
    settings = assistant.settings.model_copy(
        update={
            "llm": LLMSettings(
                model="openai:test-model",
                base_url=f"http://127.0.0.1:{free_port()}/v1",
                api_key="not-used",
                timeout_s=2.0,
            )
        }
    )
    llm_assistant = Assistant(settings, embedder=embedder)
    llm_assistant.load()
    with TestClient(create_app(settings, assistant=llm_assistant)) as test_client:
        yield test_client


def _value(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def test_real_answers_count_redactions_and_the_llm_fallback_but_no_text(
    client: TestClient,
) -> None:
    answer = client.post("/api/ask", json={"question": QUESTION})
    assert answer.status_code == 200
    body = answer.json()
    assert "personal_data" in [n["kind"] for n in body["notices"]]
    assert client.get("/api/search", params={"q": SEARCH}).status_code == 200
    metrics = client.get("/metrics").text
    assert _value(metrics, "assistant_redactions_total", kind="phone") == 1
    assert _value(metrics, "assistant_redactions_total", kind="email") == 1
    assert _value(metrics, "assistant_redactions_total", kind="name") >= 1
    assert _value(metrics, "assistant_llm_fallbacks_total", reason="unavailable") == 1
    composer, strategy = answer_labels(body["composer"])  # composed, or the gate refused
    assert composer == "extractive" or (composer, strategy) == ("none", "not_covered")
    assert _value(metrics, "assistant_answers_total", composer=composer, strategy=strategy) == 1
    for fragment in LEAKS:
        assert fragment.lower() not in metrics.lower(), fragment


def test_a_real_danger_question_counts_the_crisis_card_and_its_notice(
    client: TestClient,
) -> None:
    before = client.get("/metrics").text
    response = client.post("/api/ask", json={"question": "a child is being hit right now"})
    assert response.json()["notices"][0]["kind"] == "emergency"
    after = client.get("/metrics").text
    card = {"composer": "none", "strategy": "crisis_card"}
    assert _value(after, "assistant_answers_total", **card) == (
        _value(before, "assistant_answers_total", **card) + 1
    )
    assert _value(after, "assistant_notices_total", kind="emergency") == (
        _value(before, "assistant_notices_total", kind="emergency") + 1
    )
