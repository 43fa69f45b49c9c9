"""The shipped ``corpus/pathways.yaml``: it loads, every quote is verbatim in one passage of
its document, the agreed pathways are there in order, and no structured guidance quotes a
superseded document (its quotes belong in the document that replaced it)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import yaml

from assistant.chunking import chunk_document
from assistant.corpus import load_document, load_manifest
from assistant.pathways import PATHWAYS_NAME, PathwayFile, PathwayStep
from assistant.settings import Settings
from tests.support import quote_nodes

CORPUS = Settings().corpus_dir
MANIFEST = {doc.id: doc for doc in load_manifest(CORPUS)}
PATHWAYS = PathwayFile.load(CORPUS / PATHWAYS_NAME)
STRUCTURED_FILES = ("thresholds.yaml", "escalation.yaml", PATHWAYS_NAME, "crisis.yaml")

EXPECTED = [
    "worried-about-a-child",
    "allegation-against-staff",
    "private-fostering-notification",
    "information-sharing-decision",
    "after-a-referral",
    "out-of-hours",
]


def _collapse(text: str) -> str:
    return " ".join(text.split())


@cache
def _passages(doc_id: str) -> list[str]:
    document = load_document(MANIFEST[doc_id], CORPUS)
    return [_collapse(p.text) for p in chunk_document(document)]


STEPS = [
    pytest.param(step, id=f"{pathway.id}:{n}")
    for pathway in PATHWAYS.pathways
    for n, step in enumerate(pathway.steps, start=1)
]


def test_the_agreed_pathways_are_shipped_in_order() -> None:
    assert [p.id for p in PATHWAYS.pathways] == EXPECTED


@pytest.mark.parametrize("step", STEPS)
def test_every_step_quote_is_verbatim_in_one_passage_of_its_document(step: PathwayStep) -> None:
    assert step.doc_id in MANIFEST, f"unknown doc_id {step.doc_id!r}"
    wanted = _collapse(step.quote)
    assert any(wanted in passage for passage in _passages(step.doc_id)), step.quote


def test_worried_about_a_child_starts_with_999_and_cannot_be_shown_without_it() -> None:
    worried = PATHWAYS.get("worried-about-a-child")
    assert worried is not None
    first = worried.steps[0]
    assert "999" in first.quote and first.required


def _structured_quotes() -> Iterator[tuple[str, dict[str, Any]]]:
    for name in STRUCTURED_FILES:
        path = CORPUS / name
        if path.exists():
            for quote in quote_nodes(yaml.safe_load(path.read_text(encoding="utf-8"))):
                if "doc_id" in quote:
                    yield name, quote


def test_no_structured_guidance_quotes_a_superseded_document() -> None:
    stale = []
    for name, quote in _structured_quotes():
        doc = MANIFEST.get(quote["doc_id"])
        if doc is not None and doc.status == "superseded":
            instead = f" (replaced by {doc.replaced_by})" if doc.replaced_by else ""
            stale.append(f"{name}: {doc.id}{instead}: {quote['quote'][:60]}")
    assert not stale, "move these quotes to the document that replaced it:\n" + "\n".join(stale)


def test_the_superseded_check_sees_every_structured_file() -> None:
    names = {name for name, _ in _structured_quotes()}
    assert {"thresholds.yaml", "escalation.yaml", PATHWAYS_NAME} <= names
