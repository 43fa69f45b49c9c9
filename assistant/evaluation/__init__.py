"""Evaluation: suites the L&D team writes in YAML, a runner, metrics, reports and comparison.

Entry points: ``load_suites`` (suite.py), ``run_suites`` (runner.py), ``write_run`` /
``list_runs`` / ``load_run`` (runs.py), ``compare_runs`` (compare.py). The CLI commands
are in cli.py; the format is documented for authors in docs/evaluation.md.
"""

from __future__ import annotations

from assistant.evaluation.compare import Comparison, compare_runs
from assistant.evaluation.feedback_export import draft_case_from_answer, render_draft_suite
from assistant.evaluation.metrics import normalise, snippet_matches
from assistant.evaluation.results import CaseResult, Run
from assistant.evaluation.runner import run_suites
from assistant.evaluation.runs import RunSummary, list_runs, load_run, run_artifact, write_run
from assistant.evaluation.suite import Suite, SuiteError, load_suite, load_suites

__all__ = [
    "CaseResult",
    "Comparison",
    "Run",
    "RunSummary",
    "Suite",
    "SuiteError",
    "compare_runs",
    "draft_case_from_answer",
    "list_runs",
    "load_run",
    "load_suite",
    "load_suites",
    "normalise",
    "render_draft_suite",
    "run_artifact",
    "run_suites",
    "snippet_matches",
    "write_run",
]
