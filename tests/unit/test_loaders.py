"""Loaders: each file type becomes text with its headings kept; bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import DocumentError, load_document, load_documents
from assistant.corpus.loaders import LOADERS, load_raw_text, supported_suffixes
from assistant.types import SourceDocument


def source(file: str) -> SourceDocument:
    return SourceDocument(
        id="test-doc",
        title="Test document",
        publisher="Test publisher",
        partnership="lambeth",
        kind="procedure",
        published="2024-01-01",
        status="current",
        file=file,
    )


def test_registry_covers_every_supported_type() -> None:
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} <= set(supported_suffixes())
    assert LOADERS[".htm"] is LOADERS[".html"]


def test_text_and_markdown_are_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text("# Escalation\n\nSpeak to your DSL – today.\n", encoding="utf-8")
    assert load_raw_text(path) == "# Escalation\n\nSpeak to your DSL – today.\n"


def test_non_utf8_text_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Children’s Social Care".encode("cp1252"))
    with pytest.raises(DocumentError) as caught:
        load_raw_text(path)
    assert "not UTF-8" in caught.value.reason
    assert "legacy.txt" in str(caught.value)


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \n"])
def test_empty_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=r"empty file|no text found"):
        load_raw_text(path)


def test_missing_and_unsupported_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="file not found") as caught:
        load_raw_text(tmp_path / "gone.pdf")
    assert "gone.pdf" in str(caught.value)
    odd = tmp_path / "minutes.rtf"
    odd.write_text("{\\rtf1 hello}", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"unsupported file type '\.rtf'"):
        load_raw_text(odd)


def test_load_document_reports_the_manifest_file_name(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(source("documents/missing.txt"), tmp_path)
    assert str(caught.value) == "documents/missing.txt: file not found"


def test_html_keeps_headings_lists_and_tables_and_drops_navigation(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<html><head><title>x</title><style>p {color: red}</style></head><body>
        <nav><a href="/">Home</a> | <a href="/about">About us</a></nav>
        <h1>Escalation policy</h1>
        <p>When you disagree with a decision, <b>talk first</b>.</p>
        <h2>Stages</h2>
        <ul><li>Speak to the worker</li><li>Speak to their manager</li></ul>
        <table><tr><th>Stage</th><th>Timescale</th></tr>
               <tr><td>Stage 1</td><td>2 working days</td></tr></table>
        <script>track()</script>
        </body></html>""",
        encoding="utf-8",
    )
    text = load_raw_text(path)
    assert "# Escalation policy" in text
    assert "## Stages" in text
    assert "When you disagree with a decision, talk first." in text
    assert "• Speak to the worker\n• Speak to their manager" in text
    assert "Stage\tTimescale\nStage 1\t2 working days" in text
    assert "Home" not in text and "track()" not in text and "color" not in text


def test_html_document_is_sectioned_by_its_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<h1>Escalation policy</h1><p>Intro text for everyone who works with children.</p>"
        "<h2>Stages</h2><p>Stage one is a conversation with the worker concerned.</p>",
        encoding="utf-8",
    )
    clean = load_document(source("page.html"), tmp_path)
    paths = [s.heading_path for s in clean.sections]
    assert paths == [["Escalation policy"], ["Escalation policy", "Stages"]]
    assert "<" not in clean.text and "#" not in clean.text


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Information sharing", level=1)
    document.add_paragraph("Share information when a child may be at risk of harm.")
    document.add_heading("Who to contact", level=2)
    document.add_paragraph("Your designated safeguarding lead", style="List Bullet")
    document.add_paragraph("The Integrated Referral Hub", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Service"
    table.cell(0, 1).text = "When"
    table.cell(1, 0).text = "Emergency"
    table.cell(1, 1).text = "Call 999"
    document.save(str(path))


def test_docx_heading_styles_lists_and_tables_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "guide.docx"
    make_docx(path)
    text = load_raw_text(path)
    assert text.startswith("# Information sharing\n\nShare information")
    assert "## Who to contact" in text
    assert "• Your designated safeguarding lead\n• The Integrated Referral Hub" in text
    assert "Service\tWhen\nEmergency\tCall 999" in text
    clean = load_document(source("guide.docx"), tmp_path)
    assert ["Information sharing", "Who to contact"] in [s.heading_path for s in clean.sections]
    assert "Service | When\nEmergency | Call 999" in clean.text


def make_pdf(path: Path, pages: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for number, body in enumerate(pages, start=1):
        pdf.add_page()
        pdf.cell(0, 8, "Lambeth Safeguarding Children Partnership", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, body)
        pdf.set_y(-20)
        pdf.cell(0, 8, f"Page {number} of {len(pages)}")
    pdf.output(str(path))


def test_pdf_text_is_extracted_without_running_headers(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    make_pdf(
        path,
        [
            "Thresholds\nThe continuum of need helps practitioners describe a child's needs.",
            "Escalation\nIf you disagree with a decision, speak to your manager first.",
            "Contacts\nThe Integrated Referral Hub takes consultations on weekdays.",
        ],
    )
    raw = load_raw_text(path)
    assert "continuum of need" in raw
    assert "Lambeth Safeguarding Children Partnership" not in raw
    clean = load_document(source("report.pdf"), tmp_path)
    assert "Page 2 of 3" not in clean.text
    assert "If you disagree with a decision, speak to your manager first." in clean.text


def test_corrupt_pdf_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\n")
    with pytest.raises(DocumentError, match="PDF") as caught:
        load_raw_text(path)
    assert "broken.pdf" in str(caught.value)


def test_corrupt_docx_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 definitely not a zip archive")
    with pytest.raises(DocumentError, match="corrupt or unreadable DOCX"):
        load_raw_text(path)


def test_bad_documents_are_reported_by_name_and_reason_and_the_rest_load(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("# Guide\n\nSpeak to your DSL the same day.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Children’s Social Care".encode("cp1252"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    names = ["good.md", "empty.txt", "latin1.txt", "broken.pdf", "missing.docx"]
    loaded, failed = load_documents([source(name) for name in names], tmp_path)
    assert [doc.doc.file for doc in loaded] == ["good.md"]
    reasons = {error.path: error.reason for error in failed}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["latin1.txt"].startswith("not UTF-8")
    assert reasons["broken.pdf"].startswith("corrupt or unreadable PDF")
    assert reasons["missing.docx"] == "file not found"


def test_a_file_with_nothing_left_after_cleaning_is_refused(tmp_path: Path) -> None:
    (tmp_path / "furniture.txt").write_text("12\n\n13\n\n[image: ]\n")
    with pytest.raises(DocumentError, match="no text left after cleaning"):
        load_document(source("furniture.txt"), tmp_path)
