"""Suite loading: what authors write is understood, and mistakes are located by line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.evaluation.suite import SuiteError, load_suite, load_suites, parse_suite

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
suite: answers-dev
description: Short text.
defaults:
  partnership: lambeth
  k: 4
  tags: [arrangements]
  min_fact_coverage: 0.5
  expect:
    not_contains: ["level 3 applies"]
thresholds:
  pass_rate: 0.85
  tags:
    safety: 1.0
cases:
  - id: lado-who
    question: "who's the LADO"
    tags: [shorthand]
    expect:
      passages: ["The LADO is responsible for"]
      documents: lambeth-safeguarding-arrangements-2025
      facts:
        - "three working days"
        - ["LADO", "Local Authority Designated Officer"]
      not_contains: ["no need to refer"]
      notices: emergency
      no_notices: [decision]
      first_notice: emergency
      refused: false
      min_citations: 1
  - id: follow-up
    question: "and how quickly?"
    partnership: lewisham
    k: 2
    history:
      - {role: user, content: "what is the LSCP"}
      - {role: assistant, content: "..."}
    expect:
      min_fact_coverage: 1.0
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(SuiteError) as caught:
        parse_suite(text, "evals/demo.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_complete_suite_loads_with_defaults_applied() -> None:
    suite = parse_suite(GOOD, "evals/demo.yaml")
    first, second = suite.cases
    assert suite.suite == "answers-dev" and suite.path == "evals/demo.yaml"
    assert suite.case_tags(first) == ["arrangements", "shorthand"]
    assert suite.case_k(first) == 4 and suite.case_k(second) == 2
    assert suite.case_partnership(first) == "lambeth"
    assert suite.case_partnership(second) == "lewisham"
    expect = suite.case_expect(first)
    assert expect.documents == ["lambeth-safeguarding-arrangements-2025"]
    assert expect.notices == ["emergency"]
    assert expect.facts == ["three working days", ["LADO", "Local Authority Designated Officer"]]
    # Suite-wide expectations add to the case's own; the suite default coverage applies.
    assert expect.not_contains == ["level 3 applies", "no need to refer"]
    assert expect.min_fact_coverage == 0.5
    assert suite.case_expect(second).min_fact_coverage == 1.0
    assert first.line == 15 and second.line == 30
    assert suite.thresholds.tags == {"safety": 1.0}


def test_misspelt_field_names_the_file_line_and_suggests_the_right_one() -> None:
    text = GOOD.replace("      min_citations: 1", "      min_citation: 1")
    [problem] = problems_of(text)
    assert problem.startswith("evals/demo.yaml, line 29: unknown field 'min_citation'")
    assert "did you mean 'min_citations'?" in problem
    assert "case 'lado-who'" in problem


def test_every_problem_in_a_file_is_reported_together_in_line_order() -> None:
    text = (
        GOOD.replace("first_notice: emergency", "first_notice: emergncy")
        .replace("refused: false", "refused: maybe")
        .replace("- id: follow-up", "- id: Follow Up")
    )
    problems = problems_of(text)
    assert len(problems) == 3
    assert "line 27: 'emergncy' is not a notice kind" in problems[0]
    assert "line 28: refused must be true or false, not 'maybe'" in problems[1]
    assert "line 30: id 'Follow Up' must use lower-case letters" in problems[2]


def test_duplicate_case_ids_and_duplicate_keys_are_located() -> None:
    dup_ids = GOOD.replace("- id: follow-up", "- id: lado-who")
    [problem] = problems_of(dup_ids)
    assert "line 30: case id 'lado-who' is used twice (first on line 15)" in problem
    dup_keys = GOOD.replace("      min_citations: 1", "      min_citations: 1\n      refused: true")
    [problem] = problems_of(dup_keys)
    assert "line 30: 'refused' appears twice in the same block (first on line 28)" in problem


def test_yaml_syntax_errors_give_the_line_and_a_hint() -> None:
    [problem] = problems_of("suite: x\ncases:\n  - id: a\n    question: who: the LADO\n")
    assert problem.startswith("evals/demo.yaml, line 4: the YAML cannot be read")
    assert "put text containing ':'" in problem


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("suite: x\ncases: []\n", "the suite has no cases"),
        ("suite: x\ncases:\n  - id: a\n", "line 3: 'question' is required but missing"),
        ("suite: x\ncases:\n  - id: a\n    question: '  '\n", "the question is empty"),
        ("- just a list\n", "a suite must start with 'suite: <name>'"),
        (
            "suite: x\ncases:\n  - id: a\n    question: q\n    expect:\n"
            "      notices: [emergency]\n      no_notices: [emergency]\n",
            "'emergency' is listed in both 'notices' and 'no_notices'",
        ),
        (
            "suite: x\nthresholds:\n  tags: {safety: 100}\ncases:\n  - id: a\n    question: q\n",
            "a pass rate is between 0 and 1",
        ),
        (
            "suite: x\ncases:\n  - id: a\n    question: q\n    history:\n"
            "      - {role: bot, content: hi}\n",
            "line 6: role 'bot' must be 'user' or 'assistant'",
        ),
    ],
)
def test_common_mistakes_are_explained(text: str, needle: str) -> None:
    assert any(needle in p for p in problems_of(text)), problems_of(text)


def test_load_suites_reads_folders_and_rejects_clashing_names(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("suite: same\ncases:\n  - {id: a, question: q}\n")
    (tmp_path / "b.yml").write_text("suite: same\ncases:\n  - {id: b, question: q}\n")
    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "run.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("not a suite")
    with pytest.raises(SuiteError) as caught:
        load_suites([tmp_path, tmp_path / "missing.yaml"])
    messages = [str(p) for p in caught.value.problems]
    assert any("suite name 'same' is already used by" in m for m in messages)
    assert any(m.endswith("missing.yaml: file not found") for m in messages)
    (tmp_path / "b.yml").write_text("suite: other\ncases:\n  - {id: b, question: q}\n")
    assert [s.suite for s in load_suites([tmp_path])] == ["same", "other"]


def test_load_suite_reports_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SuiteError, match="cannot be read"):
        load_suite(path)


def test_every_shipped_suite_loads() -> None:
    suites = load_suites([ROOT / "evals"])
    assert suites, "evals/ holds no suites"
    assert all(s.cases for s in suites)


def test_every_suite_example_in_the_docs_loads() -> None:
    """Docs tested against code: each ```yaml block starting with 'suite:' is valid."""
    docs = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", docs, re.DOTALL)
    suites = [b for b in blocks if b.startswith("suite:")]
    assert len(suites) >= 2
    for block in suites:
        parse_suite(block, "docs/evaluation.md")
    # Case snippets shown on their own are valid inside a suite too.
    for block in blocks:
        if block.startswith("- id:"):
            parse_suite("suite: doc-example\ncases:\n" + _indent(block), "docs/evaluation.md")
    assert yaml.safe_load(suites[0])["suite"]


def _indent(block: str) -> str:
    return "".join("  " + line + "\n" for line in block.splitlines())


def test_the_docs_explain_every_field_authors_can_write() -> None:
    from assistant.evaluation.suite import Case, Defaults, Expect, Suite, Thresholds

    docs = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    for model in (Suite, Defaults, Thresholds, Case, Expect):
        for field in model.model_fields:
            assert f"`{field}`" in docs, f"docs/evaluation.md does not explain {field!r}"
