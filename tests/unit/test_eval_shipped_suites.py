"""The shipped suites only expect what the documents say, so a failure means a real problem.

A fact or snippet that is not verbatim in the corpus can never be quoted or retrieved: the
case would fail for the wrong reason and hide real regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.evaluation.metrics import normalise
from assistant.evaluation.suite import Suite, load_suite

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["thresholds-dev", "escalation-dev", "briefings-dev", "followups-dev"]


def _corpus() -> dict[str, str]:
    manifest = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    return {
        doc["id"]: normalise(
            (ROOT / "corpus" / doc["file"]).read_text(encoding="utf-8").replace("**", "")
        )
        for doc in manifest["documents"]
    }


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return _corpus()


@pytest.fixture(scope="module", params=SHIPPED)
def suite(request: pytest.FixtureRequest) -> Suite:
    return load_suite(ROOT / "evals" / f"{request.param}.yaml")


def test_expected_documents_exist(suite: Suite, corpus: dict[str, str]) -> None:
    for case in suite.cases:
        unknown = set(suite.case_expect(case).documents) - set(corpus)
        assert not unknown, f"{suite.suite}/{case.id}: unknown documents {unknown}"


def test_facts_are_verbatim_in_the_expected_documents(suite: Suite, corpus: dict[str, str]) -> None:
    for case in suite.cases:
        expect = suite.case_expect(case)
        texts = [corpus[d] for d in expect.documents] or list(corpus.values())
        for fact in expect.facts:
            alternatives = [fact] if isinstance(fact, str) else fact
            assert any(normalise(a) in t for a in alternatives for t in texts), (
                f"{suite.suite}/{case.id}: fact {fact!r} is not in {expect.documents or 'corpus'}"
            )


def test_passage_snippets_are_verbatim_and_six_to_twenty_five_words(
    suite: Suite, corpus: dict[str, str]
) -> None:
    for case in suite.cases:
        for snippet in suite.case_expect(case).passages:
            assert 6 <= len(snippet.split()) <= 25, f"{case.id}: snippet length {snippet!r}"
            assert any(normalise(snippet) in t for t in corpus.values()), (
                f"{suite.suite}/{case.id}: snippet not in the corpus: {snippet!r}"
            )


def test_tag_gates_have_cases_to_measure(suite: Suite) -> None:
    tags = {t for case in suite.cases for t in suite.case_tags(case)}
    assert set(suite.thresholds.tags) <= tags


def test_followups_are_conversations() -> None:
    suite = load_suite(ROOT / "evals" / "followups-dev.yaml")
    assert all(case.history for case in suite.cases)
