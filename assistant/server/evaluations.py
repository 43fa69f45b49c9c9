"""The L&D "Evaluations" pages: past evaluation runs with their reports, two runs compared
side by side, and feedback turned into draft evaluation cases.

Open to the evaluator role (``access.POLICY``; the feedback pages to auditors). An
operator can remove the pages with ``ASSISTANT_ENABLE_EVALUATIONS_PAGE=0``: every route
here is then a plain 404 and the nav has no link. Reports are served with the sandboxed
``REPORT_CSP`` (see ``security.py``); only known file names of well-formed run ids are
served, so no path from the address bar reaches the disk.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.evaluation.compare import compare_runs
from assistant.evaluation.feedback_export import (
    FEEDBACK_DB,
    draft_case,
    feedback_item,
    render_draft_suite,
)
from assistant.evaluation.reports.html import render_report
from assistant.evaluation.results import Run
from assistant.evaluation.runs import (
    JUNIT_FILE,
    REPORT_FILE,
    RUN_FILE,
    RUN_FILES,
    RunSummary,
    default_runs_dir,
    list_runs,
    load_run,
    run_artifact,
    summarise_run_folder,
)
from assistant.feedback import FeedbackRecord, FeedbackStore
from assistant.server.dependencies import SettingsDep
from assistant.server.run_comparison import comparison_context
from assistant.server.security import FormCsrf
from assistant.server.templating import base_context
from assistant.settings import Settings

log = logging.getLogger(__name__)

BASELINE_ID = "baseline"
"""The committed baseline run (``settings.evals_dir / "baseline"``) in page addresses."""
FEEDBACK_ROWS = 100
FEEDBACK_LOOKUP_LIMIT = 10_000
NOT_FOUND = "There is no page at this address."


def require_evaluations_page(request: Request) -> None:
    """404, exactly like an unknown address, while the page is switched off."""
    settings: Settings = request.app.state.settings
    if not settings.enable_evaluations_page:
        raise HTTPException(status_code=404, detail=NOT_FOUND)


router = APIRouter(
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(require_evaluations_page)],
)


def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, name, base_context(request, **context)
    )
    return response


def _when(moment: datetime) -> str:
    zone = " UTC" if moment.utcoffset() is not None else ""
    return f"{moment.day} {moment:%B %Y, %H:%M}{zone}"


# --- runs ---------------------------------------------------------------------------------


def run_row(summary: RunSummary, link_id: str) -> dict[str, Any]:
    """What the runs table shows for one run; ``link_id`` is the run's address segment."""
    base = f"/evaluations/{link_id}"
    return {
        "label": _when(summary.started),
        "started_iso": summary.started.isoformat(),
        "suites": ", ".join(summary.suites) or "none",
        "cases": summary.cases,
        "passed": summary.passed,
        "failed": summary.failed,
        "pass_rate": f"{summary.pass_rate:.0%}",
        "gate_passed": summary.gate_passed,
        "verdict": summary.verdict,
        "run_id": link_id,
        "thresholds_passed": summary.thresholds_passed,
        "regressions": summary.regressions,
        "settings_fingerprint": summary.settings_fingerprint,
        "corpus_version": summary.corpus_version,
        "git_commit": (summary.git_commit or "")[:8],
        "report_url": f"{base}/{REPORT_FILE}",
        "compare_url": f"{base}/compare.html" if summary.compare_html else None,
        "junit_url": f"{base}/{JUNIT_FILE}" if summary.junit_xml else None,
        "json_url": f"{base}/{RUN_FILE}",
    }


def baseline_summary(settings: Settings) -> RunSummary | None:
    """The committed baseline run, or None when there is none (or it cannot be read)."""
    folder = settings.evals_dir / BASELINE_ID
    if not (folder / RUN_FILE).is_file():
        return None
    try:
        return summarise_run_folder(folder, load_run(folder))
    except (OSError, ValueError) as exc:
        log.warning("the evaluation baseline %s cannot be read: %s", folder, exc)
        return None


def artifact_path(settings: Settings, run_id: str, name: str) -> Path | None:
    """A run's (or the baseline's) file, or None: only known names and well-formed ids."""
    if run_id == BASELINE_ID:
        path = settings.evals_dir / BASELINE_ID / name
        return path if name in RUN_FILES and path.is_file() else None
    return run_artifact(default_runs_dir(settings), run_id, name)


def _report_from_record(settings: Settings, run_id: str) -> str | None:
    """A run written without ``report.html`` (e.g. ``--report json``) still has a report."""
    record = artifact_path(settings, run_id, RUN_FILE)
    if record is None:
        return None
    try:
        return render_report(load_run(record))
    except ValueError as exc:
        log.warning("evaluation run %s cannot be read: %s", run_id, exc)
        return None


def all_rows(settings: Settings) -> list[dict[str, Any]]:
    """Every run's row, newest first, then the baseline (the choices of the compare form)."""
    rows = [run_row(s, s.run_id) for s in list_runs(default_runs_dir(settings))]
    baseline = baseline_summary(settings)
    return rows + ([run_row(baseline, BASELINE_ID)] if baseline else [])


