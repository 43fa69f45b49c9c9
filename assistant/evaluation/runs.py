"""Run folders on disk: writing a run with its reports, listing and loading past runs.

A run folder is ``<runs dir>/<UTC timestamp>-<short id>/`` holding ``run.json`` (the full
record, also the JSON report) and, as asked, ``report.html``, ``junit.xml`` and
``compare.html``. The web "Evaluations" page uses ``list_runs`` and ``load_run``.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.evaluation.compare import Comparison
from assistant.evaluation.reports.compare_html import render_comparison
from assistant.evaluation.reports.html import render_report
from assistant.evaluation.reports.junit import render_junit
from assistant.evaluation.results import Run
from assistant.evaluation.verdict import run_verdict
from assistant.resources import checkout_root
from assistant.settings import Settings

log = logging.getLogger(__name__)

RUN_FILE = "run.json"
REPORT_FILE = "report.html"
JUNIT_FILE = "junit.xml"
COMPARE_FILE = "compare.html"
REPORT_KINDS = frozenset({"html", "junit", "json"})
RUN_FILES = frozenset({RUN_FILE, REPORT_FILE, JUNIT_FILE, COMPARE_FILE})
_RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$")


class RunSummary(BaseModel):
    """One past run, as listed on the Evaluations page (newest first)."""

    run_id: str
    path: Path
    started: datetime
    finished: datetime | None
    suites: list[str]
    cases: int
    passed: int
    failed: int
    pass_rate: float
    thresholds_passed: bool
    regressions: int
    gate_passed: bool
    verdict: str = ""
    """The run's verdict in words (``verdict.py``), e.g. "FAILED: 3 of 4 cases failed; …"."""
    settings_fingerprint: str
    corpus_version: str
    git_commit: str | None
    report_html: Path | None
    junit_xml: Path | None
    compare_html: Path | None


def default_runs_dir(settings: Settings) -> Path:
    return settings.data_dir / "eval-runs"


def git_commit(repo: Path | None = None) -> str | None:
    """The checked-out commit, or None outside git / before the first commit / when the
    package is installed (not a checkout: a venv inside another repository is not it)."""
    repo = repo or checkout_root()
    if repo is None:
        return None
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


def run_file(path: Path) -> Path:
    """Accept a run folder or its run.json."""
    return path / RUN_FILE if path.is_dir() else path


def load_run(path: Path) -> Run:
    """Read a run from its folder or run.json (raises FileNotFoundError / ValueError)."""
    file = run_file(path)
    if not file.exists():
        raise FileNotFoundError(f"{file} not found: give a run folder or its run.json")
    try:
        return Run.model_validate_json(file.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise ValueError(f"{file} is not an evaluation run: {exc.errors()[0]['msg']}") from None


def _optional(path: Path) -> Path | None:
    return path if path.exists() else None


def summarise_run_folder(folder: Path, run: Run) -> RunSummary:
    overall = run.summary.overall
    verdict = run_verdict(run)
    return RunSummary(
        run_id=run.run_id,
        path=folder,
        started=run.started,
        finished=run.finished,
        suites=[s.name for s in run.suites],
        cases=overall.cases,
        passed=overall.passed,
        failed=overall.failed,
        pass_rate=overall.pass_rate,
        thresholds_passed=run.summary.thresholds_passed,
        regressions=len(run.summary.regressions),
        gate_passed=verdict.passed,
        verdict=verdict.headline,
        settings_fingerprint=run.settings_fingerprint,
        corpus_version=run.corpus_version,
        git_commit=run.git_commit,
        report_html=_optional(folder / REPORT_FILE),
        junit_xml=_optional(folder / JUNIT_FILE),
        compare_html=_optional(folder / COMPARE_FILE),
    )


def run_artifact(runs_dir: Path, run_id: str, name: str) -> Path | None:
    """A run's file for the web page to serve, or None (no path tricks, only known files)."""
    if not _RUN_ID.match(run_id) or name not in RUN_FILES:
        return None
    path = runs_dir / run_id / name
    return path if path.is_file() else None


def list_runs(runs_dir: Path) -> list[RunSummary]:
    """Every readable run under ``runs_dir``, newest first; unreadable folders are skipped."""
    if not runs_dir.is_dir():
        return []
    summaries = []
    for folder in runs_dir.iterdir():
        if not (folder / RUN_FILE).is_file():
            continue
        try:
            summaries.append(summarise_run_folder(folder, load_run(folder)))
        except (OSError, ValueError) as exc:
            log.warning("skipping unreadable evaluation run %s: %s", folder, exc)
    return sorted(summaries, key=lambda s: (s.started, s.run_id), reverse=True)


def parse_report_kinds(value: str | Iterable[str]) -> set[str]:
    """``"html,junit"`` → {"html", "junit"}; unknown kinds raise ValueError."""
    items = value.split(",") if isinstance(value, str) else list(value)
    kinds = {i.strip().lower() for i in items if i.strip()}
    unknown = kinds - REPORT_KINDS
    if unknown:
        raise ValueError(
            f"unknown report kind(s): {', '.join(sorted(unknown))}; use html, junit, json"
        )
    return kinds


def write_run(
    run: Run,
    runs_dir: Path,
    reports: Iterable[str] = REPORT_KINDS,
    comparison: Comparison | None = None,
) -> Path:
    """Write the run folder; run.json is always written (it is the record and JSON report)."""
    folder = runs_dir / run.run_id
    folder.mkdir(parents=True, exist_ok=False)
    kinds = set(reports)
    (folder / RUN_FILE).write_text(run.model_dump_json(indent=2), encoding="utf-8")
    if "html" in kinds:
        (folder / REPORT_FILE).write_text(render_report(run, comparison), encoding="utf-8")
    if "junit" in kinds:
        (folder / JUNIT_FILE).write_text(render_junit(run), encoding="utf-8")
    if comparison is not None:
        (folder / COMPARE_FILE).write_text(render_comparison(comparison), encoding="utf-8")
    return folder
