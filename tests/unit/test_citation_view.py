"""Citations you can check: one number per passage, sources grouped by document."""

from __future__ import annotations

from datetime import date

from assistant.server.citation_view import by_passage, source_groups
from assistant.server.contexts import answer_context, plain_answer_text
from assistant.types import Answer, Citation


def _cite(n: int, doc: str, passage: str, quote: str, section: str = "Referrals") -> Citation:
    return Citation(
        n=n,
        doc_id=doc,
        title=f"Title of {doc}",
        section=f"Title of {doc} › {section}",
        url=f"/sources/{doc}#p-{passage}",
        quote=quote,
        passage_id=passage,
        published=date(2025, 1, 1),
        status="current",
        publisher="Lambeth Safeguarding Children Partnership",
        source_url=f"https://example.org/{doc}",
    )


def _answer(text: str, citations: list[Citation]) -> Answer:
    return Answer(answer=text, citations=citations, notices=[], refused=False, answer_id="a1")


# Three sentences of passage p1 (as the verifier numbers them: one per quote), one of p2.
CITATIONS = [
    _cite(1, "arr", "p1", "Phone the IRH."),
    _cite(2, "arr", "p2", "Send a MARF within 24 hours.", section="Forms"),
    _cite(3, "arr", "p1", "The IRH gives advice."),
    _cite(4, "brief", "b1", "Neglect is persistent."),
    _cite(5, "arr", "p1", "It decides the next step."),
]
TEXT = "Lead.\n\n- Phone the IRH. [1]\n- Send a MARF. [2]\n- Advice. [3][5]\n- Neglect. [4][1]"


def test_one_number_per_passage_and_markers_follow() -> None:
    merged = by_passage(_answer(TEXT, CITATIONS))
    numbers = [(c.n, c.passage_id) for c in merged.answer.citations]
    assert numbers == [(1, "p1"), (2, "p2"), (3, "b1")]
    assert merged.answer.answer == (
        "Lead.\n\n- Phone the IRH. [1]\n- Send a MARF. [2]\n- Advice. [1]\n- Neglect. [3][1]"
    )
    assert merged.quotes[1] == [
        "Phone the IRH.",
        "The IRH gives advice.",
        "It decides the next step.",
    ]


def test_numbering_follows_first_mention_in_the_text() -> None:
    text = "- B. [4]\n- A. [3]"
    merged = by_passage(_answer(text, CITATIONS))
    assert merged.answer.answer == "- B. [1]\n- A. [2]"
    assert [c.passage_id for c in merged.answer.citations][:2] == ["b1", "p1"]
    # Citations never mentioned in the text are still listed, after the others.
    assert [c.passage_id for c in merged.answer.citations][2:] == ["p2"]


def test_sources_grouped_by_document_with_their_sections() -> None:
    merged = by_passage(_answer(TEXT, CITATIONS)).answer.citations
    groups = source_groups(merged, {1: "Referrals", 2: "Forms", 3: ""})
    assert [g.doc_id for g in groups] == ["arr", "brief"]
    assert [(s.n, s.section) for s in groups[0].sections] == [(1, "Referrals"), (2, "Forms")]
    assert groups[1].sections[0].section == "Passage"  # never an empty link
    assert groups[0].source_url == "https://example.org/arr"
    assert groups[0].sections[0].url == "/sources/arr#p-p1"


def test_page_context_markers_sources_and_copy_text_agree() -> None:
    ctx = answer_context(_answer(TEXT, CITATIONS))
    markers = [
        seg["n"]
        for block in ctx["blocks"]
        for item in block.get("items", [block.get("segments", [])])
        for seg in item
        if seg["type"] == "cite"
    ]
    listed = sorted(s["n"] for g in ctx["source_groups"] for s in g["sections"])
    assert sorted(set(markers)) == listed == [1, 2, 3]
    assert len(ctx["source_groups"]) == 2
    preview = next(c for c in ctx["citations"] if c["n"] == 1)
    assert len(preview["quotes"]) == 3
    assert preview["preview_id"] == "preview-a1-1"
    assert all(
        seg.get("preview_id") == f"preview-a1-{seg['n']}"
        for block in ctx["blocks"]
        for item in block.get("items", [])
        for seg in item
        if seg["type"] == "cite"
    )
    plain = ctx["plain_text"]
    assert plain.count("[1] Title of arr") == 1 and "[4]" not in plain and "[5]" not in plain


def test_plain_text_of_an_unmerged_answer_is_unchanged() -> None:
    # by_passage is a display step: the Answer itself (API, audit) keeps its numbering.
    answer = _answer(TEXT, CITATIONS)
    by_passage(answer)
    assert "[5]" in answer.answer and len(answer.citations) == 5
    assert "[5]" in plain_answer_text(answer)
