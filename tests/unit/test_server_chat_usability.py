"""The chat page's contacts, two-step feedback and example questions (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server.examples import EXAMPLES_NAME, ExampleQuestions
from assistant.settings import Settings
from tests.fakes import FakeAssistant

HX = {"HX-Request": "true"}


def _token(client: TestClient) -> str:
    client.cookies.set("assistant_ack", "1")
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match
    return match.group(1)


def _feedback_area(html: str, answer_id: str) -> str:
    start = html.index(f'id="feedback-{answer_id}"')
    return html[start : html.index("</article>", start)]


def _ids(fake: FakeAssistant) -> tuple[str, dict[str, object]]:
    answer = fake.ask("what is neglect")
    return answer.answer_id, {
        "answer_id": answer.answer_id,
        "passage_ids": [c.passage_id for c in answer.citations],
        "doc_ids": sorted({c.doc_id for c in answer.citations}),
    }


def test_footer_numbers_come_from_the_register_as_tel_links(client: TestClient) -> None:
    footer = client.get("/").text.split('id="get-help"', 1)[1]
    assert 'href="tel:999">999</a>' in footer
    assert 'href="tel:+442079263100">020 7926 3100</a>' in footer


def test_numbers_in_an_answer_are_tel_links(client: TestClient) -> None:
    html = client.post(
        "/", data={"csrf_token": _token(client), "question": "How do I make a referral to the hub?"}
    ).text
    body = html.split('class="app-answer__body"', 1)[1].split("</div>", 1)[0]
    assert '<a class="govuk-link app-contact" href="tel:+442079263100">020 7926 3100</a>' in body


def test_feedback_starts_with_yes_or_no_only(client: TestClient) -> None:
    html = client.post(
        "/", data={"csrf_token": _token(client), "question": "How do I make a referral to the hub?"}
    ).text
    answer_id = re.search(r'data-answer-id="([0-9a-f]{32})"', html)
    assert answer_id
    area = _feedback_area(html, answer_id.group(1))
    assert "Was this answer helpful?" in area
    assert re.findall(r'<button type="submit" name="helpful" value="(\w+)"', area) == ["yes", "no"]
    assert "<textarea" not in area and "<details" not in area
    assert f'action="/feedback#feedback-{answer_id.group(1)}"' in area


def test_htmx_choice_stores_it_and_returns_comment_and_report(
    client: TestClient, fake: FakeAssistant
) -> None:
    answer_id, ids = _ids(fake)
    response = client.post(
        "/feedback", data={"csrf_token": _token(client), "helpful": "no", **ids}, headers=HX
    )
    assert response.status_code == 200
    html = response.text
    assert "Thank you for your feedback." in html
    assert f'id="comment-{answer_id}"' in html and "Send comment" in html
    assert "Report a problem with this guidance" in html and 'value="problem"' in html
    for passage in ids["passage_ids"]:  # type: ignore[attr-defined]
        assert f'name="passage_ids" value="{passage}"' in html
    assert 'name="helpful"' not in html  # the comment does not store the verdict twice
    rows = _rows(fake)
    assert [(r[0], r[1]) for r in rows] == [(answer_id, 0)]


def test_htmx_comment_after_a_choice_is_stored_and_thanked(
    client: TestClient, fake: FakeAssistant
) -> None:
    _, ids = _ids(fake)
    token = _token(client)
    client.post("/feedback", data={"csrf_token": token, "helpful": "yes", **ids}, headers=HX)
    response = client.post(
        "/feedback",
        data={"csrf_token": token, "comment": "Clear, thank you", **ids},
        headers=HX,
    )
    assert "Thank you for your feedback." in response.text
    assert "<textarea" not in response.text  # done: nothing more to fill in
    assert [(r[1], r[2]) for r in _rows(fake)] == [(1, None), (None, "Clear, thank you")]


def test_without_javascript_the_choice_opens_step_two_for_that_answer_only(
    client: TestClient, fake: FakeAssistant
) -> None:
    token = _token(client)
    first = client.post("/", data={"csrf_token": token, "question": "what is neglect"}).text
    state = re.findall(r'name="conversation" value="([^"]+)"', first)
    ids = re.findall(r'data-answer-id="([0-9a-f]{32})"', first)
    second = client.post(
        "/", data={"csrf_token": token, "question": "and escalation?", "conversation": state[:1]}
    ).text
    state = sorted(set(re.findall(r'name="conversation" value="([^"]+)"', second)))
    ids = re.findall(r'data-answer-id="([0-9a-f]{32})"', second)
    assert len(ids) == 2
    page = client.post(
        "/feedback",
        data={"csrf_token": token, "answer_id": ids[0], "helpful": "no", "conversation": state},
    )
    assert page.status_code == 200
    chosen, other = _feedback_area(page.text, ids[0]), _feedback_area(page.text, ids[1])
    assert "Thank you for your feedback." in chosen and "<textarea" in chosen
    assert "<textarea" not in other and 'value="yes"' in other


def test_a_choice_with_ids_it_did_not_issue_is_refused_without_step_two(
    client: TestClient, fake: FakeAssistant
) -> None:
    response = client.post(
        "/feedback",
        data={"csrf_token": _token(client), "answer_id": "0" * 32, "helpful": "yes"},
        headers=HX,
    )
    assert 'role="alert"' in response.text and "<textarea" not in response.text


def test_example_questions_show_only_before_a_conversation(client: TestClient) -> None:
    token = _token(client)
    empty = client.get("/").text
    examples = ExampleQuestions.load(Settings().corpus_dir / EXAMPLES_NAME).examples
    assert 4 <= len(examples) <= 5
    assert len({e.audience for e in examples}) == len(examples)
    for example in examples:
        assert f'data-example="{example.id}"' in empty
    assert 'hx-include="#partnership"' in empty
    answered = client.post("/", data={"csrf_token": token, "question": examples[0].question}).text
    assert 'id="examples"' not in answered
    assert examples[0].question.replace("'", "&#39;") in answered  # "You asked …"


def test_example_questions_file_is_checked(tmp_path: Path) -> None:
    assert ExampleQuestions.load(tmp_path / "none.yaml").examples == []
    bad = tmp_path / EXAMPLES_NAME
    bad.write_text("examples:\n  - id: Not An Id\n    audience: x\n    question: hi\n")
    with pytest.raises(ValueError, match=EXAMPLES_NAME):
        ExampleQuestions.load(bad)


def _rows(fake: FakeAssistant) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(fake.settings.data_dir / "feedback.sqlite3") as db:
        return list(db.execute("SELECT answer_id, helpful, comment FROM feedback ORDER BY id"))
