"""Run folders: written once, listed newest first, read back for the web page and --compare."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.evaluation.compare import compare_runs
from assistant.evaluation.runs import (
    list_runs,
    load_run,
    parse_report_kinds,
    run_artifact,
    write_run,
)
from tests.unit.eval_sample_runs import sample_run


def test_write_run_creates_the_folder_with_the_requested_reports(tmp_path: Path) -> None:
    run = sample_run(good=True)
    folder = write_run(run, tmp_path, {"html"})
    assert folder == tmp_path / run.run_id
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "run.json"]
    record = json.loads((folder / "run.json").read_text())
    assert record["settings_fingerprint"] == "fp-good" and record["corpus_version"] == "v2"
    assert {r["case_id"] for r in record["results"]} == {"lado", "danger", "meets"}
    assert "summary" in record and "started" in record and "finished" in record
    assert record["passed"] is True  # the gate verdict, for scripts reading run.json
    assert load_run(folder) == load_run(folder / "run.json")
    with pytest.raises(FileExistsError):
        write_run(run, tmp_path)


def test_comparison_is_written_beside_the_run(tmp_path: Path) -> None:
    before, after = sample_run(good=False), sample_run(good=True)
    folder = write_run(after, tmp_path, {"junit"}, compare_runs(before, after))
    assert sorted(p.name for p in folder.iterdir()) == ["compare.html", "junit.xml", "run.json"]


def test_list_runs_newest_first_skipping_broken_folders(tmp_path: Path) -> None:
    old, new = sample_run(good=False), sample_run(good=True)
    old.started -= timedelta(days=1)
    write_run(old, tmp_path)
    write_run(new, tmp_path)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "run.json").write_text("{not json")
    (tmp_path / "empty").mkdir()
    runs = list_runs(tmp_path)
    assert [r.run_id for r in runs] == [new.run_id, old.run_id]
    latest = runs[0]
    assert latest.cases == 3 and latest.passed == 2 and latest.suites == ["demo"]
    assert latest.report_html == tmp_path / new.run_id / "report.html"
    assert latest.compare_html is None
    assert latest.gate_passed is True  # 2/3 passed ≥ 0.5, and the safety case passed
    assert runs[1].gate_passed is False  # the old run failed its safety case
    assert list_runs(tmp_path / "nowhere") == []


def test_load_run_explains_what_it_needs(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"give a run folder or its run\.json"):
        load_run(tmp_path)
    (tmp_path / "run.json").write_text('{"run_id": 3}')
    with pytest.raises(ValueError, match="is not an evaluation run"):
        load_run(tmp_path)


def test_report_kinds() -> None:
    assert parse_report_kinds("html, JUnit") == {"html", "junit"}
    with pytest.raises(ValueError, match="unknown report kind"):
        parse_report_kinds("html,pdf")


def test_run_artifact_serves_only_known_files_of_real_runs(tmp_path: Path) -> None:
    run = sample_run(good=True)
    write_run(run, tmp_path)
    assert (
        run_artifact(tmp_path, run.run_id, "report.html") == tmp_path / run.run_id / "report.html"
    )
    assert run_artifact(tmp_path, run.run_id, "compare.html") is None  # not written
    assert run_artifact(tmp_path, run.run_id, "../../etc/passwd") is None
    assert run_artifact(tmp_path, "..", "run.json") is None
    assert run_artifact(tmp_path, "20990101T000000Z-abcdef", "run.json") is None
