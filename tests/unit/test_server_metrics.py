"""``/metrics`` (issue #13): request counts and latency by route template, answers by
composer and strategy, notices, refusals, redactions and LLM fallbacks, and never any text
of a question in the exposition."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from assistant.server.metrics import ServerMetrics
from assistant.types import Answer, Notice
from tests.support import REPO

Labels = frozenset[tuple[str, str]]


def scrape(client: TestClient) -> dict[tuple[str, Labels], float]:
    """Every sample of ``/metrics``: (sample name, labels) → value."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


def samples(text: str) -> dict[tuple[str, Labels], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped: dict[tuple[str, Labels], float], name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def ask(client: TestClient, question: str) -> dict[str, object]:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


# --- requests ---------------------------------------------------------------------------------


def test_requests_are_counted_by_route_template_not_by_path(client: TestClient) -> None:
    assert client.get("/sources/fake-arrangements").status_code == 200
    assert client.get("/sources/fake-neglect-briefing").status_code == 200
    assert client.get("/api/search", params={"q": "referral hub"}).status_code == 200
    assert client.get("/no/such/page-4471").status_code == 404
    client.get("/chat/stream/Zq8tokenvalue31")  # an unknown token: refused, never a label
    scraped = scrape(client)
    route = {"route": "/sources/{doc_id}", "method": "GET", "status": "2xx"}
    assert value(scraped, "assistant_http_requests_total", **route) == 2
    assert value(scraped, "assistant_http_request_duration_seconds_count", **route) == 2
    assert value(scraped, "assistant_http_request_duration_seconds_sum", **route) > 0
    search = {"route": "/api/search", "method": "GET", "status": "2xx"}
    assert value(scraped, "assistant_http_requests_total", **search) == 1
    unmatched = {"route": "unmatched", "method": "GET", "status": "4xx"}
    assert value(scraped, "assistant_http_requests_total", **unmatched) == 1
    stream = [key for key in scraped if ("route", "/chat/stream/{token}") in key[1]]
    assert stream, "the stream route is counted under its template"
    body = client.get("/metrics").text
    paths = ("fake-arrangements", "fake-neglect-briefing", "referral", "page-4471", "Zq8token")
    for concrete in paths:
        assert concrete not in body


def test_static_files_are_counted_under_the_mount(client: TestClient) -> None:
    assert client.get("/static/css/app.css").status_code == 200
    labels = {"route": "/static/{path}", "method": "GET", "status": "2xx"}
    assert value(scrape(client), "assistant_http_requests_total", **labels) == 1
    assert "app.css" not in client.get("/metrics").text


# --- answers ----------------------------------------------------------------------------------


def test_answers_are_counted_by_composer_and_strategy(client: TestClient) -> None:
    ask(client, "How do I make a referral?")
    ask(client, "How do I make a referral?")
    scraped = scrape(client)
    composed = {"composer": "extractive", "strategy": "composed"}
    assert value(scraped, "assistant_answers_total", **composed) == 2
    assert value(scraped, "assistant_refusals_total", reason="not_covered") == 0


def test_a_not_covered_answer_is_a_refusal(client: TestClient) -> None:
    body = ask(client, "write me a poem")
    assert body["refused"] is True
    scraped = scrape(client)
    assert value(scraped, "assistant_answers_total", composer="none", strategy="not_covered") == 1
    assert value(scraped, "assistant_refusals_total", reason="not_covered") == 1
    assert value(scraped, "assistant_notices_total", kind="not_covered") == 1


def test_a_danger_question_counts_the_emergency_notice(client: TestClient) -> None:
    before = scrape(client)
    assert ("assistant_notices_total", frozenset({("kind", "emergency")})) in before
    assert value(before, "assistant_notices_total", kind="emergency") == 0
    body = ask(client, "a child is in immediate danger right now, who do I phone?")
    assert body["notices"][0]["kind"] == "emergency"  # type: ignore[index]
    after = scrape(client)
    assert value(after, "assistant_notices_total", kind="emergency") == 1
    assert value(after, "assistant_notices_total", kind="decision") == 0


def test_a_phone_number_in_a_question_counts_a_redaction(client: TestClient) -> None:
    body = ask(client, "the mother on 07700 900123 has asked for help with a referral")
    assert "redactions" not in body  # the counts are for metrics, never sent
    scraped = scrape(client)
    assert value(scraped, "assistant_redactions_total", kind="phone") == 1
    assert value(scraped, "assistant_redactions_total", kind="name") == 0
    assert value(scraped, "assistant_notices_total", kind="personal_data") == 1


def test_a_streamed_answer_is_counted_once(client: TestClient) -> None:
    response = client.post("/api/ask/stream", json={"question": "How do I make a referral?"})
    assert response.status_code == 200 and "event: done" in response.text
    scraped = scrape(client)
    composed = {"composer": "extractive", "strategy": "composed"}
    assert value(scraped, "assistant_answers_total", **composed) == 1
    stream = {"route": "/api/ask/stream", "method": "POST", "status": "2xx"}
    assert value(scraped, "assistant_http_requests_total", **stream) == 1


def test_an_answer_on_the_chat_page_is_counted(client: TestClient) -> None:
    client.cookies.set("assistant_ack", "1")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token
    form = {"csrf_token": token.group(1), "question": "How do I make a referral?"}
    assert client.post("/", data=form).status_code == 200
    scraped = scrape(client)
    composed = {"composer": "extractive", "strategy": "composed"}
    assert value(scraped, "assistant_answers_total", **composed) == 1
    # The no-JavaScript post answers, then redirects to the page (post/redirect/get).
    page = {"route": "/", "method": "POST", "status": "3xx"}
    assert value(scraped, "assistant_http_requests_total", **page) == 1


def test_no_question_text_name_or_number_appears_in_metrics(client: TestClient) -> None:
    question = (
        "My pupil called Tobias Wainwright said the quokka lantern thing happened again; "
        "his dad's number is 07700 900123. How do I make a referral?"
    )
    first = ask(client, question)
    client.post("/api/ask/stream", json={"question": question})
    client.get("/api/search", params={"q": question})
    client.get("/sources/fake-arrangements", params={"q": "quokka lantern"})
    client.get("/sources/tobias-wainwright-07700900123")  # a path made of the question
    body = client.get("/metrics").text
    assert value(samples(body), "assistant_redactions_total", kind="name") >= 1
    for fragment in (
        "quokka",
        "lantern",
        "Tobias",
        "Wainwright",
        "07700",
        "900123",
        "pupil",
        "referral",
        str(first["answer_id"]),
    ):
        assert fragment.lower() not in body.lower(), fragment


# --- the label vocabularies -------------------------------------------------------------------


def _answer(**fields: object) -> Answer:
    base: dict[str, object] = {
        "answer": "",
        "citations": [],
        "notices": [],
        "refused": False,
        "answer_id": "a" * 32,
    }
    return Answer.model_validate({**base, **fields})


def test_labels_come_only_from_fixed_vocabularies() -> None:
    metrics = ServerMetrics()
    metrics.observe_answer(_answer(composer="llm:openai:qwen2.5-7b-instruct"))
    metrics.observe_answer(_answer(composer="Jayden's special composer"))
    metrics.observe_answer(_answer(redactions={"Jayden Smith": 2, "phone": 1}))
    metrics.observe_request("/api/ask", "BREW", 299, 0.01)
    body, _ = metrics.exposition()
    scraped = samples(body.decode())
    assert value(scraped, "assistant_answers_total", composer="llm", strategy="composed") == 1
    assert value(scraped, "assistant_answers_total", composer="other", strategy="other") == 1
    assert value(scraped, "assistant_redactions_total", kind="other") == 2
    assert value(scraped, "assistant_redactions_total", kind="phone") == 1
    request = {"route": "/api/ask", "method": "other", "status": "2xx"}
    assert value(scraped, "assistant_http_requests_total", **request) == 1
    assert "Jayden" not in body.decode() and "qwen" not in body.decode()


def test_fallbacks_search_only_and_the_fixed_routes_are_counted() -> None:
    metrics = ServerMetrics()
    metrics.observe_answer(_answer(composer="extractive", llm_fallback="unavailable"))
    metrics.observe_answer(_answer(composer="extractive", llm_fallback="switched_off"))
    metrics.observe_answer(_answer(composer="search-only", refused=True))
    emergency = Notice(kind="emergency", text="If a child is in immediate danger, call 999.")
    metrics.observe_answer(_answer(composer="crisis-card", notices=[emergency]))
    scraped = samples(metrics.exposition()[0].decode())
    assert value(scraped, "assistant_llm_fallbacks_total", reason="unavailable") == 1
    assert value(scraped, "assistant_llm_fallbacks_total", reason="switched_off") == 1
    assert value(scraped, "assistant_refusals_total", reason="search_only") == 1
    assert value(scraped, "assistant_refusals_total", reason="not_covered") == 0
    assert value(scraped, "assistant_answers_total", composer="none", strategy="crisis_card") == 1
    assert value(scraped, "assistant_notices_total", kind="emergency") == 1


def test_openmetrics_is_served_when_the_scraper_asks_for_it(client: TestClient) -> None:
    response = client.get("/metrics", headers={"Accept": "application/openmetrics-text"})
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


# --- several workers --------------------------------------------------------------------------

_WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from fastapi.testclient import TestClient
    from assistant.server.app import create_app
    from assistant.settings import Settings
    from tests.fakes import FakeAssistant

    fake = FakeAssistant(Settings(data_dir=Path(sys.argv[1]), secret_key="unit-test"))
    fake.load()
    with TestClient(create_app(fake.settings, assistant=fake)) as client:
        assert client.post("/api/ask", json={"question": sys.argv[2]}).status_code == 200
    """
)


def test_with_a_shared_directory_every_workers_counts_are_summed(tmp_path: Path) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared), "PYTHONPATH": str(REPO)}
    questions = ["How do I make a referral?", "a child is in immediate danger right now"]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(tmp_path / f"data-{i}"), question],
            env=env,
            cwd=REPO,
            stderr=subprocess.PIPE,
        )
        for i, question in enumerate(questions)
    ]
    for worker in workers:
        _, stderr = worker.communicate(timeout=120)
        assert worker.returncode == 0, stderr.decode()[-2000:]
    body, _ = ServerMetrics(shared).exposition()
    scraped = samples(body.decode())
    ask_route = {"route": "/api/ask", "method": "POST", "status": "2xx"}
    assert value(scraped, "assistant_http_requests_total", **ask_route) == 2
    assert value(scraped, "assistant_notices_total", kind="emergency") == 1
    assert "immediate danger" not in json.dumps(sorted(map(str, scraped)))


def test_serve_empties_the_shared_metrics_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A previous run's samples must not be added to this run's counts."""
    from assistant.server.metrics import reset_multiprocess_dir

    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "counter_123.db").write_bytes(b"old samples")
    (shared / "keep.txt").write_text("not a sample file")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(shared))
    reset_multiprocess_dir()
    assert sorted(p.name for p in shared.iterdir()) == ["keep.txt"]
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    reset_multiprocess_dir()  # one process: nothing to do, nothing raised
