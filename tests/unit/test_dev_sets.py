"""The development eval suites only expect what the seed documents actually say.

A snippet or fact that is not verbatim in its document can never be retrieved or
quoted, so the case would fail for the wrong reason and hide real regressions.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SUITES = {
    "retrieval-dev": ROOT / "evals" / "retrieval-dev.yaml",
    "answers-dev": ROOT / "evals" / "answers-dev.yaml",
}
ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
SEED_DOCUMENTS = {
    "lambeth-lscp-annual-report-2023-24",
    "lambeth-lscp-annual-report-2020-21",
    "lambeth-safeguarding-arrangements-2025",
    "lambeth-roadmap-to-excellence-2023-26",
    "lewisham-lscb-annual-report-2016-17",
}
STYLE_TAGS = {"shorthand", "typo", "paraphrase", "year-trap", "borough-trap", "numbers"}


def _normalise(text: str) -> str:
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
        .replace("\u2014", "-")
    )
    return re.sub(r"\s+", " ", text).strip().lower()


def _segments(raw: str) -> list[str]:
    """Paragraphs, table cells and bullets: the units a snippet must not cross."""
    text = raw.replace("**", "")
    parts = re.split(r"\n\s*\n|\t|<[^>]+>|\s[•·]\s", text)
    return [_normalise(part) for part in parts if part.strip()]


def _manifest() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    return {doc["id"]: doc for doc in data["documents"]}


def _segments_by_doc() -> dict[str, list[str]]:
    return {
        doc_id: _segments((ROOT / "corpus" / doc["file"]).read_text(encoding="utf-8"))
        for doc_id, doc in _manifest().items()
        if Path(doc["file"]).suffix in {".txt", ".md"}
    }


def _suite(name: str) -> dict[str, Any]:
    return yaml.safe_load(SUITES[name].read_text(encoding="utf-8"))


def _found_in(phrase: str, doc_ids: list[str], segments: dict[str, list[str]]) -> bool:
    needle = _normalise(phrase)
    return any(needle in segment for doc_id in doc_ids for segment in segments[doc_id])


@pytest.fixture(scope="module")
def segments() -> dict[str, list[str]]:
    return _segments_by_doc()


@pytest.mark.parametrize("name", sorted(SUITES))
def test_suite_shape_and_unique_ids(name: str) -> None:
    suite = _suite(name)
    assert suite["suite"] == name
    assert suite["defaults"]["partnership"] == "lambeth"
    assert suite["defaults"]["k"] == 5
    ids = [case["id"] for case in suite["cases"]]
    duplicates = [case_id for case_id, n in Counter(ids).items() if n > 1]
    assert not duplicates, duplicates
    bad = [case_id for case_id in ids if not ID_PATTERN.match(case_id)]
    assert not bad, bad
    assert all(case["question"].strip() for case in suite["cases"])


@pytest.mark.parametrize("name", sorted(SUITES))
def test_expected_documents_exist_and_lewisham_is_named(name: str) -> None:
    manifest = _manifest()
    for case in _suite(name)["cases"]:
        docs = case["expect"].get("documents", [])
        assert all(doc in manifest for doc in docs), case["id"]
        names_lewisham = "lewisham" in case["question"].lower()
        expects_lewisham = any(manifest[doc]["partnership"] == "lewisham" for doc in docs)
        assert (case.get("partnership") == "lewisham") == names_lewisham, case["id"]
        if expects_lewisham:
            assert names_lewisham, case["id"]


def test_retrieval_snippets_are_verbatim_within_one_block(
    segments: dict[str, list[str]],
) -> None:
    problems = []
    for case in _suite("retrieval-dev")["cases"]:
        expect = case["expect"]
        assert 1 <= len(expect["passages"]) <= 2, case["id"]
        for snippet in expect["passages"]:
            words = len(snippet.split())
            if not 6 <= words <= 25:
                problems.append(f"{case['id']}: {words} words")
            if not _found_in(snippet, expect["documents"], segments):
                problems.append(f"{case['id']}: not in document: {snippet}")
    assert not problems, "\n".join(problems)


def test_answer_facts_are_verbatim_in_the_expected_document(
    segments: dict[str, list[str]],
) -> None:
    problems = []
    for case in _suite("answers-dev")["cases"]:
        expect = case["expect"]
        if expect.get("refused"):
            continue
        assert expect.get("facts"), case["id"]
        for fact in expect["facts"]:
            options = fact if isinstance(fact, list) else [fact]
            if not any(_found_in(option, expect["documents"], segments) for option in options):
                problems.append(f"{case['id']}: fact not in document: {fact}")
    assert not problems, "\n".join(problems)


def test_refused_cases_expect_the_not_covered_notice() -> None:
    refused = [c for c in _suite("answers-dev")["cases"] if c["expect"].get("refused")]
    assert len(refused) >= 6
    for case in refused:
        assert "not_covered" in case["expect"].get("notices", []), case["id"]
        assert not case["expect"].get("facts"), case["id"]


@pytest.mark.parametrize(
    ("name", "minimum_total", "minimum_per_doc"),
    [("retrieval-dev", 90, 12), ("answers-dev", 65, 8)],
)
def test_every_document_is_covered(name: str, minimum_total: int, minimum_per_doc: int) -> None:
    cases = [c for c in _suite(name)["cases"] if not c["expect"].get("refused")]
    assert len(cases) >= minimum_total
    per_doc = Counter(c["expect"]["documents"][0] for c in cases)
    assert set(per_doc) == SEED_DOCUMENTS
    assert min(per_doc.values()) >= minimum_per_doc, per_doc


@pytest.mark.parametrize("name", sorted(SUITES))
def test_cases_carry_the_document_kind_and_a_style_tag(name: str) -> None:
    manifest = _manifest()
    for case in _suite(name)["cases"]:
        tags = set(case.get("tags", []))
        for doc in case["expect"].get("documents", [])[:1]:
            assert manifest[doc]["kind"] in tags, case["id"]
        if not case["expect"].get("refused"):
            assert tags & STYLE_TAGS, case["id"]
