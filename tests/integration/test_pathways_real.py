"""The shipped pathways over the real index: every step of every pathway is cited (none
dropped at run time), and the JSON API serves them with their citations."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.pathways import PATHWAYS_NAME, PathwayFile
from assistant.pipeline import Assistant
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
