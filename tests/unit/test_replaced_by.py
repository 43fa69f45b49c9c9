"""Replacing a summary with the original: the manifest checks ``replaced_by``, the original
ranks first, and the summary is shown (and cited) as superseded, naming its replacement."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from fastapi.testclient import TestClient

from assistant.corpus import ManifestError, load_manifest
from assistant.ingest import ingest
from assistant.notices import out_of_date_notice
from assistant.pipeline import Assistant
from assistant.retrieval import Retriever
from assistant.server.app import create_app
from assistant.server.contexts import document_context, status_label, status_tone
from assistant.settings import RetrievalSettings, Settings
from assistant.store import VectorStore
from assistant.types import SourceDocument
from tests.support import REPO, HashEmbedder, manifest_entry, paragraph, write_corpus

SUMMARY_ID = "lado-summary"
ORIGINAL_ID = "lado-procedure-2024"
ORIGINAL_TITLE = "Managing allegations against staff: LADO procedure 2024"

SUMMARY_TEXT = f"""# Allegations against staff: a summary

## Telling the LADO

Tell the Local Authority Designated Officer (LADO) about an allegation against a member of
staff within one working day. The LADO decides with you what happens next.

## Annual report

The LADO service publishes its annual report each summer, with the number of referrals.

## Other guidance

