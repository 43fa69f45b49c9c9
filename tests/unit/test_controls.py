"""Operator controls (HF-02): a kill switch a content admin flips at run time, audited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from assistant.audit import AccessAudit
from assistant.controls import (
    LOCKED_DOWN,
    OperatorControls,
    Switchboard,
    Topics,
    UnknownTopicError,
)
from assistant.settings import REPO_ROOT
from tests.fakes import FakeAssistant

CORPUS = REPO_ROOT / "corpus"


def _token(client: TestClient) -> str:
    client.cookies.set("assistant_ack", "1")
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/controls").text)
    assert match
    return match.group(1)


def test_a_change_is_saved_and_seen_by_another_process(tmp_path: Path) -> None:
    one, other = Switchboard(tmp_path, CORPUS), Switchboard(tmp_path, CORPUS)
    assert other.current() == OperatorControls()
    saved, changes = one.change(OperatorControls(search_only=True, topics_off=("prevent",)))
    assert changes == ["search_only=on", "topic_off=prevent"]
    seen = other.current()  # a second worker reads the file when it changes
    assert seen.search_only and seen.topics_off == ("prevent",)
    assert saved.updated_at is not None


def test_an_unreadable_controls_file_locks_down_rather_than_opening_up(tmp_path: Path) -> None:
    (tmp_path / "controls.json").write_text("{not json", encoding="utf-8")
    assert Switchboard(tmp_path, CORPUS).current() == LOCKED_DOWN


def test_unknown_topics_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnknownTopicError):
        Switchboard(tmp_path, CORPUS).change(OperatorControls(topics_off=("narnia",)))


def test_every_topic_names_documents_in_the_manifest() -> None:
    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    ids = {doc["id"] for doc in manifest["documents"]}
    topics = Topics.load(CORPUS / "topics.yaml")
    assert topics.topics
    for topic in topics.topics:
        assert topic.doc_ids and set(topic.doc_ids) <= ids, topic.id


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("im worried a yr 10 is being radicalised online", "prevent"),
        ("how do I refer to Prevent", "prevent"),
        ("child staying with an aunt for months, is that private fostering", "private-fostering"),
        ("allegation against a teacher who do i tell", "allegations-lado"),
        ("what does the LADO do", "allegations-lado"),
    ],
)
def test_questions_are_matched_to_their_topic(question: str, topic: str) -> None:
    topics = Topics.load(CORPUS / "topics.yaml")
    off = OperatorControls(topics_off=tuple(topics.ids()))
    found = topics.off_for(question, off)
    assert found is not None and found.id == topic
    assert topics.off_for(question, OperatorControls()) is None  # only when switched off


def test_the_controls_page_flips_search_only_and_users_see_a_notice(
    client: TestClient, fake: FakeAssistant
) -> None:
    page = client.get("/admin/controls").text
    assert "Search only" in page and "Prevent and radicalisation" in page
    response = client.post(
        "/admin/controls",
        data={"csrf_token": _token(client), "llm_composer": "on", "search_only": "on"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    answer = client.post("/api/ask", json={"question": "what is neglect"}).json()
    (service,) = [n for n in answer["notices"] if n["kind"] == "service"]
    assert "search-only mode" in service["text"] and answer["citations"] == []
    audit: AccessAudit = client.app.state.access_audit  # type: ignore[attr-defined]
    (event,) = audit.events()
    assert (event.action, event.target) == ("control_changed", "search_only=on")


def test_the_controls_page_needs_a_form_token_and_known_topics(client: TestClient) -> None:
    forged = client.post("/admin/controls", data={"csrf_token": "x", "search_only": "on"})
    assert forged.status_code == 403
    bad = client.post(
        "/admin/controls", data={"csrf_token": _token(client), "topics_off": ["narnia"]}
    )
    assert bad.status_code == 422 and "Choose topics from the list" in bad.text
    assert not OperatorControls().search_only
