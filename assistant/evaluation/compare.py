"""Compare two runs case by case: regressions (pass → fail) gate releases."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.evaluation.results import CaseResult, MetricSummary, Run

COMPARED_METRICS: tuple[tuple[str, str, bool], ...] = (
    # (field, label, higher is better)
    ("pass_rate", "Pass rate", True),
    ("hit_rate", "Retrieval hit@k", True),
    ("mrr", "MRR", True),
    ("fact_coverage", "Fact coverage", True),
    ("citation_validity", "Citation validity", True),
    ("refusal_accuracy", "Refusal correctness", True),
    ("notice_accuracy", "Notice correctness", True),
    ("forbidden_violations", "Forbidden phrases found", False),
    ("latency_p50_ms", "Latency p50 (ms)", False),
    ("latency_p95_ms", "Latency p95 (ms)", False),
)


class CaseChange(BaseModel):
    key: str
    suite: str
    case_id: str
    question: str
    before: CaseResult | None = None
    after: CaseResult | None = None
    newly_failed_checks: list[str] = Field(default_factory=list)
    fixed_checks: list[str] = Field(default_factory=list)


class MetricDelta(BaseModel):
    scope: str
    """``overall`` or a suite name."""
    metric: str
    label: str
    before: float | None
    after: float | None
    higher_is_better: bool

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def direction(self) -> str:
        """``better``, ``worse`` or ``same`` (``same`` when either side is missing)."""
        d = self.delta
        if d is None or abs(d) < 1e-9:
            return "same"
        return "better" if (d > 0) == self.higher_is_better else "worse"


class Comparison(BaseModel):
    previous_run: str
    current_run: str
    previous_started: str
    current_started: str
    settings_changed: bool
    corpus_changed: bool
    previous_settings: str
    current_settings: str
    previous_corpus: str
    current_corpus: str
    regressions: list[CaseChange] = Field(default_factory=list)
    improvements: list[CaseChange] = Field(default_factory=list)
    still_failing: list[CaseChange] = Field(default_factory=list)
    new_cases: list[CaseChange] = Field(default_factory=list)
    removed_cases: list[CaseChange] = Field(default_factory=list)
    metrics: list[MetricDelta] = Field(default_factory=list)


def _failed_names(result: CaseResult | None) -> set[str]:
    return {c.name for c in result.checks if not c.passed} if result else set()


def _change(key: str, before: CaseResult | None, after: CaseResult | None) -> CaseChange:
    ref = after or before
    assert ref is not None
    return CaseChange(
        key=key,
        suite=ref.suite,
        case_id=ref.case_id,
        question=ref.question,
        before=before,
        after=after,
        newly_failed_checks=sorted(_failed_names(after) - _failed_names(before)),
        fixed_checks=sorted(_failed_names(before) - _failed_names(after)),
    )


def _deltas(
    scope: str, before: MetricSummary | None, after: MetricSummary | None
) -> list[MetricDelta]:
    out = []
    for field, label, higher in COMPARED_METRICS:
        b = getattr(before, field) if before else None
        a = getattr(after, field) if after else None
        if b is None and a is None:
            continue
        out.append(
            MetricDelta(
                scope=scope, metric=field, label=label, before=b, after=a, higher_is_better=higher
            )
        )
    return out


def compare_runs(previous: Run, current: Run) -> Comparison:
    """Case-level changes and metric deltas from ``previous`` to ``current``."""
    before = {r.key: r for r in previous.results}
    after = {r.key: r for r in current.results}
    comparison = Comparison(
        previous_run=previous.run_id,
        current_run=current.run_id,
        previous_started=previous.started.isoformat(),
        current_started=current.started.isoformat(),
        settings_changed=previous.settings_fingerprint != current.settings_fingerprint,
        corpus_changed=previous.corpus_version != current.corpus_version,
        previous_settings=previous.settings_fingerprint,
        current_settings=current.settings_fingerprint,
        previous_corpus=previous.corpus_version,
        current_corpus=current.corpus_version,
    )
    for key, now in after.items():
        then = before.get(key)
        if then is None:
            comparison.new_cases.append(_change(key, None, now))
        elif then.passed and not now.passed:
            comparison.regressions.append(_change(key, then, now))
        elif not then.passed and now.passed:
            comparison.improvements.append(_change(key, then, now))
        elif not now.passed:
            comparison.still_failing.append(_change(key, then, now))
    comparison.removed_cases = [_change(k, r, None) for k, r in before.items() if k not in after]
    comparison.metrics = _deltas("overall", previous.summary.overall, current.summary.overall)
    previous_suites = {s.name: s.metrics for s in previous.summary.by_suite}
    for suite in current.summary.by_suite:
        comparison.metrics += _deltas(suite.name, previous_suites.get(suite.name), suite.metrics)
    return comparison
