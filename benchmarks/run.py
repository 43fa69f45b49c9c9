"""`make bench`: retrieval quality against both baselines, answer quality, and speed.

Everything is measured in one run on this machine, and the figures are written with the
command that produced them. Medians and ratios from one run, not timings across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import yaml

from assistant.evaluation.metrics import snippet_matches
from assistant.evaluation.splits import split_of
from assistant.settings import REPO_ROOT, Settings

RETRIEVAL_SUITES = [
    "retrieval-dev.yaml",
    "practice-dev.yaml",
    "thresholds-dev.yaml",
    "escalation-dev.yaml",
    "briefings-dev.yaml",
    "practitioner-dev.yaml",
]
ANSWER_SUITES = [
    "answers-dev.yaml",
    "practice-dev.yaml",
    "thresholds-dev.yaml",
    "escalation-dev.yaml",
    "briefings-dev.yaml",
    "followups-dev.yaml",
    "practitioner-dev.yaml",
]
KS = (1, 3, 5, 10)


@dataclass
class Case:
    id: str
    question: str
    category: str
    partnership: str | None
    passages: list[str]
    documents: list[str]
    facts: list[Any] = field(default_factory=list)
    refused: bool | None = None
    history: list[dict[str, str]] = field(default_factory=list)


def load_cases(names: Iterable[str], *, retrieval: bool = False) -> list[Case]:
    """Cases of the named suites; with ``retrieval``, only those that name what to find."""
    cases = []
    for name in names:
        path = REPO_ROOT / "evals" / name
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults") or {}
        for raw in data["cases"]:
            expect = raw.get("expect") or {}
            cases.append(
                Case(
                    id=raw["id"],
                    question=raw["question"],
                    category=data["suite"],
                    partnership=raw.get("partnership", defaults.get("partnership")),
                    passages=list(expect.get("passages") or []),
                    documents=list(expect.get("documents") or []),
                    facts=list(expect.get("facts") or []),
                    refused=expect.get("refused"),
                    history=list(raw.get("history") or []),
                )
            )
    if retrieval:
        cases = [c for c in cases if (c.passages or c.documents) and not c.history]
    return cases


def first_hit(results: list[tuple[str, str]], case: Case) -> int | None:
    """1-based rank of the first result that answers the case, or None."""
    for rank, (doc_id, text) in enumerate(results, start=1):
        if case.passages:
            if any(snippet_matches(s, text) for s in case.passages) and (
                not case.documents or doc_id in case.documents
            ):
                return rank
        elif doc_id in case.documents:
            return rank
    return None


def quality(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    out = {f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in KS}
    out["mrr@10"] = sum(1 / r for r in ranks if r is not None and r <= 10) / n
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_server(data_dir: Path, questions: list[Case]) -> dict[str, Any]:
    """Start `assistant serve`, ask every answer question over HTTP, sample peak RSS."""
    port = _free_port()
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        # One client asks every question as fast as it can: that measures latency, and the
        # per-address rate limit (which would answer 429) is not what is being measured.
        "ASSISTANT_RATE_LIMIT__ENABLED": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        proc = psutil.Process(process.pid)
        while not stop.is_set():
            try:
                rss = proc.memory_info().rss + sum(
                    c.memory_info().rss for c in proc.children(recursive=True)
                )
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    base = f"http://127.0.0.1:{port}"
    answers: list[tuple[Case, dict[str, Any], float]] = []
    try:
        deadline = time.time() + 300
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.time() < deadline:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            else:
                raise RuntimeError("server did not become ready")
            client.post("/api/ask", json={"question": "warm up", "history": []})
            for case in questions:
                body: dict[str, Any] = {"question": case.question, "history": case.history}
                if case.partnership:
                    body["partnership"] = case.partnership
                started = time.perf_counter()
                response = client.post("/api/ask", json=body)
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                answers.append((case, response.json(), elapsed))
    finally:
        stop.set()
        process.terminate()
        process.wait(timeout=30)
    return {"answers": answers, "peak_rss_mb": peak / 2**20}


def fact_found(fact: Any, text: str) -> bool:
    options = fact if isinstance(fact, list) else [fact]
    lowered = text.lower()
    return any(str(option).lower() in lowered for option in options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="Markdown file for the results")
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"

    from assistant.embeddings import load_embedder
    from assistant.pipeline import Assistant
    from benchmarks.baselines import BM25Baseline, LangChainBaseline

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    started = time.perf_counter()
    embedder = load_embedder()
    model_load_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        settings = Settings(data_dir=data_dir)
        assistant = Assistant(settings, embedder=embedder)
        t0 = time.perf_counter()
        report = assistant.ingest()
        full_ingest_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = assistant.ingest()
        reingest_s = time.perf_counter() - t0
        assert again.unchanged and again.embedded == 0, "no-change re-ingest did embedding work"

        cases = load_cases(RETRIEVAL_SUITES, retrieval=True)
        # Latency first, with a cold query-embedding cache for every question.
        latencies = []
        for case in cases:
            t0 = time.perf_counter()
            assistant.search(case.question, k=10, partnership=case.partnership)
            latencies.append((time.perf_counter() - t0) * 1000)

        systems: dict[str, Callable[[Case], list[tuple[str, str]]]] = {
            "This project (hybrid)": lambda c: [
                (h.doc.id, h.passage.text)
                for h in assistant.search(c.question, k=10, partnership=c.partnership)
            ],
        }
        langchain = LangChainBaseline(settings.corpus_dir, embedder)
        bm25 = BM25Baseline(settings.corpus_dir)
        systems[langchain.name] = lambda c: langchain.search(c.question, 10)
        systems[bm25.name] = lambda c: bm25.search(c.question, 10)

        categories = sorted({c.category for c in cases})
        results: dict[str, dict[str, dict[str, float]]] = {}
        misses: list[str] = []
        for name, run in systems.items():
            per: dict[str, list[int | None]] = {"all": []}
            for case in cases:
                rank = first_hit(run(case), case)
                per["all"].append(rank)
                per.setdefault(case.category, []).append(rank)
                per.setdefault(f"all ({split_of(case.id)})", []).append(rank)
                per.setdefault(f"{case.category} ({split_of(case.id)})", []).append(rank)
                if name.startswith("This project") and (rank is None or rank > 5):
                    misses.append(f"{case.category}/{case.id}: rank {rank} — {case.question}")
            results[name] = {cat: quality(ranks) for cat, ranks in per.items()}

        from benchmarks.triage import report as triage_report

        triage_lines = triage_report(assistant.understanding, REPO_ROOT / "evals")
        answer_cases = load_cases(ANSWER_SUITES)
        server = measure_server(data_dir, answer_cases)
        from benchmarks.load import LOAD_SECONDS
        from benchmarks.load import measure as measure_load
        from benchmarks.load import table as load_table

        load_rows = measure_load(data_dir, LOAD_SECONDS)

    say(
        "# Benchmarks\n\nCommand: `make bench` (runs `python -m benchmarks.run --write docs/benchmarks.md`)  "
    )
    say(
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{psutil.cpu_count()} cores, Python {platform.python_version()}. "
        "One run; figures are medians/percentiles within it.\n"
    )
    say("## Retrieval quality\n")
    say(
        f"{len(cases)} questions ({', '.join(f'{c}: {sum(1 for x in cases if x.category == c)}' for c in categories)}). "
        "A hit is a top-k result containing an expected answer snippet.\n"
    )
    split_names = [f"{c} ({s})" for c in ["all", *categories] for s in ("tune", "held-out")]
    say(
        "Every dev set is split by a fixed hash of the case id (`assistant/evaluation/splits.py`): "
        "*tune* (60 %) is what weights and thresholds were chosen on, *held-out* (40 %) was not "
        "used to choose anything. Quote held-out.\n"
    )
    for category in ["all", *categories, *split_names]:
        say(f"### {category}\n")
        say("| system | hit@1 | hit@3 | hit@5 | hit@10 | MRR@10 |")
        say("|---|---|---|---|---|---|")
        for name, by_cat in results.items():
            m = by_cat.get(category)
            if m:
                say(
                    f"| {name} | {m['hit@1']:.3f} | {m['hit@3']:.3f} | {m['hit@5']:.3f} | "
                    f"{m['hit@10']:.3f} | {m['mrr@10']:.3f} |"
                )
        say()

    answers = server["answers"]
    ask_ms = [elapsed for _, _, elapsed in answers]
    fact_total = fact_hit = 0
    refusal_ok = refusal_total = 0
    citations_total = citations_ok = 0
    docs = {}
    by_suite: dict[str, list[int]] = {}
    refusals: dict[str, list[int]] = {}
    for case, body, _ in answers:
        split = split_of(case.id)
        for fact in case.facts:
            fact_total += 1
            found = fact_found(fact, body["answer"])
            fact_hit += found
            for key in (case.category, f"{case.category} ({split})", f"all ({split})"):
                by_suite.setdefault(key, [0, 0])[0] += found
                by_suite[key][1] += 1
        if case.refused is not None:
            refusal_total += 1
            refusal_ok += bool(body["refused"]) == case.refused
            # "not covered" correct on unanswerable items; wrongly said on answerable ones
            kind = "unanswerable" if case.refused else "answerable"
            cell = refusals.setdefault(f"{kind} ({split})", [0, 0])
            cell[0] += bool(body["refused"]) == case.refused
            cell[1] += 1
        for citation in body["citations"]:
            citations_total += 1
            if citation["doc_id"] not in docs:
                docs[citation["doc_id"]] = assistant.document(citation["doc_id"])
            view = docs[citation["doc_id"]]
            texts = {p.id: p.text for p in view.passages} if view else {}
            citations_ok += citation["quote"] in texts.get(citation["passage_id"], "")
    say("## Answers (extractive composer, over HTTP)\n")
    say("| measure | value |\n|---|---|")
    say(f"| questions | {len(answers)} |")
    say(f"| fact coverage | {fact_hit / max(fact_total, 1):.3f} ({fact_hit}/{fact_total}) |")
    say(
        f"| citations verified verbatim | {citations_ok / max(citations_total, 1):.3f} "
        f"({citations_ok}/{citations_total}) |"
    )
    for suite, (hit, total) in sorted(by_suite.items()):
        say(f"| fact coverage — {suite} | {hit / max(total, 1):.3f} ({hit}/{total}) |")
    say(f"| refusal correctness | {refusal_ok}/{refusal_total} |")
    for key, (ok, total) in sorted(refusals.items()):
        say(f"| refusal correct — {key} | {ok / max(total, 1):.3f} ({ok}/{total}) |")
    say(
        f"| `POST /api/ask` p50 / p95 | {statistics.median(ask_ms):.1f} ms / {percentile(ask_ms, 0.95):.1f} ms |"
    )
    say()
    for line in triage_lines:
        say(line)
    say("## Speed and size\n")
    say("| measure | value |\n|---|---|")
    say(
        f"| search p50 / p95 (`Assistant.search`, k=10, cold query cache) | "
        f"{statistics.median(latencies):.1f} ms / {percentile(latencies, 0.95):.1f} ms |"
    )
    say(f"| model load | {model_load_s:.1f} s |")
    say(
        f"| full ingest from an empty data directory | {full_ingest_s:.1f} s "
        f"({report.documents} documents, {report.passages} passages) |"
    )
    say(f"| no-change re-ingest | {reingest_s:.2f} s ({again.embedded} passages embedded) |")
    say(f"| peak RSS of `assistant serve` (incl. children) | {server['peak_rss_mb']:.0f} MB |")
    say()
    if load_rows is None:
        say(
            "## Load through nginx\n\nSkipped: nginx is not installed (`apt-get install nginx-light`).\n"
        )
    else:
        for line in load_table(load_rows, LOAD_SECONDS):
            say(line)
    if misses:
        say("## Retrieval misses (rank > 5) of this project\n")
        for miss in misses:
            say(f"- {miss}")
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\nwritten to {args.write}")
    Path(REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
    (REPO_ROOT / "test-artifacts" / "bench.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
