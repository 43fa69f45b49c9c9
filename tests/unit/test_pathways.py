"""Structured pathways: typed loading with errors naming pathway and step, run-time citing
(steps left out, pathways withheld), ``Assistant.pathways()`` and the JSON API."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path
from textwrap import dedent

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.ingest import ingest
from assistant.pathways import (
    PATHWAYS_NAME,
    PathwayFile,
    PathwayMatcher,
    PathwaysError,
    cite_pathway,
)
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.store import VectorStore
from assistant.types import Citation
from tests.support import REPO, HashEmbedder, paragraph, write_corpus

FIXTURE = REPO / "tests" / "data" / "pathways" / PATHWAYS_NAME


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / PATHWAYS_NAME
    path.write_text(dedent(text), encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(PathwaysError) as caught:
        PathwayFile.load(_write(tmp_path, text))
    return str(caught.value)


def _citation(n: int, doc_id: str, quote: str, status: str = "current") -> Citation:
    return Citation(
        n=n,
        doc_id=doc_id,
        title=doc_id,
        section="Section",
        url=f"/sources/{doc_id}#p-x",
        quote=quote,
        passage_id="x",
        published=date(2024, 1, 1),
        status=status,  # type: ignore[arg-type]
        publisher="Test",
    )


# ---------------------------------------------------------------- loading


def test_the_fixture_loads_as_typed_pathways_in_order() -> None:
    loaded = PathwayFile.load(FIXTURE)
    assert [p.id for p in loaded.pathways] == ["worried-about-a-child", "after-a-referral"]
    worried = loaded.get("worried-about-a-child")
    assert worried is not None and worried.steps[0].required
    assert worried.steps[0].who == "You" and worried.steps[2].when == "Within 24 hours of the call"
    assert loaded.get("nope") is None


def test_no_file_means_no_pathways(tmp_path: Path) -> None:
    assert PathwayFile.load(tmp_path / PATHWAYS_NAME).pathways == []


def test_a_missing_quote_names_the_pathway_and_the_step(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        """\
        pathways:
          - id: lado
            title: Allegations
            steps:
              - {title: Tell your manager, quote: "Tell your manager.", doc_id: a}
              - {title: Contact the LADO, doc_id: a}
        """,
    )
    assert str(tmp_path / PATHWAYS_NAME) in message
    assert "pathway 'lado', step 2 ('Contact the LADO'): quote: Field required" in message


def test_a_label_may_not_state_a_timescale_its_quote_does_not(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        """\
        pathways:
          - id: lado
            title: Allegations
            steps:
              - title: Contact the LADO
                when: Within 2 working days
                quote: "Contact the LADO within one working day."
                doc_id: a
        """,
    )
    assert "pathway 'lado', step 1 ('Contact the LADO')" in message
    assert "when 'Within 2 working days' states 2, days" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pathways: [{id: a, title: A, steps: []}]", "pathway 'a': steps: List should have"),
        (
            "pathways: [{id: a, title: A, steps: [{title: T, quote: Q., doc_id: d, colour: red}]}]",
            "pathway 'a', step 1 ('T'): colour: Extra inputs are not permitted",
        ),
        (
            "pathways: [{id: Bad Id, title: A, steps: [{title: T, quote: Q., doc_id: d}]}]",
            "pathway 'Bad Id': id: String should match pattern",
        ),
        (
            "pathways:\n"
            "  - {id: a, title: A, steps: [{title: T, quote: Q., doc_id: d}]}\n"
            "  - {id: a, title: B, steps: [{title: T, quote: Q., doc_id: d}]}\n",
            "pathway id 'a' is used twice",
        ),
        ("pathways: [", "not valid YAML"),
        ("- just a list", "file: Input should be a valid dictionary"),
    ],
)
def test_broken_files_say_what_is_wrong(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _error(tmp_path, text)


# ---------------------------------------------------------------- citing


def test_uncited_steps_are_left_out_and_the_rest_renumbered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worried = PathwayFile.load(FIXTURE).get("worried-about-a-child")
    assert worried is not None
    missing = worried.steps[1].quote

    def cite(n: int, doc_id: str, quote: str) -> Citation | None:
        return None if quote == missing else _citation(n, doc_id, quote)

    cited = cite_pathway(worried, cite)
    assert cited is not None
    assert [(s.n, s.citation.n) for s in cited.steps] == [(1, 1), (2, 2)]
    assert [s.quote for s in cited.steps] == [worried.steps[0].quote, worried.steps[2].quote]
    assert "quote not found in front-door" in caplog.text


def test_a_pathway_whose_required_step_is_uncited_is_withheld() -> None:
    loaded = PathwayFile.load(FIXTURE)
    first = loaded.pathways[0].steps[0].quote

    def cite(n: int, doc_id: str, quote: str) -> Citation | None:
        return None if quote == first else _citation(n, doc_id, quote)

    assert [p.id for p in loaded.cite(cite)] == ["after-a-referral"]
    assert loaded.cite(lambda n, doc_id, quote: None) == []


def test_a_quote_from_a_superseded_document_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    after = PathwayFile.load(FIXTURE).get("after-a-referral")
    assert after is not None
    with caplog.at_level(logging.WARNING, logger="assistant.pathways"):
        cited = cite_pathway(after, lambda n, d, q: _citation(n, d, q, status="superseded"))
    assert cited is not None and cited.steps[0].citation.status == "superseded"
    assert "quotes superseded document after-referral" in caplog.text


# ---------------------------------------------------------------- the facade


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("pathways")
    corpus = write_corpus(
        root / "corpus",
        {
            "front-door": (
                "lambeth",
                "# Front door\n\n## Danger\n\n"
                "If a child is in immediate danger, call the police on 999.\n\n"
                "## Your DSL\n\nSpeak to your designated safeguarding lead the same day. "
                "Send the referral form within 24 hours of the consultation call.\n\n"
                f"## Other\n\n{paragraph('training')}\n",
            ),
            "after-referral": (
                "lambeth",
                "# After a referral\n\n## Decision\n\n"
                "The hub decides what happens next within one working day.\n",
            ),
        },
    )
    shutil.copy(FIXTURE, corpus / PATHWAYS_NAME)
    crisis = REPO / "corpus" / "crisis.yaml"  # read by the Assistant beside the register
    if crisis.exists() and not (corpus / "crisis.yaml").exists():
        shutil.copy(crisis, corpus / "crisis.yaml")
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    embedder = HashEmbedder()
    ingest(settings, embedder, VectorStore(settings.chroma, settings.data_dir))  # type: ignore[arg-type]
    assistant = Assistant(settings, embedder=embedder)  # type: ignore[arg-type]
    assistant.load()
    return assistant


def test_assistant_pathways_cite_the_passages_holding_each_quote(assistant: Assistant) -> None:
    pathways = assistant.pathways()
    assert [p.id for p in pathways] == ["worried-about-a-child", "after-a-referral"]
    for pathway in pathways:
        for step in pathway.steps:
            c = step.citation
            passage = assistant.retriever.generation.passages[c.passage_id]
            assert c.doc_id == passage.doc_id and step.quote in passage.text
            assert c.url == f"/sources/{c.doc_id}#p-{c.passage_id}"
            assert c.n == step.n and c.quote == step.quote and c.status == "current"
    assert pathways[0].steps[0].citation.title == "Front Door"


def test_a_broken_pathways_file_costs_the_pathways_not_the_assistant(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"a": ("lambeth", "# A\n\nText.\n")})
    (corpus / PATHWAYS_NAME).write_text("pathways: [{id: a}]", encoding="utf-8")
    crisis = REPO / "corpus" / "crisis.yaml"
    if crisis.exists():
        shutil.copy(crisis, corpus / "crisis.yaml")
    broken = Assistant(Settings(data_dir=tmp_path / "data", corpus_dir=corpus))
    assert broken.pathway_file.pathways == []
    assert "structured pathways not loaded" in caplog.text and "pathway 'a'" in caplog.text


# ---------------------------------------------------------------- the JSON API (fake facade)


def test_api_lists_pathways_with_cited_steps(client: TestClient) -> None:
    body = client.get("/api/pathways").json()
    pathway = body["pathways"][0]
    assert pathway["id"] == "worried-about-a-child"
    step = pathway["steps"][0]
    assert set(step) == {"n", "title", "who", "when", "quote", "citation"}
    citation = step["citation"]
    for field in ("doc_id", "title", "passage_id", "url", "published", "status"):
        assert citation[field], field
    assert citation["quote"] == step["quote"]


def test_api_returns_one_pathway_or_404(client: TestClient) -> None:
    one = client.get("/api/pathways/worried-about-a-child")
    assert one.status_code == 200 and one.json()["title"] == "Worried about a child"
    missing = client.get("/api/pathways/no-such-pathway")
    assert missing.status_code == 404 and "no-such-pathway" in missing.json()["detail"]
    assert client.get("/api/pathways", params={"partnership": "narnia"}).status_code == 422


def test_openapi_documents_the_pathway_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/pathways" in paths and "/api/pathways/{pathway_id}" in paths


# --- which pathway a what-do-I-do question reads like ------------------------------------


def _unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_the_matcher_finds_the_pathway_whose_asks_the_question_is_most_like() -> None:
    file = PathwayFile.model_validate(
        {
            "match_floor": 0.6,
            "pathways": [
                {
                    "id": "worried",
                    "title": "Worried about a child",
                    "asks": ["worried about a child", "concerned about a pupil"],
                    "steps": [{"title": "Talk to your DSL", "quote": "Talk.", "doc_id": "d"}],
                },
                {
                    "id": "lado",
                    "title": "Allegation",
                    "asks": ["a teacher hurt a child"],
                    "steps": [{"title": "Phone the LADO", "quote": "Phone.", "doc_id": "d"}],
                },
            ],
        }
    )
    table = {
        "worried about a child": _unit(1, 0, 0),
        "concerned about a pupil": _unit(0.9, 0.1, 0),
        "a teacher hurt a child": _unit(0, 1, 0),
    }
    matcher = PathwayMatcher(file, lambda texts: np.stack([table[t] for t in texts]))
    assert matcher.best(_unit(0.1, 1, 0)) == ("lado", pytest.approx(0.995, abs=0.01))
    pathway, similarity = matcher.best(_unit(1, 0.2, 0.5)) or ("", 0.0)
    assert pathway == "worried" and similarity < 0.9


def test_no_asks_means_no_match_and_the_floor_defaults_to_never() -> None:
    file = PathwayFile.model_validate(
        {
            "pathways": [
                {
                    "id": "worried",
                    "title": "Worried",
                    "steps": [{"title": "Talk to your DSL", "quote": "Talk.", "doc_id": "d"}],
                }
            ]
        }
    )
    assert file.match_floor == 1.0
    assert (
        PathwayMatcher(file, lambda texts: np.zeros((len(texts), 3))).best(_unit(1, 0, 0)) is None
    )


def test_a_step_label_ends_once_a_question_keeps_its_own_mark() -> None:
    from assistant.pathways import step_label

    assert step_label("Record the concern") == "Record the concern."
    assert step_label("Is the information confidential?") == "Is the information confidential?"
    assert step_label("Call 999.") == "Call 999."
