"""One danger card first, one "About this answer" area, calm empty states (issue #14)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.contacts import ContactsRegister
from assistant.notices import (
    SCOPE_TEXT,
    decision_text,
    disclosure_text,
    emergency_text,
    not_covered_notice,
    personal_data_text,
    support_text,
)
from assistant.prepared import PreparedQuestion
from assistant.server.answer_layout import StreamedNotices, answer_layout
from assistant.server.app import create_app
from assistant.server.contexts import announcement_text
from assistant.settings import REPO_ROOT, Settings
from assistant.types import Answer, Citation, Notice, RelatedDocument, StreamEvent
from tests.fakes import FakeAssistant

IRH = "020 7926 3100"
HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def contacts() -> ContactsRegister:
    return ContactsRegister.load(REPO_ROOT / "corpus" / "contacts.yaml")


def _answer(notices: list[Notice], text: str = "", **extra: object) -> Answer:
    return Answer(
        answer=text,
        citations=[],
        notices=notices,
        refused=not text,
        answer_id="a1",
        **extra,
    )


def _shown_text(layout_answer: Answer) -> str:
    layout = answer_layout(layout_answer, card_id="c")
    texts = [layout.danger.text] if layout.danger else []
    texts += [i.text for i in layout.about]
    if layout.empty:
        texts.append(layout.empty.notice.text)
    return " ".join(texts)


def test_emergency_and_disclosure_are_one_card_with_the_emergency_first(
    contacts: ContactsRegister,
) -> None:
    answer = _answer(
        [
            Notice(kind="disclosure", text=disclosure_text(contacts)),
            Notice(kind="emergency", text=emergency_text(contacts)),
        ],
        "1. Call 999 first.",
    )
    layout = answer_layout(answer, card_id="danger-a1", announce=True)
    assert layout.danger is not None
    assert layout.danger.kinds == ["emergency", "disclosure"]
    assert layout.danger.title.startswith("Emergency")
    assert layout.danger.role == "alert" and layout.danger.id == "danger-a1"
    assert layout.about == []  # nothing else became a banner


def test_no_phone_number_is_repeated_across_an_answers_notices(
    contacts: ContactsRegister,
) -> None:
    answer = _answer(
        [
            Notice(kind="disclosure", text=disclosure_text(contacts)),
            Notice(kind="decision", text=decision_text(contacts)),
            Notice(kind="personal_data", text=personal_data_text({"name": 1})),
        ],
        "Steps.",
    )
    assert disclosure_text(contacts).count(IRH) == decision_text(contacts).count(IRH) == 1
    shown = _shown_text(answer)
    assert shown.count(IRH) == 1
    layout = answer_layout(answer, card_id="c")
    assert layout.danger is not None and IRH in layout.danger.text  # the card keeps the route
    (decision,) = [i for i in layout.about if i.kind == "decision"]
    assert "that decision rests with you" in decision.text  # the rest of the notice stays


def test_999_is_given_once_but_a_notice_keeps_its_own_wording(
    contacts: ContactsRegister,
) -> None:
    other_area = not_covered_notice("croydon", contacts)
    assert "999" in other_area.text
    answer = _answer([Notice(kind="emergency", text=emergency_text(contacts)), other_area])
    assert re.findall(r"\b999\b", _shown_text(answer)) == ["999"]
    # The emergency notice for a practitioner in crisis names 999 for the child and for the
    # practitioner: one notice's own sentences are never cut.
    merged = "\n\n".join([emergency_text(contacts), support_text(contacts)])
    card = answer_layout(_answer([Notice(kind="emergency", text=merged)]), card_id="c").danger
    assert card is not None and card.text.count("999") == 2


def test_a_not_covered_reply_is_an_empty_state_with_the_route_and_closest_documents(
    contacts: ContactsRegister,
) -> None:
    related = [RelatedDocument(doc_id="d1", title="Contacts", url="/sources/d1")]
    answer = _answer([not_covered_notice("lambeth", contacts)], related=related)
    layout = answer_layout(answer, card_id="c")
    assert layout.has_body is False
    assert layout.empty is not None and layout.empty.notice.kind == "not_covered"
    assert "designated safeguarding lead" in layout.empty.notice.text and IRH in (
        layout.empty.notice.text
    )
    assert layout.empty.related == related
    assert layout.about == []


def test_an_out_of_purpose_question_gets_one_short_notice(contacts: ContactsRegister) -> None:
    answer = _answer(
        [Notice(kind="scope", text=SCOPE_TEXT), not_covered_notice("lambeth", contacts)],
        related=[RelatedDocument(doc_id="d1", title="Contacts", url="/sources/d1")],
    )
    layout = answer_layout(answer, card_id="c")
    assert layout.empty is not None and layout.empty.notice.kind == "scope"
    assert layout.empty.related == [] and layout.about == [] and layout.danger is None
    assert IRH not in _shown_text(answer)


def test_the_route_stays_in_the_empty_state_not_in_an_about_item(
    contacts: ContactsRegister,
) -> None:
    answer = _answer(
        [
            Notice(kind="decision", text=decision_text(contacts)),
            not_covered_notice("lambeth", contacts),
        ]
    )
    layout = answer_layout(answer, card_id="c")
    assert layout.empty is not None and IRH in layout.empty.notice.text
    assert [i.kind for i in layout.about] == ["decision"] and IRH not in layout.about[0].text


def test_the_summary_reads_the_notices_before_the_answer_and_not_the_danger_card(
    contacts: ContactsRegister,
) -> None:
    citation = Citation(
        n=1,
        doc_id="d",
        title="T",
        section="S",
        url="/sources/d#p-p1",
        quote="Q.",
        passage_id="p1",
        published=date(2025, 1, 1),
        status="current",
        publisher="P",
    )
    answer = _answer(
        [
            Notice(kind="disclosure", text=disclosure_text(contacts)),
            Notice(kind="personal_data", text=personal_data_text({"name": 1})),
        ],
        "**What to do today** [1]",
    ).model_copy(update={"citations": [citation]})
    text = announcement_text(answer)
    assert text.index("Personal details removed") < text.index("Answer: What to do today")
    assert "significant harm" not in text  # the alert said it, once
    empty = announcement_text(_answer([not_covered_notice("lambeth", contacts)]))
    assert "Not covered by the partnership's documents." in empty and "Answer:" not in empty


def test_streamed_notices_send_the_card_once_then_items_without_its_numbers(
    contacts: ContactsRegister,
) -> None:
    stream = StreamedNotices(card_id="danger-x")
    emergency = Notice(kind="emergency", text=emergency_text(contacts))
    disclosure = Notice(kind="disclosure", text=disclosure_text(contacts))
    decision = Notice(kind="decision", text=decision_text(contacts))
    assert stream.hold(emergency) and stream.hold(disclosure)
    assert not stream.hold(decision)
    card = stream.take_card()
    assert card is not None and card.kinds == ["emergency", "disclosure"]
    assert stream.take_card() is None  # once
    item = stream.item(decision)
    assert item is not None and IRH not in item.text
    # The finished answer lays out the same card under the same id (htmx keeps it).
    final = answer_layout(
        _answer([emergency, disclosure, decision], "x"), card_id="danger-x", announce=True
    )
    assert final.danger == card


def _csrf(client: TestClient) -> str:
    client.cookies.set("assistant_ack", "1")
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match
    return match.group(1)


def _page(client: TestClient, question: str) -> str:
    response = client.post("/", data={"csrf_token": _csrf(client), "question": question})
    assert response.status_code == 200
    html = response.text
    return html[html.index('<article class="app-exchange"') : html.index("</article>")]


def test_the_page_shows_a_not_covered_reply_without_label_or_copy_button(
    client: TestClient,
) -> None:
    article = _page(client, "What is the guidance on safeguarding in esports clubs?")
    assert "AI-assisted answer" not in article and "Copy answer" not in article
    assert 'class="app-empty" data-notice-kind="not_covered"' in article
    assert "Closest documents to read yourself" in article
    assert 'href="/sources/fake-arrangements"' in article


def test_the_page_shows_one_notice_for_an_out_of_purpose_question(client: TestClient) -> None:
    article = _page(client, "What's the capital of France?")
    assert article.count("data-notice-kind=") == 1
    assert 'data-notice-kind="scope"' in article and IRH not in article


def test_the_page_orders_danger_about_answer_and_only_the_latest_card_is_an_alert(
    client: TestClient,
) -> None:
    question = "She told me her stepdad hits her and has bruises. Which level is this child?"
    token = _csrf(client)
    first = client.post("/", data={"csrf_token": token, "question": question}).text
    article = first[first.index('<article class="app-exchange"') :]
    answer_at = article.index('class="app-answer')
    card = re.search(r'<div class="app-notice[^"]*app-danger"[^>]*>', article)
    assert card and 'data-notice-kind="disclosure"' in card.group(0)
    assert 'role="alert"' in card.group(0)
    assert card.start() < article.index("About this answer") < answer_at
    assert article[:answer_at].count(IRH) == 1  # the card's route, not the decision's again
    fields = re.findall(r'name="conversation" value="([^"]+)"', first)
    second = client.post(
        "/", data={"csrf_token": token, "question": question, "conversation": fields[:1]}
    ).text
    cards = re.findall(r'<div class="app-notice[^"]*app-danger"[^>]*>', second)
    assert len(cards) == 2
    assert 'role="alert"' not in cards[0] and 'role="alert"' in cards[1]


def test_a_failed_stream_keeps_the_danger_card_above_the_error(tmp_path: Path) -> None:
    class Failing(FakeAssistant):
        def stream_prepared(self, prepared: PreparedQuestion) -> Iterator[StreamEvent]:
            yield StreamEvent(event="notice", notice=Notice(kind="emergency", text="Call 999 now."))
            raise RuntimeError("the index went away")

    fake = Failing(Settings(data_dir=tmp_path, secret_key="unit-test"))
    fake.load()
    with TestClient(create_app(fake.settings, assistant=fake)) as client:
        pending = client.post(
            "/", data={"csrf_token": _csrf(client), "question": "child in danger"}, headers=HX
        ).text
        url = re.search(r'sse-connect="(/chat/stream/[^"]+)"', pending)
        assert url
        with client.stream("GET", url.group(1)) as response:
            body = "".join(response.iter_text())
    assert re.findall(r"^event: (\w+)", body, flags=re.M) == ["done"]
    done = body.split("event: done", 1)[1]
    assert done.index('data-notice-kind="emergency"') < done.index("No answer")
    assert "tel:999" in done[: done.index("No answer")]  # the 999 route, above the error
