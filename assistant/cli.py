"""Command line: ingest, serve, ask, search, sources, eval, feedback.

A thin client of the Assistant facade; it parses, calls and prints.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.errors import AssistantInputError
from assistant.settings import Settings

app = typer.Typer(
    help="Safeguarding practitioner guidance assistant: cited answers, decisions left to people.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True)

WORKER_HEALTHCHECK_S = 60
"""``assistant serve --workers N``: how long a worker may take to answer uvicorn's ping."""

EXIT_PROBLEMS = 3
"""``assistant ingest`` completed, but some documents were skipped or refused for safety."""


def _print_version(value: bool) -> None:
    if value:
        from assistant.resources import APP_NAME, package_version

        found = package_version()
        console.print(f"{APP_NAME} {found or '(not installed: no version)'}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Safeguarding practitioner guidance assistant: cited answers, decisions left to people."""


def _assistant() -> Any:
    from assistant.pipeline import Assistant

    return Assistant(Settings())


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(code)


@app.command()
def ingest(
    force: Annotated[bool, typer.Option("--force", help="Re-embed everything.")] = False,
) -> None:
    """Build or refresh the index from corpus/manifest.yaml (only changed text is re-embedded)."""
    assistant = _assistant()
    labels = {
        "read": "Reading documents",
        "embed": "Embedding passages",
        "sentences": "Embedding sentences",
        "store": "Writing index",
    }
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = assistant.ingest(force=force, progress=progress)
        except Exception as error:  # manifest errors etc.: the previous index keeps serving
            _fail(f"{error}\nThe previous index (if any) is still in use.")
            return
    state = "unchanged — nothing re-embedded" if report.unchanged else "built"
    console.print(
        f"Index {state}: [bold]{report.documents}[/] documents, [bold]{report.passages}[/] "
        f"passages ({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s."
    )
    for flag in report.flags:
        console.print(
            f"[bold yellow]warning[/] {escape(flag.doc_id)} ({escape(flag.file)}): "
            f"{flag.kind}: {escape(flag.found)}",
            soft_wrap=True,
        )
    if report.flags:
        console.print(
            "[bold yellow]Flagged documents were indexed[/]: read them before relying on them "
            "(text aimed at an AI, or text hidden from readers)."
        )
    refused = {(r.doc_id, r.file) for r in report.refused}
    for refusal in report.refused:
        console.print(
            f"[bold red]refused[/] {escape(refusal.doc_id)} ({escape(refusal.file)}): "
            f"{escape(refusal.reason.removeprefix('refused: '))}",
            soft_wrap=True,
        )
    skipped = [p for p in report.problems if (p.doc_id, p.file) not in refused]
    if skipped:
        table = Table(title="Skipped documents", show_lines=False)
        for column in ("document", "file", "reason"):
            table.add_column(column)
        for problem in skipped:
            table.add_row(problem.doc_id, problem.file, problem.reason)
        console.print(table)
    if report.problems:
        what = "skipped" if not report.refused else "refused or skipped"
        console.print(f"[bold yellow]Completed with problems[/]: the documents above were {what}.")
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes (default 1). Each loads the model and index itself "
            "(a few hundred MB each); any worker can serve any request.",
        ),
    ] = 1,
) -> None:
    """Serve the web app and JSON API; builds the index first if it is missing."""
    import os

    import uvicorn

    from assistant.server.app import create_app
    from assistant.server.metrics import reset_multiprocess_dir
    from assistant.server.startup import UnsafeSettingsError, check_startup, uvicorn_options

    settings = Settings()
    settings = settings.model_copy(
        update={"host": host or settings.host, "port": port or settings.port}
    )
    try:
        check_startup(settings)  # before the index is built, not after
    except UnsafeSettingsError as error:
        _fail(str(error))
        return
    assistant = _assistant()
    if not assistant.index_exists():
        err.print("No index yet: building it first (this takes a minute or two).")
        report = assistant.ingest()
        for problem in report.problems:
            err.print(f"[yellow]skipped[/] {problem.doc_id} ({problem.file}): {problem.reason}")
        for flag in report.flags:
            err.print(
                f"[yellow]warning[/] {escape(flag.doc_id)} ({escape(flag.file)}): "
                f"{flag.kind}: {escape(flag.found)}"
            )
    assistant.prepare_embedder()  # ONNX export: servers then run without torch
    reset_multiprocess_dir()  # /metrics counts start from zero for this run
    if workers == 1:  # the model and index loaded above serve straight away
        app_ = create_app(settings, assistant=assistant)
        uvicorn.run(app_, **uvicorn_options(settings))  # type: ignore[arg-type]
        return
    # Several processes: each builds its own app from the environment. The vector
    # collection is made whole once here, so the workers starting together find it so.
    assistant.restore_store()
    del assistant
    os.environ["ASSISTANT_HOST"] = settings.host
    os.environ["ASSISTANT_PORT"] = str(settings.port)
    uvicorn.run(
        "assistant.server.app:create_app",
        factory=True,
        workers=workers,
        # uvicorn restarts a worker that does not answer its health ping in time; loading
        # the model and answering on a busy machine can hold a worker for longer than the
        # default 5 s, and a restart would cut the answers it is streaming.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        **uvicorn_options(settings),  # type: ignore[arg-type]
    )


