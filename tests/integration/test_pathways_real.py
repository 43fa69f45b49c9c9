"""The shipped pathways over the real index: every step of every pathway is cited (none
dropped at run time), and the JSON API serves them with their citations."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from assistant.pathways import PATHWAYS_NAME, PathwayFile
from assistant.pipeline import ROUTE_MORE_HEADING, ROUTE_MORE_SENTENCES, Assistant
from assistant.server.app import create_app

pytestmark = pytest.mark.integration


def test_every_shipped_step_is_cited_from_the_real_index(assistant: Assistant) -> None:
    shipped = PathwayFile.load(assistant.settings.corpus_dir / PATHWAYS_NAME)
    served = {p.id: p for p in assistant.pathways()}
    assert list(served) == [p.id for p in shipped.pathways]
    generation = assistant.retriever.generation
    for pathway in shipped.pathways:
        steps = served[pathway.id].steps
        assert [s.quote for s in steps] == [s.quote for s in pathway.steps], pathway.id
        for step in steps:
            passage = generation.passages[step.citation.passage_id]
            assert " ".join(step.quote.split()) in " ".join(passage.text.split())
            assert step.citation.doc_id == passage.doc_id
            assert step.citation.status == "current"


def test_the_api_serves_the_pathways_with_citations(assistant: Assistant) -> None:
    with TestClient(create_app(assistant.settings, assistant=assistant)) as client:
        listed = client.get("/api/pathways").json()["pathways"]
        one = client.get("/api/pathways/after-a-referral")
    assert "worried-about-a-child" in {p["id"] for p in listed}
    assert one.status_code == 200
    first = one.json()["steps"][0]
    assert first["citation"]["url"].startswith(f"/sources/{first['citation']['doc_id']}#p-")


@pytest.mark.parametrize(
    ("question", "pathway_title", "cited"),
    [
        (
            "teacher shouting at kids who do i tell",
            "An allegation against someone who works with children (LADO)",
            "020 7926 4679",
        ),
        (
            "made a referral last week and heard nothing back what should i do",
            "After a referral to children's social care",
            "follow the referral up",
        ),
        (
            "im a teacher and think a child is privately fostered do i have to report it",
            "Private fostering notification",
            "private fostering",
        ),
    ],
)
def test_a_what_do_i_do_question_leads_with_its_pathway_steps_cited(
    assistant: Assistant, question: str, pathway_title: str, cited: str
) -> None:
    answer = assistant.ask(question)
    assert answer.composer == "practice-route" and not answer.refused
    assert answer.answer.startswith(f"**What to do: {pathway_title}**")
    assert cited.lower() in answer.answer.lower()
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for citation in answer.citations:  # every step and sentence quoted from its passage
        passage = assistant.retriever.generation.passages[citation.passage_id]
        assert " ".join(citation.quote.split()) in " ".join(passage.text.split())
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers == {c.n for c in answer.citations}
    if ROUTE_MORE_HEADING in answer.answer:  # the documents' answer is a short supplement
        more = answer.answer.split(ROUTE_MORE_HEADING, 1)[1]
        bullets = [line for line in more.splitlines() if line.startswith("- ")]
        assert 0 < len(bullets) <= ROUTE_MORE_SENTENCES + 2  # + lines read with their intro


@pytest.mark.parametrize(
    "question",
    [
        "what is private fostering",  # a definition, not a what-do-I-do question
        "the printer in the safeguarding office keeps jamming who do i call",
    ],
)
def test_other_questions_do_not_get_a_pathway(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.composer != "practice-route"
    assert "**What to do:" not in answer.answer


def test_a_what_happens_question_leads_with_the_process_steps(assistant: Assistant) -> None:
    answer = assistant.ask("What happens after a referral is made?")
    assert answer.composer == "practice-route" and not answer.refused
    assert answer.answer.startswith("**What happens: After a referral to children's social care**")
    steps = answer.answer.split(ROUTE_MORE_HEADING)[0]
    assert "one working day" in steps and "45 working days" in steps
    assert "Prevent" not in steps and "LADO" not in steps  # other kinds of referral
