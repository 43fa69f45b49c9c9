"""JUnit XML for CI: one testsuite per suite, one testcase per case, plus a gates suite."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assistant.evaluation.results import CaseResult, Run


def _case_element(result: CaseResult) -> ET.Element:
    element = ET.Element(
        "testcase",
        {
            "classname": f"evals.{result.suite}",
            "name": result.case_id,
            "time": f"{result.metrics.latency_ms / 1000:.3f}",
            "file": result.source.rsplit(":", 1)[0] if result.source else "",
        },
    )
    if result.error is not None:
        error = ET.SubElement(element, "error", {"message": result.error})
        error.text = result.error
    elif not result.passed:
        failed = result.failed_checks
        failure = ET.SubElement(
            element,
            "failure",
            {
                "message": "; ".join(f"{c.name}: {c.actual}" for c in failed)[:500],
                "type": ",".join(c.name for c in failed),
            },
        )
        failure.text = (
            "\n".join(f"{c.name}\n  expected: {c.expected}\n  actual:   {c.actual}" for c in failed)
            + f"\n\nQuestion: {result.question}\nAnswer:\n{result.answer}"
        )
    return element


def render_junit(run: Run) -> str:
    root = ET.Element("testsuites", {"name": f"evaluation {run.run_id}"})
    total_tests = total_failures = total_errors = 0
    for info in run.suites:
        results = [r for r in run.results if r.suite == info.name]
        errors = sum(r.error is not None for r in results)
        failures = sum((not r.passed) and r.error is None for r in results)
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": info.name,
                "tests": str(len(results)),
                "failures": str(failures),
                "errors": str(errors),
                "skipped": "0",
                "time": f"{sum(r.metrics.latency_ms for r in results) / 1000:.3f}",
                "timestamp": run.started.strftime("%Y-%m-%dT%H:%M:%S"),
            },
        )
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("settings_fingerprint", run.settings_fingerprint),
            ("corpus_version", run.corpus_version),
            ("git_commit", run.git_commit or ""),
        ):
            ET.SubElement(props, "property", {"name": name, "value": value})
        for result in results:
            suite.append(_case_element(result))
        total_tests += len(results)
        total_failures += failures
        total_errors += errors
    gates = [g for s in run.summary.by_suite for g in s.thresholds]
    if gates or run.summary.regressions:
        gate_suite = ET.SubElement(root, "testsuite", {"name": "gates"})
        gate_failures = 0
        for g in gates:
            case = ET.SubElement(
                gate_suite, "testcase", {"classname": f"gates.{g.suite}", "name": g.name}
            )
            if g.skipped:
                ET.SubElement(case, "skipped", {"message": "filtered run: nothing to measure"})
            elif not g.passed:
                gate_failures += 1
                actual = "no cases" if g.actual is None else f"{g.actual:.3f}"
                ET.SubElement(
                    case, "failure", {"message": f"required {g.required:.3f}, actual {actual}"}
                )
        for key in run.summary.regressions:
            gate_failures += 1
            case = ET.SubElement(
                gate_suite, "testcase", {"classname": "gates.regressions", "name": key}
            )
            ET.SubElement(case, "failure", {"message": "passed in the compared run, fails now"})
        gate_suite.set("tests", str(len(gates) + len(run.summary.regressions)))
        gate_suite.set("failures", str(gate_failures))
        total_tests += len(gates) + len(run.summary.regressions)
        total_failures += gate_failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
