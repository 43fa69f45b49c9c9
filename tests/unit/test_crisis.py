"""The crisis card (assistant/crisis.py, corpus/crisis.yaml): the shipped file loads, steps are
numbered with the 999 step first, unresolvable steps are left out when there is an index, and
every quote is verbatim in its document. (The superseded-document check for crisis.yaml is in
test_shipped_pathways.py.)"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from assistant.crisis import CrisisCard, CrisisFile, CrisisStep, render_card
from assistant.types import Citation

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
CRISIS = CrisisFile.load(CORPUS / "crisis.yaml")
assert CRISIS is not None, "corpus/crisis.yaml is missing"

CARD = CrisisCard(
    heading="Danger now",
    steps=[
        CrisisStep(title="Call 999", doc_id="contacts", quote="Call the police on 999."),
        CrisisStep(title="Tell your DSL", doc_id="route", quote="Speak to your DSL first."),
        CrisisStep(title="Ring the hub", doc_id="route", quote="Phone the hub for advice."),
    ],
)
_NUMBERED = re.compile(r"^(\d+)\. \*\*(.+?)\.\*\* (.+?)(?: \[(\d+)\])?$")


def citation(n: int, step: CrisisStep) -> Citation:
    return Citation(
        n=n,
        doc_id=step.doc_id,
        title=step.doc_id.title(),
        section="",
        url=f"/sources/{step.doc_id}#p{n}",
        quote=step.quote,
        passage_id=f"{step.doc_id}-p{n}",
        published=date(2024, 1, 1),
        status="current",
        publisher="Test Partnership",
    )


def numbered(text: str) -> list[tuple[int, str, str, int | None]]:
    out = []
    for line in text.splitlines():
        if match := _NUMBERED.match(line):
            n, title, quote, cited = match.groups()
            out.append((int(n), title, quote, int(cited) if cited else None))
    return out


# ---- the shipped file ------------------------------------------------------------------


def test_the_shipped_crisis_file_loads_with_both_cards() -> None:
    assert CRISIS is not None
    for kind in ("emergency", "disclosure"):
        card = CRISIS.card(kind)
        assert card.heading and card.steps


@pytest.mark.parametrize("kind", ["emergency", "disclosure"])
def test_the_shipped_cards_start_with_the_999_step(kind: str) -> None:
    assert CRISIS is not None
    first = CRISIS.card(kind).steps[0]
    assert "999" in first.quote and "999" in first.title


def test_a_missing_crisis_file_loads_as_none(tmp_path: Path) -> None:
    assert CrisisFile.load(tmp_path / "crisis.yaml") is None


def test_a_card_without_steps_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "crisis.yaml"
    raw = yaml.safe_load((CORPUS / "crisis.yaml").read_text(encoding="utf-8"))
    raw["disclosure"]["steps"] = []
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValueError):
        CrisisFile.load(path)


def _documents() -> dict[str, Path]:
    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return {doc["id"]: CORPUS / doc["file"] for doc in manifest["documents"]}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _shipped_steps() -> list[tuple[str, CrisisStep]]:
    assert CRISIS is not None
    return [
        (f"{kind}:{n}", step)
        for kind in ("emergency", "disclosure")
        for n, step in enumerate(CRISIS.card(kind).steps, start=1)
    ]


@pytest.mark.parametrize(
    ("where", "step"), _shipped_steps(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_quote_is_verbatim_in_its_document(where: str, step: CrisisStep) -> None:
    documents = _documents()
    assert step.doc_id in documents, f"{where}: unknown doc_id {step.doc_id!r}"
    path = documents[step.doc_id]
    assert path.parent == CORPUS / "documents"
    assert _collapse(step.quote) in _collapse(path.read_text(encoding="utf-8")), where


def test_the_shipped_cards_hold_no_statistics_or_reviews() -> None:
    for where, step in _shipped_steps():
        assert not re.search(r"\d\s*%|per ?cent", step.quote, re.I), where
        assert "review" not in step.quote.lower(), where


# ---- render_card -----------------------------------------------------------------------


def test_render_card_numbers_and_cites_every_resolved_step() -> None:
    text, citations = render_card(CARD, citation)
    assert text.splitlines()[0] == "**Danger now**"
    assert numbered(text) == [
        (1, "Call 999", "Call the police on 999.", 1),
        (2, "Tell your DSL", "Speak to your DSL first.", 2),
        (3, "Ring the hub", "Phone the hub for advice.", 3),
    ]
    assert [c.n for c in citations] == [1, 2, 3]
    assert [c.quote for c in citations] == [s.quote for s in CARD.steps]


def test_the_999_step_comes_first_in_the_shipped_emergency_card() -> None:
    assert CRISIS is not None
    text, citations = render_card(CRISIS.emergency, citation)
    steps = numbered(text)
    assert steps[0][0] == 1 and "999" in steps[0][2]
    assert "999" in citations[0].quote
    assert len(steps) == len(CRISIS.emergency.steps)


def test_unresolvable_steps_are_left_out_and_numbering_stays_contiguous() -> None:
    def cite(n: int, step: CrisisStep) -> Citation | None:
        return None if step.title == "Tell your DSL" else citation(n, step)

    text, citations = render_card(CARD, cite)
    assert numbered(text) == [
        (1, "Call 999", "Call the police on 999.", 1),
        (2, "Ring the hub", "Phone the hub for advice.", 2),
    ]
    assert "Speak to your DSL first." not in text
    assert [c.n for c in citations] == [1, 2]


def test_cite_is_given_the_next_citation_number() -> None:
    asked: list[tuple[int, str]] = []

    def cite(n: int, step: CrisisStep) -> Citation | None:
        asked.append((n, step.title))
        return None if step.title == "Call 999" else citation(n, step)

    render_card(CARD, cite)
    assert asked == [(1, "Call 999"), (1, "Tell your DSL"), (2, "Ring the hub")]


def test_nothing_resolvable_leaves_the_heading_alone() -> None:
    text, citations = render_card(CARD, lambda n, step: None)
    assert citations == [] and numbered(text) == []
    assert "Danger now" in text


def test_without_an_index_every_step_is_shown_uncited() -> None:
    text, citations = render_card(CARD, None)
    assert citations == []
    assert numbered(text) == [
        (1, "Call 999", "Call the police on 999.", None),
        (2, "Tell your DSL", "Speak to your DSL first.", None),
        (3, "Ring the hub", "Phone the hub for advice.", None),
    ]
    assert "[" not in text
