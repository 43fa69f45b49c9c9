"""Feedback → draft eval cases: useful starting points that hold no personal data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.evaluation.feedback_export import (
    QUESTION_TODO,
    FeedbackItem,
    draft_case,
    draft_case_from_answer,
    export_feedback,
    read_feedback,
    render_draft_suite,
)
from assistant.evaluation.suite import parse_suite
from assistant.feedback import AuditEvent, FeedbackStore
from assistant.settings import Settings
from assistant.types import Answer, Notice


def test_draft_from_the_answer_on_screen_prefills_what_is_known() -> None:
    answer = Answer(
        answer="x",
        citations=[],
        notices=[Notice(kind="emergency", text="999")],
        refused=False,
        answer_id="ab12cd34ef",
        question="who is the LADO",
        partnership="lambeth",
    )
    draft = draft_case_from_answer(answer, helpful=True, comment="spot on")
    assert draft.case["id"] == "feedback-ab12cd34"
    assert draft.case["question"] == "who is the LADO"
    assert draft.case["expect"]["notices"] == ["emergency"]
    assert draft.case["expect"]["refused"] is False
    assert draft.case["tags"] == ["from-feedback", "draft"]
    assert draft.note == 'Feedback (helpful) on answer ab12cd34ef: "spot on"'


def test_drafts_are_redacted_and_the_suite_loads_as_written() -> None:
    items = [
        FeedbackItem(
            answer_id="a1",
            helpful=False,
            comment="Wrong for Jayden Smith at 14 Acre Lane",
            question="Mrs Patel says Jayden Smith is hurt, what now",
            doc_ids=["d", "d"],
        ),
        FeedbackItem(answer_id="a1", kind="problem"),
    ]
    used: set[str] = set()
    drafts = [draft_case(i, used) for i in items]
    text = render_draft_suite(drafts, "feedback-drafts")
    assert "Jayden" not in text and "Patel" not in text and "Acre Lane" not in text
    assert "Rewrite the question in general terms" in text
    suite = parse_suite(text, "drafts.yaml")
    assert [c.id for c in suite.cases] == ["feedback-a1", "feedback-a1-2"]
    assert suite.cases[0].expect.documents == ["d"]
    assert suite.cases[1].question == QUESTION_TODO
    assert suite.cases[0].expect.refused is None  # unhelpful: behaviour not copied as expected
    assert "# Feedback (reported a problem) on answer a1" in text


ANS1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
ANS2 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2"


def _store(path: Path) -> None:
    store = FeedbackStore(path)
    store.record_audit(AuditEvent(answer_id=ANS2, partnership="lambeth"))
    store.record_audit(
        AuditEvent(
            answer_id=ANS1,
            partnership="lambeth",
            cited_doc_ids=["lambeth-threshold-route"],
            notices=["decision"],
            refused=False,
        )
    )
    store.record_feedback(
        ANS1,
        helpful=False,
        comment="missed the IRH for Jayden Smith",
        kind="rating",
        passage_ids=[],
        doc_ids=[],
    )
    store.record_feedback(
        ANS2,
        helpful=True,
        comment=None,
        kind="rating",
        passage_ids=["london-threshold-guide-0123456789"],
        doc_ids=["london-threshold-guide"],
    )


def test_export_reads_the_feedback_store_and_its_audit_events(tmp_path: Path) -> None:
    _store(tmp_path / "assistant.sqlite3")
    items = read_feedback(tmp_path / "assistant.sqlite3")
    assert [i.answer_id for i in items] == [ANS1, ANS2]  # oldest first
    first = items[0]
    assert first.doc_ids == ["lambeth-threshold-route"]  # from the audit event
    assert first.notices == ["decision"] and first.partnership == "lambeth"
    assert first.helpful is False and "Jayden" not in (first.comment or "")
    settings = Settings(data_dir=tmp_path)
    text, count = export_feedback(settings, as_suite=True, only_unhelpful=True)
    assert count == 1
    case = yaml.safe_load(text)["cases"][0]
    assert case["id"] == f"feedback-{ANS1[:8]}" and case["partnership"] == "lambeth"
    assert case["expect"]["documents"] == ["lambeth-threshold-route"]
    assert case["expect"]["notices"] == ["decision"]
    assert "refused" not in case["expect"]  # an unhelpful answer's behaviour is not the target
    lines, count = export_feedback(settings, as_suite=False)
    assert count == 2 and lines.count("\n") == 2 and f'"answer_id":"{ANS2}"' in lines


def test_export_without_a_store_explains(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="no feedback yet"):
        export_feedback(Settings(data_dir=tmp_path), as_suite=True)
