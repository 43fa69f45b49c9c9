"""The verdict of a run says what happened in words that cannot mislead (issue #14 item 8),
and ``assistant eval`` exits non-zero whenever the verdict is a fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from assistant.evaluation import cli as eval_cli
from assistant.evaluation.results import Run
from assistant.evaluation.runner import run_suites
from assistant.evaluation.runs import list_runs
from assistant.evaluation.suite import parse_suite
from assistant.evaluation.testing import ScriptedAssistant, passage
from assistant.evaluation.verdict import run_verdict

FOUR_CASES = """\
suite: ld-four
{header}cases:
  - id: lado
    question: who is the LADO
    expect: {{facts: ["three working days"]}}
  - id: board
    question: how often does the board meet
    expect: {{facts: ["twice a year"]}}
  - id: hub
    question: what is the hub number
    expect: {{facts: ["0207 926 5555"]}}
  - id: flowchart
    question: what year is the escalation flowchart
    expect: {{facts: ["2022"]}}
"""


def scripted(failing: int) -> ScriptedAssistant:
    """Answers the four cases; the last ``failing`` of them miss their fact."""
    a = ScriptedAssistant(
        [passage("arr-1", "arrangements", "The LADO acts within three working days.", "LADO")]
    )
    answers = [
        ("who is the LADO", "within three working days"),
        ("how often does the board meet", "twice a year"),
        ("what is the hub number", "0207 926 5555"),
        ("what year is the escalation flowchart", "2022"),
    ]
    for i, (question, fact) in enumerate(answers):
        good = i < len(answers) - failing
        a.script(question, f"It says {fact}." if good else "It does not say.")
    return a


def run_of(failing: int, header: str = "") -> Run:
    suite = parse_suite(FOUR_CASES.format(header=header), "evals/ld-four.yaml")
    return run_suites(scripted(failing), [suite])


def test_failures_in_a_suite_without_pass_marks_are_a_fail_and_say_why() -> None:
    verdict = run_verdict(run_of(failing=3))
    assert not verdict.passed
    assert verdict.headline == (
        "FAILED: 3 of 4 cases failed; no pass marks set for this suite, so every case had to pass."
    )
    assert verdict.reasons == [
        "ld-four: pass rate 25% is below the default pass mark of 100% "
        "(the suite sets no pass marks)."
    ]


def test_every_case_passing_without_pass_marks_passes() -> None:
    verdict = run_verdict(run_of(failing=0))
    assert verdict.passed
    assert verdict.headline == (
        "PASSED: all 4 cases passed; no pass marks set for this suite, so every case had to pass."
    )


def test_failures_within_a_pass_mark_pass_but_are_counted() -> None:
    verdict = run_verdict(run_of(failing=1, header="thresholds:\n  pass_rate: 0.75\n"))
    assert verdict.passed
    assert verdict.headline == "PASSED: 1 of 4 cases failed; every pass mark set was met."


def test_a_missed_pass_mark_is_named_with_what_was_measured() -> None:
    verdict = run_verdict(run_of(failing=2, header="thresholds:\n  pass_rate: 0.75\n"))
    assert verdict.headline == "FAILED: 2 of 4 cases failed; 1 of 1 pass mark not met."
    assert verdict.reasons == ["ld-four: pass rate 50% is below its pass mark of 75%."]


def test_a_regression_is_in_the_verdict() -> None:
    run = run_of(failing=0, header="thresholds:\n  pass_rate: 0.5\n")
    run.summary.regressions = ["ld-four/hub"]
    run.summary.compared_with = "20260101T000000Z-abcdef"
    verdict = run_verdict(run)
    assert not verdict.passed
    assert verdict.headline.endswith("1 case regressed since run 20260101T000000Z-abcdef.")
    assert "Regressed: ld-four/hub passed before and fails now." in verdict.reasons


def test_a_run_recorded_before_the_default_pass_mark_is_judged_by_it() -> None:
    run = run_of(failing=3)
    for suite in run.summary.by_suite:
        suite.thresholds = []  # what older run.json files hold
    run.summary.thresholds_passed = True
    old = Run.model_validate_json(run.model_dump_json())
    assert old.passed  # the stored gate said "passed"…
    verdict = run_verdict(old)
    assert not verdict.passed  # …the verdict does not repeat it
    assert verdict.headline.startswith("FAILED: 3 of 4 cases failed; no pass marks set")


# --- the CLI: its last line is the verdict, and a fail exits 1 ------------------------------


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> typer.Typer:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    state: dict[str, int] = {"failing": 3}
    monkeypatch.setattr(eval_cli, "_make_assistant", lambda settings: scripted(state["failing"]))
    application = typer.Typer()

    @application.callback()
    def main() -> None:
        """Test app."""

    eval_cli.register(application)
    application.state = state  # type: ignore[attr-defined]
    return application


def _eval(app: typer.Typer, tmp_path: Path, header: str = "") -> Any:
    path = tmp_path / "ld-four.yaml"
    path.write_text(FOUR_CASES.format(header=header))
    return CliRunner().invoke(app, ["eval", str(path), "--out", str(tmp_path / "runs")])


def test_cli_fails_a_suite_without_pass_marks_that_has_failures(
    app: typer.Typer, tmp_path: Path
) -> None:
    result = _eval(app, tmp_path)
    assert result.exit_code == eval_cli.EXIT_GATE_FAILED == 1
    last = " ".join(result.output.split()).rsplit("Report:", 1)[-1]
    assert (
        "FAILED: 3 of 4 cases failed; no pass marks set for this suite, so every case had to pass."
        in last
    )
    assert "PASSED" not in result.output and "every gate met" not in result.output
    [run] = list_runs(tmp_path / "runs")
    assert not run.gate_passed and run.verdict.startswith("FAILED: 3 of 4")


def test_cli_exits_zero_only_when_the_verdict_is_a_pass(app: typer.Typer, tmp_path: Path) -> None:
    app.state["failing"] = 0  # type: ignore[attr-defined]
    result = _eval(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert "PASSED: all 4 cases passed" in " ".join(result.output.split())