{paragraph("early help assessment")}
"""

ORIGINAL_PARAGRAPHS = [
    (
        "Heading 1",
        "Managing allegations against staff",
    ),
    (
        None,
        "An allegation against a member of staff must be reported to the Local Authority "
        "Designated Officer (LADO) within one working day of the allegation being made.",
    ),
    (None, "The LADO and the employer agree what happens next."),
    ("Heading 2", "Strategy discussions"),
    (None, paragraph("strategy discussion")),
]


def _write_docx(path: Path) -> None:
    document = docx.Document()
    for style, text in ORIGINAL_PARAGRAPHS:
        if style:
            document.add_heading(text, level=int(style[-1]))
        else:
            document.add_paragraph(text)
    document.save(str(path))


def _entry(doc_id: str, **fields: Any) -> dict[str, Any]:
    return manifest_entry(doc_id, publisher="Lambeth Safeguarding Children Partnership", **fields)


def _corpus(folder: Path) -> Path:
    corpus = write_corpus(folder, {})
    for name in ("crisis.yaml",):  # corpus files the Assistant reads beside the register
        if (REPO / "corpus" / name).exists() and not (corpus / name).exists():
            shutil.copy(REPO / "corpus" / name, corpus / name)
    (corpus / "documents" / f"{SUMMARY_ID}.md").write_text(SUMMARY_TEXT, encoding="utf-8")
    _write_docx(corpus / "documents" / f"{ORIGINAL_ID}.docx")
    entries = [
        _entry(
            SUMMARY_ID,
            title="Allegations against staff: summary prepared for this assistant",
            prepared_for_assistant=True,
            status="superseded",
            replaced_by=ORIGINAL_ID,
            period="summary of the 2023 procedure",
        ),
        _entry(ORIGINAL_ID, title=ORIGINAL_TITLE, file=f"documents/{ORIGINAL_ID}.docx"),
    ]
    (corpus / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}), "utf-8")
    return corpus


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("replaced")
    settings = Settings(data_dir=root / "data", corpus_dir=_corpus(root / "corpus"))
    embedder = HashEmbedder()
    report = ingest(settings, embedder, VectorStore(settings.chroma, settings.data_dir))  # type: ignore[arg-type]
    assert report.ok, report.problems
    assistant = Assistant(settings, embedder=embedder)  # type: ignore[arg-type]
    assistant.load()
    return assistant


# ---------------------------------------------------------------- manifest


def _manifest_error(tmp_path: Path, *entries: dict[str, Any]) -> str:
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump({"documents": list(entries)}), "utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(tmp_path)
    return str(caught.value)


def test_the_manifest_accepts_a_superseded_summary_naming_its_original(tmp_path: Path) -> None:
    docs = load_manifest(_corpus(tmp_path))
    summary = next(d for d in docs if d.id == SUMMARY_ID)
    assert summary.replaced_by == ORIGINAL_ID and summary.status == "superseded"


def test_replaced_by_must_name_a_document_in_the_manifest(tmp_path: Path) -> None:
    message = _manifest_error(
        tmp_path, _entry("summary", status="superseded", replaced_by="not-there")
    )
    assert "entry 1 (id 'summary')" in message
    assert "replaced_by 'not-there' is not the id of a document in the manifest" in message


def test_a_document_with_replaced_by_must_be_superseded(tmp_path: Path) -> None:
    message = _manifest_error(
        tmp_path, _entry("summary", replaced_by="original"), _entry("original")
    )
    assert "entry 1 (id 'summary')" in message
    assert "must have status 'superseded' (got 'current')" in message


def test_replaced_by_cannot_name_itself_or_go_round_in_a_circle(tmp_path: Path) -> None:
    assert "names the document itself" in _manifest_error(
        tmp_path, _entry("summary", status="superseded", replaced_by="summary")
    )
    message = _manifest_error(
        tmp_path,
        _entry("a", status="superseded", replaced_by="b"),
        _entry("b", status="superseded", replaced_by="a"),
    )
    assert "goes round in a circle" in message


# ---------------------------------------------------------------- ranking and display

QUESTION = "when do I tell the LADO about an allegation against a member of staff"
"""Worded like the summary, so the summary would rank first if it had not been replaced."""


def test_the_original_ranks_above_the_summary_it_replaced(assistant: Assistant) -> None:
    hits = assistant.search(QUESTION, k=6)
    ranked = [hit.doc.id for hit in hits]
    assert ORIGINAL_ID in ranked and SUMMARY_ID in ranked, ranked
    assert ranked.index(ORIGINAL_ID) < ranked.index(SUMMARY_ID)
    best_summary = max(h.score for h in hits if h.doc.id == SUMMARY_ID)
    best_original = max(h.score for h in hits if h.doc.id == ORIGINAL_ID)
    assert best_original > best_summary


def test_without_the_extra_penalty_the_summary_still_ranks_below_its_original(
    assistant: Assistant,
) -> None:
    neutral = Retriever(
        assistant.retriever.generation,
        assistant.embedder,
        assistant.store(),
        RetrievalSettings(replaced_weight=1.0),
    )
    ranked = [hit.doc.id for hit in neutral.search(QUESTION, "lambeth", 6).hits]
    assert ranked[0] == ORIGINAL_ID and ranked[1] == SUMMARY_ID


def test_naming_the_summary_s_year_does_not_lift_it_above_the_original(
    assistant: Assistant,
) -> None:
    ranked = [hit.doc.id for hit in assistant.search(f"{QUESTION} in the 2023 summary", k=6)]
    assert ranked.index(ORIGINAL_ID) < ranked.index(SUMMARY_ID)


def test_the_source_listing_shows_the_summary_superseded_with_its_replacement(
    assistant: Assistant,
) -> None:
    listed = {info.doc.id: info.doc for info in assistant.sources()}
    summary = listed[SUMMARY_ID]
    assert summary.status == "superseded" and summary.replaced_by == ORIGINAL_ID
    assert summary.status_label == "superseded summary prepared for this assistant"
    assert listed[ORIGINAL_ID].replaced_by is None and listed[ORIGINAL_ID].status == "current"


def test_the_document_page_says_replaced_by_with_a_link(assistant: Assistant) -> None:
    view = assistant.document(SUMMARY_ID)
    assert view is not None and view.replaced_by is not None
    meta = document_context(view)["doc"]
    assert meta["replaced_by"] == {
        "id": ORIGINAL_ID,
        "title": ORIGINAL_TITLE,
        "url": f"/sources/{ORIGINAL_ID}",
    }
    assert meta["status_tone"] == "old"  # the "check for current guidance" warning shows
    original = assistant.document(ORIGINAL_ID)
    assert original is not None and document_context(original)["doc"]["replaced_by"] is None


def test_an_answer_citing_the_summary_carries_the_out_of_date_notice_naming_the_original(
    assistant: Assistant,
) -> None:
    # Only the summary holds this fact, so the answer has to cite it.
    answer = assistant.ask("when does the LADO service publish its annual report?")
    cited = {c.doc_id: c for c in answer.citations}
    assert SUMMARY_ID in cited, answer
    assert cited[SUMMARY_ID].status == "superseded"
    assert cited[SUMMARY_ID].replaced_by == ORIGINAL_ID
    notices = [n for n in answer.notices if n.kind == "out_of_date"]
    assert len(notices) == 1
    assert f"has been replaced by {ORIGINAL_TITLE}" in notices[0].text


def test_the_out_of_date_notice_names_a_replacement_by_title_or_id() -> None:
    summary = SourceDocument.model_validate(
        _entry("summary", title="A summary", status="superseded", replaced_by="original")
    )
    original = SourceDocument.model_validate(_entry("original", title="The original"))
    text = out_of_date_notice([summary], {"original": original}).text
    assert "A summary has been replaced by The original; use that document." in text
    assert "replaced by original;" in out_of_date_notice([summary]).text
    historical = SourceDocument.model_validate(_entry("old", title="Old", status="historical"))
    assert "replaced" not in out_of_date_notice([historical]).text


def test_status_labels_of_summaries_say_when_they_are_no_longer_current() -> None:
    assert status_label("current", True) == "summary prepared for this assistant"
    assert status_label("superseded", True) == "superseded summary prepared for this assistant"
    assert status_tone("current", True) == "summary"
    assert status_tone("superseded", True) == "old"


def test_the_web_page_and_json_listing_name_the_replacement(assistant: Assistant) -> None:
    with TestClient(create_app(assistant.settings, assistant=assistant)) as client:
        page = client.get(f"/sources/{SUMMARY_ID}")
        listed = client.get("/api/sources").json()["sources"]
    assert page.status_code == 200
    assert "Replaced by" in page.text and f'href="/sources/{ORIGINAL_ID}"' in page.text
    assert ORIGINAL_TITLE.split(":")[0] in page.text
    summary = next(s for s in listed if s["doc_id"] == SUMMARY_ID)
    assert summary["status"] == "superseded" and summary["replaced_by"] == ORIGINAL_ID
