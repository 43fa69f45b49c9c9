"""The JSON report: the run record itself (``run.json``), for scripts and the web page."""

from __future__ import annotations

from assistant.evaluation.results import Run


def render_json(run: Run) -> str:
    return run.model_dump_json(indent=2)
