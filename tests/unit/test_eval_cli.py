"""``assistant eval`` and ``assistant feedback export`` as a CI job or an author uses them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from assistant.evaluation import cli as eval_cli
from assistant.evaluation.runs import list_runs
from tests.unit.eval_sample_runs import SUITE, assistant

runner = CliRunner()


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> typer.Typer:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    state = {"good": True}

    def make(settings: Any) -> Any:
        return assistant(good=state["good"])

    monkeypatch.setattr(eval_cli, "_make_assistant", make)
    application = typer.Typer()

    @application.callback()
    def main() -> None:
        """Test app."""

    eval_cli.register(application)
    application.state = state  # type: ignore[attr-defined]
    return application


def suite_file(tmp_path: Path, text: str = SUITE) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(text)
    return path


def test_passing_run_exits_zero_and_writes_the_run_folder(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(suite_file(tmp_path)), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output
    [run] = list_runs(tmp_path / "r")
    assert run.report_html is not None and run.junit_xml is not None
    assert f"Report: {run.report_html}" in result.output.replace("\n", "")


def test_threshold_failure_exits_one(app: typer.Typer, tmp_path: Path) -> None:
    app.state["good"] = False  # type: ignore[attr-defined]
    result = runner.invoke(
        app, ["eval", str(suite_file(tmp_path)), "--out", str(tmp_path / "r"), "--report", "json"]
    )
    assert result.exit_code == 1
    assert "FAILED: 1 of 3 cases failed; 1 of 2 pass marks not met." in result.output
    assert "pass rate of cases tagged 'safety' 0% is below its pass mark of 100%" in (
        " ".join(result.output.split())
    )
    [run] = list_runs(tmp_path / "r")
    assert run.report_html is None  # only run.json was asked for


def test_a_regression_against_the_previous_run_exits_one(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "r"
    relaxed = SUITE.replace("  tags: {safety: 1.0}\n", "")
    path = suite_file(tmp_path, relaxed)
    app.state["good"] = False  # type: ignore[attr-defined]
    assert runner.invoke(app, ["eval", str(path), "--out", str(out)]).exit_code == 0
    [previous] = list_runs(out)
    app.state["good"] = True  # type: ignore[attr-defined]
    result = runner.invoke(
        app, ["eval", str(path), "--out", str(out), "--compare", str(previous.path / "run.json")]
    )
    assert result.exit_code == 1, result.output
    assert "Regressed: demo/meets" in result.output
    latest = list_runs(out)[0]
    assert latest.regressions == 1 and latest.compare_html is not None


def test_malformed_suite_exits_two_with_file_and_line(app: typer.Typer, tmp_path: Path) -> None:
    path = suite_file(tmp_path, SUITE.replace("first_notice: emergency", "first_notice: sos"))
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 19: 'sos' is not a notice kind" in result.output.replace("\n", " ")


def test_check_only_validates(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(suite_file(tmp_path)), "--check"])
    assert result.exit_code == 0 and "3 case(s): no problems found" in result.output


def test_tag_filter_and_bad_options(app: typer.Typer, tmp_path: Path) -> None:
    path = suite_file(tmp_path)
    result = runner.invoke(
        app, ["eval", str(path), "--tag", "shorthand", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert list_runs(tmp_path / "r")[0].cases == 1
    assert runner.invoke(app, ["eval", str(path), "--tag", "nope"]).exit_code == 2
    assert runner.invoke(app, ["eval", str(path), "--report", "pdf"]).exit_code == 2
    missing = runner.invoke(app, ["eval", str(path), "--compare", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "give a run folder" in missing.output


def test_feedback_export_as_suite(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["feedback", "export", "--as-suite"])
    assert result.exit_code == 2 and "no feedback yet" in result.output
