"""The service's Prometheus metrics: the metric objects, their label vocabularies, and the
text exposition ``/metrics`` serves (docs/observability.md lists them).

Every label value comes from a fixed vocabulary (the ``Literal`` types below, the notice
kinds, the redaction kinds, the app's own route templates); anything else is counted as
``other``, so no question, name, token or id can become a label and the number of series
stays bounded.

With ``PROMETHEUS_MULTIPROC_DIR`` set (before the process starts: prometheus_client reads
it on import) every worker writes its samples to files there and ``/metrics`` on any
worker reports the sum over all of them. Without it the samples live in this process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, Literal, get_args

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from assistant.triage.personal_data import PLACEHOLDERS
from assistant.types import Answer, NoticeKind

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"

disable_created_metrics()  # no ``*_created`` series: start times of counters say nothing

Method = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"]
StatusClass = Literal["1xx", "2xx", "3xx", "4xx", "5xx"]
ComposerLabel = Literal["extractive", "llm", "none", "other"]
"""Who wrote the answer's text: a composer, or ``none`` for the fixed routes."""
Strategy = Literal[
    "composed",
    "crisis_card",
    "escalation_route",
    "practice_route",
    "support",
    "search_only",
    "not_covered",
    "other",
]
"""The route the facade took for the question (DESIGN.md: one strategy per intent)."""
RefusalReason = Literal["not_covered", "search_only"]
FallbackReason = Literal["unavailable", "switched_off"]

UNMATCHED: Final = "unmatched"
"""The route label of a request no route matched (its path is never a label)."""

_STRATEGIES: Final[dict[str, tuple[ComposerLabel, Strategy]]] = {
    "extractive": ("extractive", "composed"),
    "crisis-card": ("none", "crisis_card"),
    "crisis-card+extractive": ("extractive", "crisis_card"),
    "escalation-route": ("none", "escalation_route"),
    "practice-route": ("extractive", "practice_route"),
    "support": ("none", "support"),
    "search-only": ("none", "search_only"),
    "none": ("none", "not_covered"),
}
"""``Answer.composer`` values (assistant/pipeline.py) → (composer, strategy) labels."""

NOTICE_KINDS: Final[tuple[str, ...]] = get_args(NoticeKind)
REDACTION_KINDS: Final[tuple[str, ...]] = (*PLACEHOLDERS, "other")
METHODS: Final[tuple[str, ...]] = get_args(Method)
LATENCY_BUCKETS: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
"""Seconds; streamed answers (server-sent events) take longer than pages."""


def answer_labels(composer: str) -> tuple[ComposerLabel, Strategy]:
    """The (composer, strategy) labels of an answer; an LLM composer is ``llm``, whatever
    model it names."""
    if composer.startswith("llm:"):
        return "llm", "composed"
    return _STRATEGIES.get(composer, ("other", "other"))


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


def status_class(status: int) -> StatusClass:
    classes: tuple[StatusClass, ...] = get_args(StatusClass)
    return classes[min(max(status // 100, 1), 5) - 1]


def multiprocess_dir() -> Path | None:
    """The shared directory of multi-worker mode, or None (one process)."""
    value = os.environ.get(MULTIPROC_ENV) or os.environ.get(MULTIPROC_ENV.lower())
    return Path(value) if value else None


def reset_multiprocess_dir() -> None:
    """Empty the shared directory before the workers start (``assistant serve`` does this),
    so a previous run's counts are not added in."""
    shared = multiprocess_dir()
    if shared is None:
        return
    shared.mkdir(parents=True, exist_ok=True)
    for stale in shared.glob("*.db"):
        stale.unlink(missing_ok=True)


class ServerMetrics:
    """The metric objects of one app. ``shared_dir``: read every worker's samples there."""

    def __init__(self, shared_dir: Path | None = None) -> None:
        self.shared_dir = shared_dir
        self.registry = CollectorRegistry()
        if shared_dir is None:  # per-process figures mean nothing summed over workers
            ProcessCollector(registry=self.registry)
        registry = self.registry
        self.requests = Counter(
            "assistant_http_requests",
            "HTTP requests by route template, method and status class.",
            ["route", "method", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "assistant_http_request_duration_seconds",
            "Time from the request to the end of its response, by route template.",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.answers = Counter(
            "assistant_answers",
            "Answers given (web and API), by composer and strategy.",
            ["composer", "strategy"],
            registry=registry,
        )
        self.notices = Counter(
            "assistant_notices", "Notices shown with answers, by kind.", ["kind"], registry=registry
        )
        self.refusals = Counter(
            "assistant_refusals",
            "Answers withheld: the documents do not answer (not_covered) or search-only mode.",
            ["reason"],
            registry=registry,
        )
        self.redactions = Counter(
            "assistant_redactions",
            "Identifiers removed from questions, by kind (counts only).",
            ["kind"],
            registry=registry,
        )
        self.llm_fallbacks = Counter(
            "assistant_llm_fallbacks",
            "Answers quoted extractively although a language model is configured, by reason.",
            ["reason"],
            registry=registry,
        )
        self._zero()

    def _zero(self) -> None:
        """Every series of a fixed vocabulary exists from the start (0, not missing)."""
        for kind in NOTICE_KINDS:
            self.notices.labels(kind=kind)
        for kind in REDACTION_KINDS:
            self.redactions.labels(kind=kind)
        for reason in get_args(RefusalReason):
            self.refusals.labels(reason=reason)
        for reason in get_args(FallbackReason):
            self.llm_fallbacks.labels(reason=reason)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        labels = {"route": route, "method": method_label(method), "status": status_class(status)}
        self.requests.labels(**labels).inc()
        self.latency.labels(**labels).observe(seconds)

    def observe_answer(self, answer: Answer) -> None:
        composer, strategy = answer_labels(answer.composer)
        self.answers.labels(composer=composer, strategy=strategy).inc()
        for notice in answer.notices:
            kind = notice.kind if notice.kind in NOTICE_KINDS else "other"
            self.notices.labels(kind=kind).inc()
        if answer.refused:
            reason: RefusalReason = "search_only" if strategy == "search_only" else "not_covered"
            self.refusals.labels(reason=reason).inc()
        for removed, count in answer.redactions.items():
            if count > 0:
                label = removed if removed in REDACTION_KINDS else "other"
                self.redactions.labels(kind=label).inc(count)
        if answer.llm_fallback is not None:
            self.llm_fallbacks.labels(reason=answer.llm_fallback).inc()

    def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """The body and content type for a scrape sending ``accept`` (the Prometheus text
        format, or OpenMetrics when asked for): this process's samples, or every worker's."""
        encode, content_type = choose_encoder(accept)
        if self.shared_dir is None:
            return encode(self.registry), content_type
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.shared_dir))
        return encode(registry), content_type