@app.command()
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what the retention settings are; delete nothing.")
    ] = False,
) -> None:
    """Delete feedback and audit events older than the retention settings
    (ASSISTANT_RETENTION__FEEDBACK_DAYS, ASSISTANT_RETENTION__AUDIT_DAYS)."""
    from assistant.audit import AccessAudit, AccessEvent
    from assistant.feedback import FeedbackStore

    settings = Settings()
    keep = settings.retention
    console.print(
        f"Keeping feedback for {keep.feedback_days} days and audit events for "
        f"{keep.audit_days} days."
    )
    if dry_run:
        return
    from assistant.database import DatabaseURLError

    try:
        store, access = FeedbackStore.for_settings(settings), AccessAudit.for_settings(settings)
    except DatabaseURLError as error:
        _fail(str(error))
        return
    feedback, answers = store.purge(feedback_days=keep.feedback_days, audit_days=keep.audit_days)
    accesses = access.purge(keep.audit_days)
    access.record(AccessEvent(actor="cli", action="purged", target="retention"))
    console.print(
        f"Deleted {feedback} feedback items, {answers} answer audit events and "
        f"{accesses} access events."
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, without identifying details.")],
    partnership: Annotated[str | None, typer.Option(help="lambeth (default), lewisham …")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
) -> None:
    """Answer a question with citations (the decision stays with you)."""
    assistant = _assistant()
    try:
        answer = assistant.ask(question, [], partnership)
    except AssistantInputError as error:
        _fail(str(error))
        return
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    from assistant.notices import DECISION_REMINDER

    for notice in answer.notices:
        style = "bold red" if notice.kind == "emergency" else "bold yellow"
        console.print(f"[{style}]{notice.kind.replace('_', ' ').upper()}[/]: {notice.text}\n")
    if answer.answer:
        console.print(answer.answer, markup=False, highlight=False)
    if answer.citations:
        console.print("\n[bold]Sources[/]")
        for c in answer.citations:
            status = "summary prepared for this assistant" if c.prepared_for_assistant else c.status
            console.print(
                f"[{c.n}] {c.title} — {c.publisher}, {c.published:%B %Y} ({status})\n"
                f'    {c.section}\n    "{c.quote}"',
                markup=False,
                highlight=False,
            )
    console.print(f"\n{DECISION_REMINDER}", style="dim")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to search for.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 8,
    partnership: Annotated[str | None, typer.Option(help="lambeth (default), lewisham …")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON like GET /api/search.")
    ] = False,
) -> None:
    """Show the passages that best match a query."""
    assistant = _assistant()
    try:
        hits = assistant.search(query, k=k, partnership=partnership)
    except AssistantInputError as error:
        _fail(str(error))
        return
    if as_json:
        results = [
            {
                "doc_id": h.doc.id,
                "title": h.doc.title,
                "section": h.passage.section,
                "text": h.passage.text,
                "score": round(h.score, 6),
                "passage_id": h.passage.id,
                "url": h.url,
            }
            for h in hits
        ]
        sys.stdout.write(json.dumps({"results": results}, indent=2) + "\n")
        return
    for h in hits:
        console.print(
            f"[bold]{h.rank}. {h.doc.title}[/] ({h.doc.status_label}, {h.doc.published:%Y-%m-%d})\n"
            f"   [dim]{h.passage.section} · {h.passage.id} · score {h.score:.4f}[/]"
        )
        console.print(
            "   " + h.passage.text[:400].replace("\n", " "), markup=False, highlight=False
        )


@app.command()
def sources(
    kind: Annotated[str | None, typer.Option(help="Only this kind, e.g. briefing.")] = None,
) -> None:
    """List the indexed documents with their dates and status."""
    assistant = _assistant()
    table = Table()
    for column in ("id", "title", "partnership", "kind", "published", "status", "passages"):
        table.add_column(column)
    for info in assistant.sources(kind):
        d = info.doc
        table.add_row(
            d.id,
            d.title,
            d.partnership,
            d.kind,
            d.published.isoformat(),
            d.status_label + (f", replaced by {d.replaced_by}" if d.replaced_by else ""),
            str(info.passage_count),
        )
    console.print(table)


def _register_evaluation() -> None:
    """The eval runner lives in assistant.evaluation; it registers its own commands."""
    try:
        from assistant.evaluation.cli import register
    except ImportError:  # pragma: no cover - evaluation package always ships
        return
    register(app)


_register_evaluation()


if __name__ == "__main__":
    app()
