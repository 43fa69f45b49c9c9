"""Sectioning: headings are recovered sensibly and sections point at the right text."""

from __future__ import annotations

from pathlib import Path

from assistant.corpus.cleaning import clean_blocks
from assistant.corpus.sectioning import build_sections
from assistant.types import Section

REPO_ROOT = Path(__file__).resolve().parents[2]
FRAGMENTS = REPO_ROOT / "tests" / "data" / "seed-fragments"
SEEDS = REPO_ROOT / "corpus" / "documents"


def sections_of(raw: str) -> tuple[str, list[Section]]:
    return build_sections(clean_blocks(raw))


def paths(raw: str) -> list[list[str]]:
    return [s.heading_path for s in sections_of(raw)[1]]


def body(text: str, sections: list[Section], heading: str) -> str:
    section = next(s for s in sections if s.heading_path and s.heading_path[-1] == heading)
    return text[section.start : section.end]


def test_markdown_headings_nest_by_level() -> None:
    raw = (
        "# Escalation guide\n\nWhy escalation matters for every practitioner.\n\n"
        "## Stage 1\n\nTalk to the worker.\n\n### Timescales\n\nWithin two days.\n\n"
        "## Stage 2\n\nTalk to their manager.\n"
    )
    assert paths(raw) == [
        ["Escalation guide"],
        ["Escalation guide", "Stage 1"],
        ["Escalation guide", "Stage 1", "Timescales"],
        ["Escalation guide", "Stage 2"],
    ]


def test_sections_cover_the_body_not_the_heading_line() -> None:
    text, sections = sections_of("# Thresholds\n\nLevel 1 needs are met by universal services.\n")
    assert text == "Thresholds\n\nLevel 1 needs are met by universal services."
    assert [text[s.start : s.end] for s in sections] == [
        "Level 1 needs are met by universal services."
    ]


def test_explicit_headings_switch_off_guessing() -> None:
    raw = (
        "# Partners\n\nThe partnership is led by three statutory partners.\n\n"
        "Metropolitan Police\n\nThe police lead on criminal investigations in the borough today."
    )
    assert paths(raw) == [["Partners"]]


def test_bookmark_headings_from_the_arrangements_seed() -> None:
    found = paths((FRAGMENTS / "arrangements-bookmarks.txt").read_text())
    assert found[:3] == [["Foreword"], ["Our Shared Commitment"], ["Introduction"]]
    assert ["Metropolitan Police"] not in found  # a list item, not a heading


def test_chapters_and_numbered_headings_nest_in_the_lewisham_seed() -> None:
    found = paths((FRAGMENTS / "lewisham-numbered-headings.txt").read_text())
    assert [
        "Chapter 3 LSCB Task Groups",
        "3.1 Monitoring, Evaluation and Service Improvement Task Group (MESI)",
    ] in found
    assert [
        "Chapter 3 LSCB Task Groups",
        "3.1 Monitoring, Evaluation and Service Improvement Task Group (MESI)",
        "3.1.2 Multi-Agency Audit on Child Sexual Exploitation (CSE)",
        "Themes",
    ] in found
    assert [
        "Chapter 3 LSCB Task Groups",
        "3.3 Policies Procedures & Training Task Group (PPT)",
    ] in [p[:2] for p in found]
    # 3.2.1 closes 3.1.x: numbered headings pop deeper numbers.
    assert not any(
        "3.1 Monitoring, Evaluation and Service Improvement Task Group (MESI)" in p
        and any(h.startswith("3.2") for h in p)
        for p in found
    )


def test_page_titles_named_by_the_menu_are_top_level_in_the_2023_24_report() -> None:
    text, sections = sections_of((SEEDS / "lambeth-lscp-annual-report-2023-24.txt").read_text())
    found = [s.heading_path for s in sections]
    assert ["Introduction", "Who we are and what we do as a Partnership"] in found
    assert ["What Went Well", "HEALTH"] in found
    assert [
        "Challenges & Next Steps",
        "CHILDREN'S SOCIAL CARE",
        "1. Workforce Stability and Development",
    ] in found
    assert [
        "Challenges & Next Steps",
        "EDUCATION",
        "1. Rising Child Poverty and Inequality",
    ] in found
    assert body(text, sections, "Subgroup Chairs").startswith("In accordance with section 11")


def test_short_lines_in_a_list_are_not_headings() -> None:
    found = paths((SEEDS / "lambeth-lscp-annual-report-2023-24.txt").read_text())
    headings = {h for p in found for h in p}
    for not_a_heading in (
        "Lambeth Public Health",
        "Home Start",
        "6 Weekly",
        "Chair / Deputy Chair",
        "David Goosey",
        "Blackthrive",
        "Staffing",
    ):
        assert not_a_heading not in headings


def test_roadmap_numbered_chapters_and_priorities() -> None:
    text, sections = sections_of((SEEDS / "lambeth-roadmap-to-excellence-2023-26.txt").read_text())
    found = [s.heading_path for s in sections]
    assert ["1 Foreword"] in found
    assert ["2 Vision and Values", "Our Vision"] in found
    priorities = [p[-1] for p in found if p and p[-1].startswith("Priority")]
    assert [p.split(":")[0] for p in priorities] == [f"Priority {n}" for n in range(1, 8)]
    plan = body(
        text,
        sections,
        "Priority 2: Excellent response to vulnerable groups, tackling CSE, missing and gangs",
    )
    assert plan.startswith("2.1 Improve take-up of return home interviews")
    assert "1.10" not in plan and "3.1 " not in plan


def test_sections_are_ordered_disjoint_and_inside_the_text() -> None:
    for seed in SEEDS.glob("*.txt"):
        text, sections = sections_of(seed.read_text(encoding="utf-8"))
        previous_end = 0
        for section in sections:
            assert previous_end <= section.start < section.end <= len(text)
            snippet = text[section.start : section.end]
            assert snippet == snippet.strip()
            previous_end = section.end
