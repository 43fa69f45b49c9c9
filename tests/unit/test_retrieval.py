"""Retrieval: scoping, year handling, diversity and the relevance floor."""

import pytest

from assistant.index import StoredGeneration
from assistant.ingest import ingest
from assistant.retrieval import Retriever, years_named
from assistant.settings import RetrievalSettings, Settings
from assistant.store import VectorStore
from tests.support import HashEmbedder, paragraph, write_corpus


def test_years_named_understands_practitioner_shorthand() -> None:
    assert years_named("what did the 23-24 report say") == {"2023", "2024"}
    assert years_named("Lewisham 2016-2017 annual report") == {"2016", "2017"}
    assert years_named("the 2020/21 report") == {"2020", "2021"}
    assert years_named("working together 2023") == {"2023"}
    assert years_named("who is the LADO") == set()


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("retrieval")
    many = "\n\n".join(f"## Part {i}\n\n{paragraph(f'neglect stage {i}')}" for i in range(6))
    docs = {
        "lambeth-neglect": ("lambeth", f"# Lambeth neglect strategy\n\n{many}\n"),
        "lewisham-lado": (
            "lewisham",
            f"# Lewisham allegations\n\n## LADO\n\n{paragraph('LADO allegations')}\n",
        ),
        "london-thresholds": (
            "london",
            f"# London thresholds\n\n## Early help\n\n{paragraph('early help threshold')}\n",
        ),
        "national-harm": (
            "national",
            f"# Working Together definitions\n\n## Harm\n\n{paragraph('significant harm definition')}\n",
        ),
        "lambeth-report-2020-21": (
            "lambeth",
            f"# Annual report 2020-21\n\n## Covid\n\n{paragraph('covid lockdown neglect')}\n",
        ),
    }
    corpus = write_corpus(root / "corpus", docs)
    import yaml

    manifest = yaml.safe_load((corpus / "manifest.yaml").read_text())
    for entry in manifest["documents"]:
        if entry["id"] == "lambeth-report-2020-21":
            entry.update(status="historical", title="Annual Report 2020-21", period="2020-21")
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    embedder = HashEmbedder()
    store = VectorStore(settings.chroma, settings.data_dir)
    ingest(settings, embedder, store)
    return Retriever(
        StoredGeneration.load(settings.data_dir),
        embedder,
        store,
        RetrievalSettings(max_per_document=2, relevance_floor=0.3),
    )


def test_other_boroughs_documents_are_out_of_scope_but_london_wide_ones_are_in(
    retriever: Retriever,
) -> None:
    lambeth = retriever.search("LADO allegations early help threshold", "lambeth", k=10)
    docs = {h.doc.id for h in lambeth.hits}
    assert "lewisham-lado" not in docs and "london-thresholds" in docs
    lewisham = retriever.search("LADO allegations", "lewisham", k=3)
    assert lewisham.hits[0].doc.id == "lewisham-lado"


def test_national_documents_are_in_scope_for_every_partnership_like_london_wide_ones(
    retriever: Retriever,
) -> None:
    for partnership in ("lambeth", "lewisham"):
        result = retriever.search("significant harm definition", partnership, k=3)
        assert result.hits[0].doc.id == "national-harm", partnership
        assert "national" in result.partnerships and "london" in result.partnerships


def test_national_is_a_scope_not_a_partnership_to_choose(retriever: Retriever) -> None:
    # "the national definition of neglect" must stay a question about the chosen partnership,
    # so "national" is never offered (or detected) as the partnership a question is about.
    assert "national" not in retriever.partnerships
    assert {"lambeth", "lewisham", "london"} <= set(retriever.partnerships)


def test_historical_documents_rank_lower_unless_their_year_is_named(retriever: Retriever) -> None:
    plain = retriever.search("neglect covid lockdown", "lambeth", k=10)
    named = retriever.search("neglect covid lockdown in the 2020-21 report", "lambeth", k=10)
    score = lambda r: next(h.score for h in r.hits if h.doc.id == "lambeth-report-2020-21")  # noqa: E731
    assert score(named) > score(plain) * 1.5
    assert named.hits[0].doc.id == "lambeth-report-2020-21"


def test_one_document_cannot_fill_the_top_results(retriever: Retriever) -> None:
    result = retriever.search("neglect arrangements", "lambeth", k=4)
    top = [h.doc.id for h in result.hits]
    assert top.count("lambeth-neglect") <= 2
    assert len(top) == 4


def test_nothing_relevant_is_detectable(retriever: Retriever) -> None:
    assert retriever.search("LADO allegations", "lewisham").relevant
    assert not retriever.search("zebra quantum marmalade", "lambeth").relevant
