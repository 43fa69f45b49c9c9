"""HTML pages and htmx fragments over the fake facade (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server.app import create_app
from assistant.settings import Settings
from tests.fakes import FakeAssistant

HX = {"HX-Request": "true"}


def _token(client: TestClient) -> str:
    client.cookies.set("assistant_ack", "1")
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match
    return match.group(1)


def _ask(client: TestClient, question: str, **form: str) -> str:
    response = client.post("/", data={"csrf_token": _token(client), "question": question, **form})
    assert response.status_code == 200, response.text
    return response.text


def test_first_visit_shows_the_first_use_notice_not_the_form(client: TestClient) -> None:
    html = client.get("/").text
    assert "Before you start" in html and 'id="question"' not in html
    for must in (
        "AI tool",
        "can be wrong",
        "does not decide thresholds",
        "Do not enter identifying details",
        "call 999",
    ):
        assert must in html


def test_acknowledging_sets_a_cookie_and_shows_the_form(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token
    response = client.post("/acknowledge", data={"csrf_token": token.group(1)})
    assert response.status_code == 200 and 'id="question"' in response.text
    assert client.cookies.get("assistant_ack") == "1"


def test_posting_without_acknowledging_goes_back_to_the_notice(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token
    response = client.post("/", data={"csrf_token": token.group(1), "question": "How?"})
    assert "Before you start" in response.text


def test_no_js_answer_page_has_citations_label_and_reminder(client: TestClient) -> None:
    html = _ask(client, "How do I make a referral to the hub?")
    assert "AI-assisted answer" in html
    assert 'class="app-cite" href="/sources/fake-arrangements#p-' in html
    assert 'hx-get="/sources/fake-arrangements/passages/' in html
    assert "not decisions" in html or "decision" in html
    assert 'id="latest"' in html


def test_emergency_notice_precedes_the_answer(client: TestClient) -> None:
    html = _ask(client, "A man is hitting a child right now, what do I do?")
    assert html.index('data-notice-kind="emergency"') < html.index('class="app-answer"')


def test_personal_data_is_not_echoed(client: TestClient) -> None:
    html = _ask(client, "Pupil named Jayden Smith, DOB 03/04/2015, how do I refer?")
    assert "Jayden" not in html and "03/04/2015" not in html
    assert 'data-notice-kind="personal_data"' in html
    assert "[NAME]" in html


def test_follow_up_uses_the_signed_conversation(client: TestClient, fake: FakeAssistant) -> None:
    html = _ask(client, "How do I make a referral to the hub?")
    state = re.search(r'<div id="conversation-state">(.*?)</div>', html)
    assert state
    fields = re.findall(r'name="conversation" value="([^"]+)"', state.group(1))
    assert len(fields) == 1
    html = _ask(client, "and after phoning?", conversation=fields[0])
    assert html.count('class="app-exchange"') == 2
    _, _, turns, _ = fake.calls[-1]
    assert turns[0].content == "How do I make a referral to the hub?"


def test_forged_conversation_is_ignored(client: TestClient) -> None:
    html = _ask(client, "How do I make a referral?", conversation="forged.value")
    assert html.count('class="app-exchange"') == 1


def test_empty_question_no_js_shows_error_summary(client: TestClient) -> None:
    response = client.post("/", data={"csrf_token": _token(client), "question": "  "})
    assert response.status_code == 422
    assert "govuk-error-summary" in response.text and "cannot be empty" in response.text


def test_htmx_error_retargets_the_form(client: TestClient) -> None:
    response = client.post("/", data={"csrf_token": _token(client), "question": ""}, headers=HX)
    assert response.headers["HX-Retarget"] == "#ask-form"
    assert response.text.lstrip().startswith('<form id="ask-form"')


def test_htmx_ask_streams_notice_first_and_done_with_oob_state(client: TestClient) -> None:
    pending = client.post(
        "/",
        data={"csrf_token": _token(client), "question": "child in immediate danger"},
        headers=HX,
    ).text
    match = re.search(r'sse-connect="(/chat/stream/[^"]+)"', pending)
    assert match and 'sse-close="done"' in pending
    assert "immediate danger" not in pending  # the raw question is not echoed before triage
    with client.stream("GET", match.group(1)) as response:
        body = "".join(response.iter_text())
    events = re.findall(r"^event: (\w+)", body, flags=re.M)
    # The danger card comes first, as one alert; the finished answer keeps that card.
    assert events[0] == "danger" and events[-1] == "done"
    card = body.split("event: danger", 1)[1].split("event:", 1)[0]
    assert 'role="alert"' in card and 'data-notice-kind="emergency"' in card
    card_id = re.search(r'id="(danger-[0-9a-f]+)"', card)
    assert card_id and body.count(f'id="{card_id.group(1)}"') == 2
    done = body.split("event: done", 1)[1]
    assert 'id="answer-status" hx-swap-oob="innerHTML"' in done
    # The new answer's own signed field is appended to the form's conversation state.
    assert '<div id="conversation-state" hx-swap-oob="beforeend">' in done
    assert "Answer ready." in done
    # Single use: a second connection gets 204, so EventSource stops reconnecting.
    assert client.get(match.group(1)).status_code == 204


def test_htmx_feedback_returns_thanks(client: TestClient, fake: FakeAssistant) -> None:
    answer = fake.ask("what is neglect")
    assert answer.citations
    response = client.post(
        "/feedback",
        data={
            "csrf_token": _token(client),
            "answer_id": answer.answer_id,
            "helpful": "yes",
            "passage_ids": [c.passage_id for c in answer.citations],
            "doc_ids": sorted({c.doc_id for c in answer.citations}),
        },
        headers=HX,
    )
    assert "Thank you for your feedback." in response.text


def test_feedback_needs_a_verdict_or_comment(client: TestClient, fake: FakeAssistant) -> None:
    answer_id = fake.ask("what is neglect").answer_id
    response = client.post(
        "/feedback", data={"csrf_token": _token(client), "answer_id": answer_id}, headers=HX
    )
    assert "Choose whether the answer was helpful" in response.text


@pytest.mark.parametrize(
    "answer_id",
    ["a b", "a\nb", "ñandú", "x" * 5000, "jo@example.com", "943 476 5919", "0" * 32],
)
def test_feedback_form_refuses_ids_it_did_not_issue_without_echoing_them(
    client: TestClient, fake: FakeAssistant, answer_id: str
) -> None:
    data = {"csrf_token": _token(client), "answer_id": answer_id, "helpful": "yes"}
    htmx = client.post("/feedback", data=data, headers=HX)
    assert htmx.status_code == 200 and 'role="alert"' in htmx.text
    assert answer_id not in htmx.text
    page = client.post("/feedback", data=data)
    assert page.status_code == 422 and answer_id not in page.text
    assert not (fake.settings.data_dir / "feedback.sqlite3").exists()


def test_passage_panel_fragment_and_full_page(client: TestClient, fake: FakeAssistant) -> None:
    view = fake.document("fake-arrangements")
    assert view is not None
    url = f"/sources/fake-arrangements/passages/{view.passages[0].id}"
    fragment = client.get(url, headers=HX).text
    assert fragment.lstrip().startswith('<div class="app-cited"')
    assert "<mark" in fragment and 'id="panel-title"' in fragment
    page = client.get(url).text
    assert "<html" in page and "<h1" in page and "<mark" in page
    assert client.get("/sources/fake-arrangements/passages/nope").status_code == 404


def test_document_page_and_sources_library(client: TestClient) -> None:
    sources = client.get("/sources").text
    assert "Seven-minute briefing: neglect" in sources
    assert "Summary prepared for this assistant" in sources
    doc = client.get("/sources/fake-annual-report-2016").text
    assert "This document is historical" in doc
    assert client.get("/sources/unknown").status_code == 404


def test_document_page_shows_the_limits_of_a_summary(client: TestClient) -> None:
    page = client.get("/sources/fake-neglect-briefing").text
    assert "Limits of this summary" in page
    assert "The neglect toolkit named in the briefing is not confirmed." in page
    assert "Limits of this summary" not in client.get("/sources/fake-annual-report-2016").text


def test_wide_scopes_are_labelled_in_the_sources_library(client: TestClient) -> None:
    from assistant.server.contexts import partnership_label, partnership_short_label

    assert partnership_short_label("national") == "National (England)"
    assert partnership_label("national") == "National (England)"
    assert partnership_short_label("london") == "London-wide"
    assert "London-wide" in client.get("/sources").text


def test_structured_pages_render_api_data(client: TestClient) -> None:
    html = client.get("/thresholds").text
    assert "Continuum of help and support" in html and "Early help" in html
    assert client.get("/escalation").text.count("app-structured-list__item") == 2


def test_pages_while_loading(tmp_path: Path) -> None:
    slow = FakeAssistant(Settings(data_dir=tmp_path), load_delay_s=5)
    with TestClient(create_app(slow.settings, assistant=slow)) as c:
        c.cookies.set("assistant_ack", "1")
        assert "starting up" in c.get("/").text
        assert "starting up" in c.get("/sources").text
        # Behind a proxy, a worker still starting refuses the question with a 503 the
        # proxy can pass to another worker; the page's script still shows the message.
        form = {"csrf_token": _token(c), "question": "What is early help?"}
        asked = c.post("/", data=form, headers=HX)
        assert asked.status_code == 503 and asked.headers["Retry-After"] == "5"
        assert asked.headers["HX-Retarget"] == "#ask-form" and "starting up" in asked.text


def test_accessibility_statement_page_matches_the_docs() -> None:
    """docs/accessibility-statement.md and the page share their headings."""
    repo = Path(__file__).resolve().parents[2]
    doc = (repo / "docs" / "accessibility-statement.md").read_text()
    template = (repo / "web" / "templates" / "accessibility.html").read_text()
    headings = [h.lstrip("# ").strip() for h in doc.splitlines() if h.startswith("## ")]
    assert headings
    for heading in headings:
        assert heading in template


def test_unexpected_failure_shows_a_safe_error_page(tmp_path: Path) -> None:
    class Broken(FakeAssistant):
        def sources(self, kind: str | None = None) -> list:  # type: ignore[type-arg]
            raise RuntimeError("index exploded")

    broken = Broken(Settings(data_dir=tmp_path))
    broken.load()
    app = create_app(broken.settings, assistant=broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/sources")
    assert response.status_code == 500
    assert "call 999" in response.text and "index exploded" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
