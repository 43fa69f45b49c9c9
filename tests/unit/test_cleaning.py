"""Cleaning: the conversion noise found in the seed documents is removed, text stays readable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.corpus.cleaning import clean_blocks, clean_inline, clean_text

REPO_ROOT = Path(__file__).resolve().parents[2]
FRAGMENTS = REPO_ROOT / "tests" / "data" / "seed-fragments"
SEEDS = REPO_ROOT / "corpus" / "documents"
SEED_FILES = [
    "lambeth-lscp-annual-report-2023-24.txt",
    "lambeth-lscp-annual-report-2020-21.txt",
    "lambeth-safeguarding-arrangements-2025.txt",
    "lambeth-roadmap-to-excellence-2023-26.txt",
    "lewisham-lscb-annual-report-2016-17.txt",
]
MENU_LINES = ["INDEPENDENT CHAIR", "AND SCRUTINEER", "REPORT ON", "WHAT WENT", "CHALLENGES &"]


def fragment(name: str) -> str:
    return (FRAGMENTS / name).read_text(encoding="utf-8")


def test_repeated_navigation_menu_is_removed_but_page_titles_stay() -> None:
    raw = fragment("lscp-2023-24-pages.txt")
    assert raw.count("INDEPENDENT CHAIR\nAND SCRUTINEER") == 2
    blocks = clean_blocks(raw)
    text = "\n\n".join(b.text for b in blocks)
    for menu_line in MENU_LINES:
        assert menu_line not in text
    assert "LOOKING AHEAD" not in text
    titles = [b.text for b in blocks if b.page_title]
    assert titles == ["Introduction"]
    assert "Who we are and what we do as a Partnership" in text


def test_real_headings_next_to_the_menu_are_not_taken_for_it() -> None:
    text = clean_text((SEEDS / "lambeth-lscp-annual-report-2023-24.txt").read_text())
    assert "\n\nEDUCATION\n\nImprovement in GCSE Performance" in text
    assert "\n\nHEALTH\n\n• The Integrated Care Board (ICB)" in text


def test_wrapped_infographic_lines_and_emphasis_become_sentences() -> None:
    text = clean_text(fragment("lscp-2023-24-pages.txt"))
    assert (
        "Between April 2023 to March 2024, Lambeth's Integrated Referral Hub received 14,063 "
        "contacts relating to children." in text
    )
    assert "**" not in text


def test_bookmark_tags_become_headings_and_other_tags_disappear() -> None:
    blocks = clean_blocks(fragment("arrangements-bookmarks.txt"))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings[:4] == [
        "Foreword",
        "Our Shared Commitment",
        "Introduction",
        "Our Commitment to Active Anti-Racist Practice",
    ]
    text = "\n\n".join(b.text for b in blocks)
    assert "[bookmark" not in text and "_Toc" not in text


def test_image_and_highlight_tags_are_removed() -> None:
    raw = "The structure is as follows:\n[image: ]\n\n[bookmark: _Hlk187744604]Metropolitan Police"
    text = clean_text(raw)
    assert "[image" not in text and "_Hlk" not in text
    assert "Metropolitan Police" in text


def test_lists_without_bullets_after_a_colon_become_list_items() -> None:
    text = clean_text(fragment("arrangements-bookmarks.txt"))
    assert (
        "three key safeguarding partners:\n• Metropolitan Police\n"
        "• Southeast London Integrated Care System (SEL ICS)\n• Lambeth Council"
    ) in text
    assert "· Robust governance structures" not in text
    assert "• Robust governance structures" in text


def test_table_of_contents_page_numbers_are_removed() -> None:
    text = clean_text(fragment("annual-report-2020-21-contents.txt"))
    assert not text.startswith("Contents")
    assert not re.search(r"^\d+$", text, flags=re.MULTILINE)
    assert text.startswith("Executive Summary\n\nThe last year has been generation-defining.")


def test_toc_number_column_and_tab_contents_are_removed_from_real_seeds() -> None:
    report = clean_text((SEEDS / "lambeth-lscp-annual-report-2023-24.txt").read_text())
    assert not re.search(r"^\d{1,3}$", report, flags=re.MULTILINE)
    roadmap = clean_text((SEEDS / "lambeth-roadmap-to-excellence-2023-26.txt").read_text())
    assert "Contents" not in roadmap
    assert "1 Foreword | 3" not in roadmap and "Foreword\t3" not in roadmap
    lewisham = clean_text((SEEDS / "lewisham-lscb-annual-report-2016-17.txt").read_text())
    assert "Table of Contents" not in lewisham
    assert "Chapter 5: Private Fostering" not in lewisham


def test_numbers_counting_a_list_are_kept_as_numbering() -> None:
    roadmap = clean_text((SEEDS / "lambeth-roadmap-to-excellence-2023-26.txt").read_text())
    assert "1. Timeliness, oversight and effectiveness of pre-proceedings" in roadmap
    assert "7. Life-story work for all children with a longer-term plan." in roadmap


def test_a_figure_on_its_own_line_is_kept_with_its_label() -> None:
    text = clean_text("130\n\nlanguages are\nspoken in Lambeth\n\n12\n\nThe next page.")
    assert text == "130 languages are spoken in Lambeth\n\nThe next page."


def test_table_broken_across_pages_is_one_table_of_readable_records() -> None:
    text = clean_text(fragment("roadmap-table-pages.txt"))
    assert text.count("Priority 1: Excellent Help and Protection") == 1
    assert "Action | Where identified" not in text and "\t" not in text
    assert "<ul" not in text and "<p>" not in text and "</p>" not in text
    record = (
        "1.1 Deliver our Early Help Partnership Strategy to ensure that families have access "
        "to the right support, advice and help at the right time.\n"
        "Where identified: CS Business Plan\nOutputs:\n"
        "• Improve access to early help information, advice and support including a "
        "simplified early help toolkit\n"
    )
    assert record in text
    # The row that continued on the next page is joined back onto its item.
    assert (
        "• Implement revised Case Transfer Protocol setting out a clear process and "
        "timescales for moving cases between social work teams\n"
        "• Undertake consultation of Children With Disabilities (CWD) Levels of Need"
    ) in text
    assert "By when: March 2024\nIntended outcomes: Families and professionals" in text
    assert (
        "Intended outcomes: Children's needs will be met in a planned way as they reach adulthood"
    ) in text


def test_short_tables_become_pipe_separated_rows() -> None:
    raw = (
        "Course name\tNot started\tIn process\tCompleted\tTotal enrolled\n"
        "Safeguarding Children – Level 2\t0\t0\t95\t95\n"
        "Total\t0\t10\t919\t929\n"
        "------\t------\n"
    )
    assert clean_text(raw) == (
        "Course name | Not started | In process | Completed | Total enrolled\n"
        "Safeguarding Children – Level 2 | 0 | 0 | 95 | 95\n"
        "Total | 0 | 10 | 919 | 929"
    )


def test_html_inside_lewisham_table_cells_is_undone() -> None:
    text = clean_text(fragment("lewisham-numbered-headings.txt"))
    assert "<u>" not in text and "<i>" not in text
    assert "Number of cases referred to Children's Social Care" in text


def test_paragraph_broken_by_a_page_break_is_joined() -> None:
    raw = (
        "Localised ethnic disparities remain with most of those known to our Youth "
        "Offending Service, identifying\n\nas Black or Black British and rates remain high."
    )
    assert clean_text(raw) == (
        "Localised ethnic disparities remain with most of those known to our Youth "
        "Offending Service, identifying as Black or Black British and rates remain high."
    )


def test_repeated_block_after_a_page_break_is_dropped() -> None:
    report = clean_text((SEEDS / "lambeth-lscp-annual-report-2023-24.txt").read_text())
    assert report.count("Embedding a Child-Centred Culture: Promoting a culture") == 1


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("- **Stable Leadership:** The appointment", "- Stable Leadership: The appointment"),
        ("as set out in *Working Together 2018*, the", "as set out in Working Together 2018, the"),
        ("the <u>Lambeth Made Safer strategy</u> was", "the Lambeth Made Safer strategy was"),
        ("criteria in [Working Together 2015](#).", "criteria in Working Together 2015."),
        ("the [Continuum of Need \\(CON\\)](#).", "the Continuum of Need (CON)."),
        ("Teach Lambeth: <https://teachlambeth.com/>", "Teach Lambeth: https://teachlambeth.com/"),
        ("see [the guide](https://example.org/g)", "see the guide (https://example.org/g)"),
    ],
)
def test_inline_markup_is_removed(raw: str, clean: str) -> None:
    assert clean_inline(raw) == clean


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_documents_have_no_conversion_noise_left(name: str) -> None:
    text = clean_text((SEEDS / name).read_text(encoding="utf-8"))
    for noise in ("[bookmark", "[image:", "<ul", "<p>", "</p>", "<u>", "**", "\t", "- >"):
        assert noise not in text, noise
    assert not re.search(r"^\d{1,3}$", text, flags=re.MULTILINE)  # orphan page numbers
    assert "\n\n\n" not in text
    assert len(text.split()) > 0.8 * len((SEEDS / name).read_text().split()) - 2000
