"""A run's verdict in words that cannot mislead: how many cases failed, which pass marks
were set and met, and what regressed.

The CLI, the HTML report and the Evaluations page all show this one wording. A suite that
sets no pass marks is judged by the default (``DEFAULT_PASS_RATE``: every case must pass),
and the verdict says so; older run files recorded before that default are judged the same
way when they are read back.
"""

from __future__ import annotations

from pydantic import BaseModel

from assistant.evaluation.results import Run, SuiteSummary, ThresholdResult
from assistant.evaluation.suite import DEFAULT_PASS_RATE


class Verdict(BaseModel):
    passed: bool
    headline: str
    """One sentence, e.g. "FAILED: 3 of 4 cases failed; no pass marks set for this suite,
    so every case had to pass." """
    reasons: list[str]
    """Each pass mark not met and each regression, one line each."""

    @property
    def label(self) -> str:
        return "PASSED" if self.passed else "FAILED"


def gate_label(name: str) -> str:
    if name.startswith("tag:"):
        return f"pass rate of cases tagged {name[4:]!r}"
    return {"pass_rate": "pass rate", "hit_rate": "retrieval hit@k", "mrr": "MRR"}.get(name, name)


def _value(name: str, value: float) -> str:
    return f"{value:.2f}" if name == "mrr" else f"{value:.0%}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def suite_gates(suite: SuiteSummary) -> list[ThresholdResult]:
    """The suite's recorded gates; for a run recorded without any, the default one."""
    if suite.thresholds:
        return list(suite.thresholds)
    m = suite.metrics
    actual = m.pass_rate if m.cases else None
    return [
        ThresholdResult(
            suite=suite.name,
            name="pass_rate",
            required=DEFAULT_PASS_RATE,
            actual=actual,
            passed=actual is not None and actual + 1e-9 >= DEFAULT_PASS_RATE,
            default=True,
        )
    ]


def _reason(gate: ThresholdResult) -> str:
    what = gate_label(gate.name)
    mark = (
        f"the default pass mark of {_value(gate.name, gate.required)} "
        "(the suite sets no pass marks)"
        if gate.default
        else f"its pass mark of {_value(gate.name, gate.required)}"
    )
    if gate.actual is None:
        return f"{gate.suite}: no cases to measure the {what} against {mark}."
    return f"{gate.suite}: {what} {_value(gate.name, gate.actual)} is below {mark}."


def _marks_part(suites: list[SuiteSummary], gates: list[ThresholdResult]) -> str:
    unset = [s.name for s in suites if all(g.default for g in suite_gates(s))]
    set_gates = [g for g in gates if not g.default]
    parts: list[str] = []
    if unset and len(unset) == len(suites):
        this = "this suite" if len(suites) == 1 else "these suites"
        parts.append(f"no pass marks set for {this}, so every case had to pass")
    elif unset:
        names = ", ".join(repr(n) for n in unset)
        parts.append(f"no pass marks set for {names}, so every case there had to pass")
    if set_gates:
        measured = [g for g in set_gates if not g.skipped]
        missed = [g for g in measured if not g.passed]
        if missed:
            parts.append(f"{len(missed)} of {_plural(len(measured), 'pass mark')} not met")
        elif measured:
            parts.append("every pass mark set was met")
        skipped = len(set_gates) - len(measured)
        if skipped:
            parts.append(f"{_plural(skipped, 'pass mark')} skipped (run filtered by tag)")
    return "; ".join(parts)


def run_verdict(run: Run) -> Verdict:
    summary = run.summary
    gates = [g for s in summary.by_suite for g in suite_gates(s)]
    regressions = list(summary.regressions)
    passed = all(g.passed for g in gates) and not regressions
    overall = summary.overall
    if overall.cases == 0:
        cases = "no cases were run"
    elif overall.failed == 0:
        cases = f"all {_plural(overall.cases, 'case')} passed"
    else:
        cases = f"{overall.failed} of {_plural(overall.cases, 'case')} failed"
    parts = [cases]
    marks = _marks_part(list(summary.by_suite), gates)
    if marks:
        parts.append(marks)
    if regressions:
        since = f" since run {summary.compared_with}" if summary.compared_with else ""
        parts.append(f"{_plural(len(regressions), 'case')} regressed{since}")
    reasons = [_reason(g) for g in gates if not g.passed]
    reasons += [f"Regressed: {key} passed before and fails now." for key in regressions]
    label = "PASSED" if passed else "FAILED"
    return Verdict(passed=passed, headline=f"{label}: {'; '.join(parts)}.", reasons=reasons)
