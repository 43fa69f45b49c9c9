"""Load through the proxy: asks/s and p50/p95/p99 of `POST /api/ask` at 1, 4 and 16
concurrent clients, with 1 and 2 app processes behind nginx (deploy/nginx.conf.template,
TLS and the SSO stub as in the deployment test), and the peak RSS of each app process.

Run alone: ``.venv/bin/python -m benchmarks.load [--data-dir DIR] [--seconds 20]``
(``make bench`` runs it as its last stage). Without nginx it says so and measures nothing.
Rate limits are off (this measures capacity, not the per-person limit); each client is its
own signed-in user. Questions are the evaluation suites' questions, cycled.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import yaml

from assistant.settings import REPO_ROOT
from benchmarks.topology import AppProcess, Nginx, app_env, free_port, nginx_binary

CLIENTS = (1, 4, 16)
LOAD_SECONDS = 20.0
WORKERS = (1, 2)


@dataclass
class LoadRow:
    workers: int
    clients: int
    asks: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    peak_rss_mb: list[float]

    @property
    def asks_per_s(self) -> float:
        return self.asks / self.seconds if self.seconds else 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def questions() -> list[str]:
    found: dict[str, None] = {}
    for path in sorted((REPO_ROOT / "evals").glob("*-dev.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for case in data.get("cases") or []:
            if not case.get("history") and case.get("question"):
                found[str(case["question"])] = None
    return list(found)


class RssSampler:
    """Peak RSS of each app process (children included), sampled every 50 ms."""

    def __init__(self, apps: list[AppProcess]) -> None:
        self.apps = apps
        self.peak = [0] * len(apps)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for i, app in enumerate(self.apps):
                try:
                    proc = psutil.Process(app.process.pid)  # type: ignore[union-attr]
                    rss = proc.memory_info().rss + sum(
                        c.memory_info().rss for c in proc.children(recursive=True)
                    )
                except psutil.Error:
                    continue
                self.peak[i] = max(self.peak[i], rss)
            time.sleep(0.05)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def topology(
    data_dir: Path, workers: int, folder: Path
) -> Iterator[tuple[Nginx, list[AppProcess]]]:
    env = app_env(
        data_dir,
        {
            "ASSISTANT_SECRET_KEY": "load-benchmark-secret-not-for-use",
            "ASSISTANT_RATE_LIMIT__ENABLED": "false",
            "ASSISTANT_LOG_FORMAT": "json",
        },
        processes=workers,
    )
    apps = [AppProcess(free_port(), env, folder / f"app{n}.log") for n in range(workers)]
    nginx = Nginx(folder / "nginx", [a.port for a in apps])
    try:
        for app in apps:
            app.start()
        for app in apps:
            app.wait_ready(900)
        nginx.start()
        with httpx.Client(verify=str(nginx.certificate), cookies={"sso_user": "warm"}) as http:
            for _ in range(2 * workers):  # round robin: every process answers once, unhurried
                http.post(f"{nginx.url}/api/ask", json={"question": "who do I phone?"}, timeout=900)
        yield nginx, apps
    finally:
        nginx.stop()
        for app in apps:
            app.stop()


def drive(nginx: Nginx, clients: int, seconds: float, asked: list[str]) -> tuple[list[float], int]:
    """``clients`` threads asking back to back for ``seconds``; latencies (ms) and errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal errors
        with httpx.Client(
            base_url=nginx.url,
            verify=str(nginx.certificate),
            cookies={"sso_user": f"load{n}"},
            timeout=60,
        ) as http:
            i = n * 7
            while time.monotonic() < stop_at:
                question = asked[i % len(asked)]
                i += clients
                started = time.perf_counter()
                try:
                    ok = http.post("/api/ask", json={"question": question}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def measure(
    data_dir: Path,
    seconds: float = LOAD_SECONDS,
    say: Callable[[str], None] = print,
    workers_options: tuple[int, ...] = WORKERS,
) -> list[LoadRow] | None:
    """Every (workers, clients) cell; ``None`` (after saying why) when nginx is missing."""
    if nginx_binary() is None:
        say("nginx not installed (Debian: apt-get install nginx-light): load stage skipped")
        return None
    asked = questions()
    rows: list[LoadRow] = []
    for workers in workers_options:
        folder = Path(tempfile.mkdtemp(prefix=f"assistant-load-{workers}-"))
        try:
            with topology(data_dir, workers, folder) as (nginx, apps), RssSampler(apps) as rss:
                drive(nginx, 2 * workers, 5, asked[::-1])  # warm up every process
                for clients in CLIENTS:
                    started = time.monotonic()
                    latencies, errors = drive(nginx, clients, seconds, asked)
                    elapsed = time.monotonic() - started
                    rows.append(
                        LoadRow(
                            workers=workers,
                            clients=clients,
                            asks=len(latencies),
                            errors=errors,
                            seconds=elapsed,
                            p50_ms=statistics.median(latencies) if latencies else float("nan"),
                            p95_ms=percentile(latencies, 0.95),
                            p99_ms=percentile(latencies, 0.99),
                            peak_rss_mb=[p / 2**20 for p in rss.peak],
                        )
                    )
                    say(_row(rows[-1]))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return rows


def _row(r: LoadRow) -> str:
    rss = " / ".join(f"{m:.0f}" for m in r.peak_rss_mb)
    return (
        f"| {r.workers} | {r.clients} | {r.asks_per_s:.1f} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | "
        f"{r.p99_ms:.0f} | {r.errors} | {rss} |"
    )


def table(rows: list[LoadRow], seconds: float) -> list[str]:
    lines = [
        f"## Load through nginx (`POST /api/ask`, {seconds:.0f} s per cell)\n",
        "Each client is one signed-in user asking back to back over TLS through "
        "deploy/nginx.conf.template; rate limits off; model threads per process = cores ÷ "
        "processes (`OMP_NUM_THREADS`). `python -m benchmarks.load` runs this alone.\n",
        "| app processes | clients | asks/s | p50 ms | p95 ms | p99 ms | errors "
        "| peak RSS per process (MB) |",
        "|---|---|---|---|---|---|---|---|",
        *(_row(r) for r in rows),
        "",
    ]
    return lines


def _built_index() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="assistant-load-data-"))
    assistant = shutil.which("assistant", path=str(REPO_ROOT / ".venv" / "bin")) or "assistant"
    env = {**app_env(folder, {}), "ASSISTANT_AUTH__MODE": "none"}
    subprocess.run([assistant, "ingest"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(  # fills the triage exemplar cache, as the image build does
        [assistant, "ask", "who do I phone?"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="a data directory with a built index")
    parser.add_argument("--seconds", type=float, default=LOAD_SECONDS)
    parser.add_argument("--workers", type=int, nargs="*", default=list(WORKERS))
    args = parser.parse_args(argv)
    data_dir = args.data_dir or _built_index()
    print("| app processes | clients | asks/s | p50 ms | p95 ms | p99 ms | errors | RSS MB |")
    rows = measure(data_dir, args.seconds, workers_options=tuple(args.workers))
    if rows is None:
        return 0
    print("\n".join(table(rows, args.seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
