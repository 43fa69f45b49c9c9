"""``assistant eval`` and ``assistant feedback export`` (registered on the main CLI app).

Exit status of ``assistant eval``: 0 every pass mark met; 1 a pass mark not met (a suite
that sets none must pass every case) or a case regressed against ``--compare``; 2 a suite
file or an option is wrong. The last line printed is the verdict (``verdict.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.evaluation.compare import Comparison, compare_runs
from assistant.evaluation.feedback_export import export_feedback
from assistant.evaluation.judge import EvalSettings, Judge, LangChainJudge
from assistant.evaluation.results import CaseResult, Run
from assistant.evaluation.runner import run_suites, select_cases
from assistant.evaluation.runs import (
    COMPARE_FILE,
    REPORT_FILE,
    default_runs_dir,
    git_commit,
    load_run,
    parse_report_kinds,
    write_run,
)
from assistant.evaluation.suite import SuiteError, load_suites
from assistant.evaluation.verdict import Verdict, run_verdict
from assistant.settings import Settings

EXIT_GATE_FAILED = 1
EXIT_USAGE = 2

console = Console()
err = Console(stderr=True)


def _stop(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(code)


def _make_assistant(settings: Settings) -> Any:
    from assistant.pipeline import Assistant

    assistant = Assistant(settings)
    assistant.load()
    return assistant


def _print_summary(run: Run, folder: Path, comparison: Comparison | None, verdict: Verdict) -> None:
    table = Table(title=f"Evaluation run {run.run_id}")
    for column in ("suite", "passed", "pass rate", "hit@k", "MRR", "facts", "gates"):
        table.add_column(column)
    for s in run.summary.by_suite:
        m = s.metrics
        met = "met" if s.thresholds_passed else "[red]NOT MET[/]"
        default = all(g.default for g in s.thresholds)
        gates = "–" if not s.thresholds else (f"{met} (default)" if default else met)
        table.add_row(
            s.name,
            f"{m.passed}/{m.cases}",
            f"{m.pass_rate:.0%}",
            "–" if m.hit_rate is None else f"{m.hit_rate:.0%}",
            "–" if m.mrr is None else f"{m.mrr:.2f}",
            "–" if m.fact_coverage is None else f"{m.fact_coverage:.0%}",
            gates,
        )
    console.print(table)
    for reason in verdict.reasons:
        console.print(f"[red]Not met[/]: {reason}", highlight=False)
    if comparison is not None:
        console.print(
            f"Compared with {comparison.previous_run}: "
            f"{len(comparison.regressions)} regression(s), "
            f"{len(comparison.improvements)} improvement(s)."
        )
    console.print(f"Run folder: {folder}")
    if (folder / REPORT_FILE).exists():
        console.print(f"Report: {folder / REPORT_FILE}")
    if (folder / COMPARE_FILE).exists():
        console.print(f"Comparison: {folder / COMPARE_FILE}")
    colour = "green" if verdict.passed else "red"
    label, rest = verdict.headline.split(":", 1)
    console.print(f"[bold {colour}]{label}[/]:{rest}", highlight=False)


def eval_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Suite files (evals/*.yaml) or folders of them.", show_default=False),
    ],
    report: Annotated[
        str, typer.Option("--report", help="Reports to write, comma-separated: html, junit, json.")
    ] = "html,junit,json",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for run folders (default: <data dir>/eval-runs)."),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", help="Run only cases with this tag (repeat for several)."),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option("--compare", help="A previous run folder (or its run.json) to compare with."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=16, help="Cases answered at the same time.")
    ] = 2,
    judge: Annotated[
        bool, typer.Option("--judge", help="Also grade answers with an LLM judge (advisory only).")
    ] = False,
    judge_model: Annotated[
        str | None,
        typer.Option(
            "--judge-model", help="init_chat_model spec for the judge, e.g. openai:gpt-4o-mini."
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only validate the suite files, do not run them.")
    ] = False,
) -> None:
    """Run evaluation suites and write a run folder with reports; gates CI and releases."""
    try:
        suites = load_suites(paths)
        kinds = parse_report_kinds(report)
    except SuiteError as error:
        # Plain echo, not rich: a wrapped "file, line N" is harder to find and copy.
        typer.echo(f"The suite files have {len(error.problems)} problem(s):", err=True)
        for problem in error.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except ValueError as error:
        raise _stop(str(error)) from None
    selected = select_cases(suites, tag or [])
    if check:
        console.print(
            f"{len(suites)} suite(s), {sum(len(s.cases) for s in suites)} case(s): "
            "no problems found."
        )
        return
    if not selected:
        raise _stop(f"no case has the tag(s) {', '.join(tag or [])}")
    previous: Run | None = None
    if compare is not None:
        try:
            previous = load_run(compare)
        except (OSError, ValueError) as error:
            raise _stop(str(error)) from None
    settings = Settings()
    grader: Judge | None = None
    if judge or judge_model:
        judge_settings = EvalSettings().judge
        if judge_model:
            judge_settings = judge_settings.model_copy(update={"model": judge_model})
        try:
            grader = LangChainJudge.from_settings(judge_settings)
        except Exception as error:
            raise _stop(f"cannot start the LLM judge: {error}") from None
    try:
        assistant = _make_assistant(settings)
    except Exception as error:
        raise _stop(f"the assistant could not start: {error}") from None

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
    ) as bar:
        task = bar.add_task("Evaluating", total=len(selected), failed=0)
        failed = 0

        def progress(result: CaseResult) -> None:
            nonlocal failed
            failed += not result.passed
            bar.update(task, advance=1, failed=failed)

        run = run_suites(
            assistant,
            suites,
            settings_fingerprint=settings.fingerprint(),
            tags=tag or [],
            workers=workers,
            judge=grader,
            git_commit=git_commit(),
            composer="llm" if settings.llm.model else "extractive",
            on_result=progress,
        )
    comparison = None
    if previous is not None:
        comparison = compare_runs(previous, run)
        run.summary.regressions = [c.key for c in comparison.regressions]
        run.summary.compared_with = previous.run_id
    folder = write_run(run, out or default_runs_dir(settings), kinds, comparison)
    verdict = run_verdict(run)
    _print_summary(run, folder, comparison, verdict)
    if not verdict.passed:
        raise typer.Exit(EXIT_GATE_FAILED)


feedback_app = typer.Typer(help="Work with practitioners' feedback.", no_args_is_help=True)


@feedback_app.command("export")
def feedback_export_command(
    as_suite: Annotated[
        bool,
        typer.Option(
            "--as-suite", help="Write draft evaluation cases (YAML) instead of JSON lines."
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: print).")
    ] = None,
    only_unhelpful: Annotated[
        bool,
        typer.Option(
            "--only-unhelpful", help="Only feedback marked not helpful or reporting a problem."
        ),
    ] = False,
    suite_name: Annotated[
        str, typer.Option("--suite-name", help="Name of the draft suite.")
    ] = "feedback-drafts",
) -> None:
    """Export feedback; with --as-suite, as draft eval cases for the L&D team to complete."""
    try:
        text, count = export_feedback(
            Settings(), as_suite=as_suite, only_unhelpful=only_unhelpful, suite_name=suite_name
        )
    except (OSError, ValueError, RuntimeError) as error:
        raise _stop(str(error)) from None
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"Wrote {count} item(s) to {out}")


def register(app: typer.Typer) -> None:
    """Add ``eval`` and the ``feedback`` group to the main CLI (called by assistant/cli.py)."""
    app.command("eval")(eval_command)
    app.add_typer(feedback_app, name="feedback")
