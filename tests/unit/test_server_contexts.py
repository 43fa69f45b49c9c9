"""Template contexts: what the pages show is decided here, so it is tested here."""

from __future__ import annotations

from datetime import date

from assistant.server.contexts import (
    AI_LABEL,
    answer_blocks,
    answer_context,
    document_context,
    format_date,
    ordered_notices,
    partnership_label,
    passage_context,
    plain_answer_text,
    source_row_context,
    structured_context,
)
from assistant.types import Answer, Citation, Notice, SourceInfo
from tests.fakes import FakeAssistant


def _citation(n: int = 1, **extra: object) -> Citation:
    data: dict[str, object] = {
        "n": n,
        "doc_id": "doc-a",
        "title": "Arrangements",
        "section": "Referrals",
        "url": f"/sources/doc-a#p-p{n}",
        "quote": "Phone the IRH.",
        "passage_id": f"p{n}",
        "published": date(2025, 1, 1),
        "status": "current",
        "publisher": "LSCP",
    }
    data.update(extra)
    return Citation.model_validate(data)


def _answer(text: str, citations: list[Citation], notices: list[Notice] | None = None) -> Answer:
    return Answer(
        answer=text,
        citations=citations,
        notices=notices or [],
        refused=False,
        answer_id="a1",
        question="How do I refer?",
    )


def test_notices_are_ordered_emergency_first() -> None:
    notices = [
        Notice(kind="out_of_date", text="old"),
        Notice(kind="personal_data", text="pd"),
        Notice(kind="not_covered", text="nc"),
        Notice(kind="emergency", text="999"),
        Notice(kind="decision", text="dec"),
    ]
    kinds = [n.kind for n in ordered_notices(notices)]
    assert kinds == ["emergency", "decision", "personal_data", "not_covered", "out_of_date"]


def test_emergency_is_an_alert_only_when_announced() -> None:
    answer = _answer("Call 999.", [], [Notice(kind="emergency", text="Call 999 now.")])
    assert answer_context(answer, reminder="r", announce=True)["danger"].role == "alert"
    assert answer_context(answer, reminder="r")["danger"].role is None


def test_every_notice_has_a_title_and_an_icon_not_just_colour() -> None:
    for kind in ("emergency", "decision", "personal_data", "not_covered", "out_of_date"):
        ctx = answer_context(_answer("x", [], [Notice(kind=kind, text="t")]), reminder="r")  # type: ignore[arg-type]
        shown = ctx["danger"].sections[0] if ctx["danger"] else ctx["about"][0]
        assert shown.title and shown.icon.endswith(".svg")


def test_markers_become_citation_segments_and_unknown_markers_are_dropped() -> None:
    blocks = answer_blocks("Phone the IRH [1]. Also this [7].", [_citation(1)])
    segments = blocks[0]["segments"]
    cites = [s for s in segments if s["type"] == "cite"]
    assert [c["n"] for c in cites] == [1]
    assert cites[0]["panel_url"] == "/sources/doc-a/passages/p1"
    assert "[7]" not in "".join(s.get("text", "") for s in segments)


def test_answer_text_is_never_markup() -> None:
    blocks = answer_blocks("<script>alert(1)</script> **bold** [1]", [_citation(1)])
    segments = blocks[0]["segments"]
    assert segments[0] == {"type": "text", "text": "<script>alert(1)</script> "}
    assert segments[1] == {"type": "strong", "text": "bold"}


def test_lists_and_paragraphs_are_parsed() -> None:
    blocks = answer_blocks(
        "Lead:\n\n- one [1]\n- two [1, 2]\n\n1. first\n2. second", [_citation(1), _citation(2)]
    )
    assert [b["type"] for b in blocks] == ["p", "ul", "ol"]
    assert len(blocks[1]["items"]) == 2
    assert [s["n"] for s in blocks[1]["items"][1] if s["type"] == "cite"] == [1, 2]


def test_answer_context_has_label_reminder_and_feedback_ids() -> None:
    ctx = answer_context(_answer("Phone [1].", [_citation(1)]), reminder="Decisions are yours.")
    assert ctx["ai_label"] == AI_LABEL == "AI-assisted answer"
    assert ctx["decision_reminder"] == "Decisions are yours."
    assert ctx["passage_ids"] == ["p1"] and ctx["doc_ids"] == ["doc-a"]
    assert ctx["citations"][0]["published"] == "1 January 2025"


def test_prepared_summary_is_labelled_as_such() -> None:
    ctx = answer_context(
        _answer("x [1]", [_citation(1, prepared_for_assistant=True)]), reminder="r"
    )
    assert ctx["citations"][0]["status_label"] == "summary prepared for this assistant"


def test_plain_text_lists_sources_for_copying() -> None:
    text = plain_answer_text(_answer("**Phone** the IRH [1].", [_citation(1)]))
    assert text.startswith("Phone the IRH [1].")
    assert (
        "Sources:" in text
        and "[1] Arrangements — Referrals (LSCP, 1 January 2025, current)" in text
    )