def compare_choices(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The compare form's options, preselected: the newest run against the one before it
    (the baseline when there is one)."""
    options = [
        {
            "id": r["run_id"],
            "label": ("Baseline, " if r["run_id"] == BASELINE_ID else "") + r["label"],
        }
        for r in rows
    ]
    after: str | None = options[0]["id"] if options else None
    before: str | None = None
    has_baseline = bool(rows) and rows[-1]["run_id"] == BASELINE_ID
    if has_baseline and after != BASELINE_ID:
        before = BASELINE_ID
    elif len(options) > 1:
        before = options[1]["id"]
    return {"options": options, "before": before, "after": after}


def load_run_id(settings: Settings, run_id: str) -> Run | None:
    path = artifact_path(settings, run_id, RUN_FILE)
    if path is None:
        return None
    try:
        return load_run(path)
    except (OSError, ValueError) as exc:
        log.warning("evaluation run %s cannot be read: %s", run_id, exc)
        return None


@router.get("/evaluations")
async def evaluations_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    rows = await run_in_threadpool(all_rows, settings)
    runs = [r for r in rows if r["run_id"] != BASELINE_ID]
    baseline = next((r for r in rows if r["run_id"] == BASELINE_ID), None)
    return _render(
        request,
        "evaluations.html",
        page_title="Evaluations",
        runs=runs,
        baseline=baseline,
        compare=compare_choices(rows),
    )


@router.get("/evaluations/compare")
async def compare_page(
    request: Request,
    settings: SettingsDep,
    before: Annotated[str, Query(max_length=40)] = "",
    after: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """Two runs side by side: which cases changed between pass and fail, and every measure
    before and after. A GET form, so it works without JavaScript and can be bookmarked."""
    rows = await run_in_threadpool(all_rows, settings)
    by_id = {r["run_id"]: r for r in rows}
    choices = {**compare_choices(rows), "before": before or None, "after": after or None}
    errors: list[dict[str, str]] = []
    if not before and not after:  # opened from the address bar: the form, preselected
        return _render(
            request,
            "evaluation_compare.html",
            page_title="Compare evaluation runs",
            compare=compare_choices(rows),
            errors=errors,
        )
    if before not in by_id:
        errors.append({"field": "before", "text": "Choose the earlier run to compare"})
    if after not in by_id:
        errors.append({"field": "after", "text": "Choose the later run to compare"})
    if not errors and before == after:
        errors.append({"field": "after", "text": "Choose two different runs to compare"})
    context: dict[str, Any] = {}
    if not errors:
        older = await run_in_threadpool(load_run_id, settings, before)
        newer = await run_in_threadpool(load_run_id, settings, after)
        if older is None or newer is None:
            raise HTTPException(status_code=404, detail=NOT_FOUND)
        context = comparison_context(compare_runs(older, newer), by_id[before], by_id[after])
    choices["errors"] = {e["field"]: e["text"] for e in errors}
    response = _render(
        request,
        "evaluation_compare.html",
        page_title=("Error: " if errors else "") + "Compare evaluation runs",
        compare=choices,
        errors=errors,
        **context,
    )
    if errors:
        response.status_code = 422
    return response


# --- feedback → draft cases -------------------------------------------------------------------


def feedback_store(request: Request) -> FeedbackStore | None:
    """The Assistant's store; else the store file in the data folder if it exists yet."""
    store = getattr(request.app.state.assistant, "feedback", None)
    if isinstance(store, FeedbackStore):
        return store
    settings: Settings = request.app.state.settings
    if settings.database_url is not None:  # a shared database (ASSISTANT_DATABASE_URL)
        return FeedbackStore.for_settings(settings)
    path = settings.data_dir / FEEDBACK_DB
    return FeedbackStore(path) if path.is_file() else None


def verdict(record: FeedbackRecord) -> str:
    if record.kind == "problem":
        return "Problem reported"
    return {True: "Helpful", False: "Not helpful", None: "No rating"}[record.helpful]


def feedback_row(record: FeedbackRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "label": _when(record.created_at),
        "created_iso": record.created_at.isoformat(),
        "verdict": verdict(record),
        "unhelpful": record.kind == "problem" or record.helpful is False,
        "comment": record.comment or "",
        "doc_ids": list(dict.fromkeys(record.doc_ids)),
    }


def draft_yaml(store: FeedbackStore, feedback_id: int) -> str | None:
    """A one-case draft suite for one feedback record, or None if there is no such record."""
    record = next(
        (r for r in store.list_feedback(FEEDBACK_LOOKUP_LIMIT) if r.id == feedback_id), None
    )
    if record is None:
        return None
    return render_draft_suite([draft_case(feedback_item(store, record))])


@router.get("/evaluations/feedback")
async def feedback_page(request: Request) -> HTMLResponse:
    store = feedback_store(request)
    records = await run_in_threadpool(store.list_feedback, FEEDBACK_ROWS) if store else []
    return _render(
        request,
        "evaluation_feedback.html",
        page_title="Draft evaluation cases from feedback",
        rows=[feedback_row(r) for r in records],
    )


@router.post("/evaluations/feedback/draft", response_model=None)
async def draft_from_feedback(
    request: Request, _csrf: FormCsrf, feedback_id: Annotated[int, Form()]
) -> Response:
    """Download the draft case as a YAML suite file for the L&D author to complete."""
    store = feedback_store(request)
    text = await run_in_threadpool(draft_yaml, store, feedback_id) if store else None
    if text is None:
        raise HTTPException(status_code=404, detail="There is no feedback with this number.")
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="feedback-draft-{feedback_id}.yaml"'
        },
    )


# --- run files (declared last: its pattern would also match /evaluations/feedback/…) -------


@router.get("/evaluations/{run_id}/{name}", response_model=None)
async def run_file(run_id: str, name: str, settings: SettingsDep) -> Response:
    """report.html / compare.html in the sandbox CSP; junit.xml and run.json as downloads."""
    path = artifact_path(settings, run_id, name)
    if path is None and name == REPORT_FILE:
        html = await run_in_threadpool(_report_from_record, settings, run_id)
        if html is not None:
            return HTMLResponse(html)
    if path is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    if name.endswith(".html"):
        return FileResponse(path, media_type="text/html; charset=utf-8")
    media_type = "application/xml" if name == JUNIT_FILE else "application/json"
    return FileResponse(path, media_type=media_type, filename=f"{run_id}-{name}")
