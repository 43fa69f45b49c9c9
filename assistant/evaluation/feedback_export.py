"""Turn practitioners' feedback into draft evaluation cases for the L&D team to complete.

A draft is a starting point, not a test: feedback carries no verified expectations, and
questions may hold case details. So every question and comment is passed through the
personal-data redactor, drafts are tagged ``draft`` and ``from-feedback``, and the file
tells the author to rewrite the question in general terms (PD-04: chat content is not
used to build evaluation sets as it is; a person writes the case).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from assistant.feedback import FeedbackRecord, FeedbackStore
from assistant.settings import Settings
from assistant.triage.personal_data import redact
from assistant.types import Answer

QUESTION_TODO = "TODO: write the practitioner's question here, in general terms"
FEEDBACK_DB = "assistant.sqlite3"
"""The store the pipeline writes: ``settings.data_dir / FEEDBACK_DB``."""


class FeedbackItem(BaseModel):
    """The fields of a feedback record this module uses (others are ignored)."""

    answer_id: str = ""
    helpful: bool | None = None
    kind: str = "rating"
    comment: str | None = None
    question: str | None = None
    doc_ids: list[str] = Field(default_factory=list)
    passage_ids: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    refused: bool | None = None
    partnership: str | None = None
    created: str | None = None

    @property
    def unhelpful(self) -> bool:
        return self.helpful is False or self.kind == "problem"


class DraftCase(BaseModel):
    """A draft case plus the note shown above it in the YAML."""

    case: dict[str, Any]
    note: str


def _clean(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return redact(text.strip()).text


def _case_id(answer_id: str, used: set[str]) -> str:
    base = "feedback-" + "".join(c for c in answer_id.lower() if c.isalnum())[:8] or "feedback"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def draft_case(item: FeedbackItem, used_ids: set[str] | None = None) -> DraftCase:
    """A draft case from one feedback record (what is known is pre-filled)."""
    used = used_ids if used_ids is not None else set()
    question = _clean(item.question) or QUESTION_TODO
    expect: dict[str, Any] = {}
    if item.doc_ids:
        expect["documents"] = list(dict.fromkeys(item.doc_ids))
    if item.notices:
        expect["notices"] = list(dict.fromkeys(item.notices))
    if item.refused is not None and not item.unhelpful:
        expect["refused"] = item.refused
    expect["facts"] = ["TODO: a short phrase a good answer must contain, copied from the document"]
    case: dict[str, Any] = {"id": _case_id(item.answer_id or "x", used), "question": question}
    if item.partnership:
        case["partnership"] = item.partnership
    case["tags"] = ["from-feedback", "draft"]
    case["expect"] = expect
    verdict = (
        "reported a problem"
        if item.kind == "problem"
        else "not helpful"
        if item.helpful is False
        else "helpful"
        if item.helpful
        else "no rating"
    )
    comment = _clean(item.comment)
    note = f"Feedback ({verdict}) on answer {item.answer_id or 'unknown'}"
    if comment:
        note += f': "{comment}"'
    return DraftCase(case=case, note=note)


def draft_case_from_answer(
    answer: Answer,
    *,
    helpful: bool | None = None,
    comment: str | None = None,
    kind: str = "rating",
) -> DraftCase:
    """For the web button: a draft from the answer on screen and the feedback given on it."""
    item = FeedbackItem(
        answer_id=answer.answer_id,
        helpful=helpful,
        comment=comment,
        kind=kind,
        question=answer.question or None,
        doc_ids=[c.doc_id for c in answer.citations],
        passage_ids=[c.passage_id for c in answer.citations],
        notices=[n.kind for n in answer.notices],
        refused=answer.refused,
        partnership=answer.partnership,
    )
    return draft_case(item)


def render_draft_suite(drafts: Sequence[DraftCase], suite_name: str = "feedback-drafts") -> str:
    """A suite file of drafts, with instructions, that loads with ``load_suite`` as it is."""
    now = datetime.now(UTC).strftime("%d %B %Y")
    lines = [
        f"# Draft evaluation cases made from practitioners' feedback on {now}.",
        "# Before using a case:",
        "#   1. Rewrite the question in general terms: no names, ages, schools or case details.",
        "#   2. Replace every TODO, and copy facts and passages exactly from the documents.",
        "#   3. Remove the 'draft' tag and move the case into one of the suites in evals/.",
        "# See docs/evaluation.md for what each field means.",
        f"suite: {suite_name}",
        "description: Draft cases from feedback, to be completed by the L&D team.",
        "cases:",
    ]
    for draft in drafts:
        lines.append(f"  # {draft.note}")
        dumped = yaml.safe_dump([draft.case], sort_keys=False, allow_unicode=True, width=100)
        lines.extend("  " + line for line in dumped.splitlines())
    if not drafts:
        lines[-1] = "cases: []  # no feedback to export yet"
    return "\n".join(lines) + "\n"


# --- reading the feedback store ----------------------------------------------------------


def read_feedback(db_path: Path, limit: int = 10_000) -> list[FeedbackItem]:
    """Feedback oldest first, with the notices/refusal/partnership from its audit event.

    Neither table holds question text (by design), so drafts made here carry a TODO
    question; the web button, which has the answer on screen, uses ``draft_case_from_answer``.
    """
    if not db_path.exists():
        raise RuntimeError(f"no feedback yet: {db_path} does not exist")
    return read_store(FeedbackStore(db_path), limit)


def read_store(store: FeedbackStore, limit: int = 10_000) -> list[FeedbackItem]:
    """``read_feedback`` for any store (the shared database of ASSISTANT_DATABASE_URL)."""
    return [feedback_item(store, record) for record in reversed(store.list_feedback(limit))]


def feedback_item(store: FeedbackStore, record: FeedbackRecord) -> FeedbackItem:
    """The record plus the notices, refusal and partnership of its (text-free) audit event."""
    events = store.audit_events(record.answer_id, limit=1)
    event = events[0] if events else None
    return FeedbackItem(
        answer_id=record.answer_id,
        helpful=record.helpful,
        kind=record.kind,
        comment=record.comment,
        doc_ids=record.doc_ids or (event.cited_doc_ids if event else []),
        passage_ids=record.passage_ids or (event.cited_passage_ids if event else []),
        notices=event.notices if event else [],
        refused=event.refused if event else None,
        partnership=event.partnership if event else None,
        created=record.created_at.isoformat(),
    )


def feedback_as_json_lines(items: Iterable[FeedbackItem]) -> str:
    return "".join(
        item.model_copy(
            update={"comment": _clean(item.comment), "question": _clean(item.question)}
        ).model_dump_json()
        + "\n"
        for item in items
    )


def export_feedback(
    settings: Settings,
    *,
    as_suite: bool,
    only_unhelpful: bool = False,
    suite_name: str = "feedback-drafts",
) -> tuple[str, int]:
    """The export text and how many items it holds."""
    items = (
        read_store(FeedbackStore.for_settings(settings))
        if settings.database_url is not None
        else read_feedback(settings.data_dir / FEEDBACK_DB)
    )
    if only_unhelpful:
        items = [i for i in items if i.unhelpful]
    if not as_suite:
        return feedback_as_json_lines(items), len(items)
    used: set[str] = set()
    drafts = [draft_case(i, used) for i in items]
    return render_draft_suite(drafts, suite_name), len(drafts)