def test_default_reminder_comes_from_the_notices_module_when_present() -> None:
    ctx = answer_context(_answer("x", []))
    assert ctx["decision_reminder"]


def test_document_context_gives_every_passage_one_anchor() -> None:
    fake = FakeAssistant()
    view = fake.document("fake-arrangements")
    assert view is not None
    ctx = document_context(view)
    anchors = [s["anchor"] for sec in ctx["sections"] for s in sec["segments"] if s["passage_id"]]
    assert anchors == [f"p-{p.id}" for p in view.passages]
    headings = [sec["heading"] for sec in ctx["sections"]]
    assert headings == ["Referrals", "Escalation"]
    # A heading is not repeated as a paragraph.
    first_paras = ctx["sections"][0]["segments"][0]["paragraphs"]
    assert "Referrals" not in first_paras


def test_passage_context_highlights_the_passage_in_its_section() -> None:
    view = FakeAssistant().document("fake-arrangements")
    assert view is not None
    second = view.passages[1]
    ctx = passage_context(view, second.id)
    assert ctx is not None
    assert ctx["passage"] == [second.text.strip()]
    assert view.passages[0].text.strip() in ctx["before"]
    assert ctx["document_url"] == f"/sources/fake-arrangements#p-{second.id}"
    assert ctx["doc"]["publisher"] and ctx["doc"]["status_label"] == "current"
    assert passage_context(view, "missing") is None


def test_source_rows_show_type_date_status_and_passage_count() -> None:
    info = FakeAssistant().sources(kind="briefing")[0]
    row = source_row_context(SourceInfo.model_validate(info.model_dump()))
    assert row["kind"] == "Briefing"
    assert row["published"] == "1 June 2025"
    assert row["status_label"] == "summary prepared for this assistant"
    assert row["passage_count"] == 2


def test_structured_context_renders_any_json_shape() -> None:
    ctx = structured_context(
        {
            "title": "Levels",
            "summary": "Four",
            "levels": [{"level": 1, "name": "Universal"}],
            "source": {"title": "Doc", "url": "/sources/d#p-1"},
            "flag": True,
        },
        "Default",
    )
    assert ctx["title"] == "Levels" and ctx["summary"] == "Four" and ctx["available"]
    kinds = {f["label"]: f["kind"] for f in ctx["node"]["fields"]}
    assert kinds == {"Levels": "list", "Source": "link", "Flag": "text"}
    assert structured_context({}, "Default") == {
        "title": "Default",
        "summary": None,
        "available": False,
        "node": None,
    }


def test_labels_and_dates() -> None:
    assert partnership_label("lambeth") == "Lambeth Safeguarding Children Partnership"
    assert partnership_label("new-borough").startswith("New Borough")
    assert format_date(date(2024, 3, 31)) == "31 March 2024"


def test_structured_quotes_keep_their_citation_and_levels_get_headings() -> None:
    data = {
        "source_doc": "guide",
        "levels": [
            {
                "level": 2,
                "name": "Early help",
                "summary": {
                    "quote": "At Level 2, a child has additional needs.",
                    "doc_id": "guide",
                    "citation": {"title": "Guide", "url": "/sources/guide#p-1", "section": "L2"},
                },
                "caveat": None,
            }
        ],
    }
    node = structured_context(data, "T")["node"]
    assert [f["label"] for f in node["fields"]] == ["Levels"]  # source_doc hidden
    level = node["fields"][0]["items"][0]
    assert level["heading"] == "Level 2: Early help"
    summary = level["fields"][0]
    assert summary["kind"] == "quote"
    assert summary["cite"] == {
        "title": "Guide",
        "url": "/sources/guide#p-1",
        "section": "L2",
        "status": "",
    }
    assert len(level["fields"]) == 1  # the null caveat is not shown


def test_section_label_drops_the_repeated_document_title() -> None:
    ctx = answer_context(
        _answer("x [1]", [_citation(1, section="Arrangements › Referrals")]), reminder="r"
    )
    assert ctx["citations"][0]["section"] == "Referrals"
    assert ctx["citations"][0]["label"] == "Source 1: Arrangements, Referrals"


def test_list_lines_in_documents_stay_on_their_own_lines() -> None:
    from assistant.server.contexts import _paragraphs

    assert _paragraphs("Intro line\ncontinues.\n\n• one\n• two\n1. three") == [
        "Intro line continues.",
        "• one",
        "• two",
        "1. three",
    ]


def test_announcement_reads_the_answer_once_without_marker_noise() -> None:
    from assistant.server.contexts import announcement_text

    answer = _answer(
        "Lead:\n\n- Phone the IRH [1].\n- Then send the form [2].",
        [_citation(1), _citation(2)],
        [Notice(kind="emergency", text="Call 999."), Notice(kind="decision", text="Yours.")],
    )
    text = announcement_text(answer)
    assert text.startswith("Answer ready.")
    assert "Call 999" not in text  # already announced as an alert when it arrived
    assert "Yours." in text
    assert "[1]" not in text and "/sources/" not in text
    assert text.endswith("2 sources listed below the answer.")
