"""What the Evaluations compare view shows for two runs: per-case pass/fail changes and
metric deltas (from ``assistant.evaluation.compare``), as plain template context.

The words carry the meaning (``better``/``worse``, ``Passed``/``Failed``), never colour
alone, so the view reads the same to a screen reader and in print.
"""

from __future__ import annotations

from typing import Any

from assistant.evaluation.compare import CaseChange, Comparison, MetricDelta
from assistant.evaluation.results import CaseResult

_CHANGE_GROUPS: tuple[tuple[str, str], ...] = (
    ("regressions", "Passed before, fails now"),
    ("improvements", "Failed before, passes now"),
    ("still_failing", "Failed in both runs"),
    ("new_cases", "Only in the later run"),
    ("removed_cases", "Only in the earlier run"),
)
_PERCENT = frozenset(
    {
        "pass_rate",
        "hit_rate",
        "fact_coverage",
        "citation_validity",
        "refusal_accuracy",
        "notice_accuracy",
    }
)


def format_metric(metric: str, value: float | None) -> str:
    if value is None:
        return "–"
    if metric in _PERCENT:
        return f"{value:.0%}"
    if metric == "mrr":
        return f"{value:.2f}"
    if metric.endswith("_ms"):
        return f"{value:,.0f} ms"
    return f"{value:g}"


def format_delta(delta: MetricDelta) -> str:
    d = delta.delta
    if d is None:
        return "not measured in both runs"
    if abs(d) < 1e-9:
        return "no change"
    sign = "+" if d > 0 else "−"
    if delta.metric in _PERCENT:
        amount = f"{abs(d) * 100:.0f} points"
    elif delta.metric == "mrr":
        amount = f"{abs(d):.2f}"
    elif delta.metric.endswith("_ms"):
        amount = f"{abs(d):,.0f} ms"
    else:
        amount = f"{abs(d):g}"
    return f"{sign}{amount} ({delta.direction})"


def _status(result: CaseResult | None) -> str:
    if result is None:
        return "Not in this run"
    return "Passed" if result.passed else "Failed"


def _case_row(change: CaseChange, group: str) -> dict[str, Any]:
    what: list[str] = []
    if change.newly_failed_checks:
        what.append("Now fails: " + ", ".join(change.newly_failed_checks))
    if change.fixed_checks:
        what.append("Now passes: " + ", ".join(change.fixed_checks))
    return {
        "key": change.key,
        "question": change.question,
        "group": group,
        "before": _status(change.before),
        "after": _status(change.after),
        "what": "; ".join(what),
    }


def comparison_context(
    comparison: Comparison, before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    """``before``/``after``: the two runs' rows as the runs table shows them."""
    case_rows = [
        _case_row(change, label)
        for attr, label in _CHANGE_GROUPS
        for change in getattr(comparison, attr)
    ]
    metric_rows = [
        {
            "scope": "All suites" if d.scope == "overall" else d.scope,
            "label": d.label,
            "before": format_metric(d.metric, d.before),
            "after": format_metric(d.metric, d.after),
            "change": format_delta(d),
            "direction": d.direction,
        }
        for d in comparison.metrics
    ]
    counts = {attr: len(getattr(comparison, attr)) for attr, _ in _CHANGE_GROUPS}
    return {
        "before": before,
        "after": after,
        "case_rows": case_rows,
        "metric_rows": metric_rows,
        "counts": counts,
        "settings_changed": comparison.settings_changed,
        "corpus_changed": comparison.corpus_changed,
    }
