"""JUnit XML: CI shows each case, why it failed, and the gates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assistant.evaluation.reports.junit import render_junit
from tests.unit.eval_sample_runs import sample_run


def test_junit_lists_cases_failures_and_gates() -> None:
    run = sample_run(good=False)
    run.results[2].error = "RuntimeError: boom"
    root = ET.fromstring(render_junit(run))
    demo = root.find("testsuite[@name='demo']")
    assert demo is not None
    assert demo.get("tests") == "3" and demo.get("failures") == "1" and demo.get("errors") == "1"
    danger = demo.find("testcase[@name='danger']")
    assert danger is not None and danger.get("classname") == "evals.demo"
    failure = danger.find("failure")
    assert failure is not None
    assert failure.get("type") == "not_contains,first_notice,citations_valid"
    assert "expected: The answer must not contain: “level 3 applies”" in (failure.text or "")
    assert demo.find("testcase[@name='meets']/error") is not None
    gates = root.find("testsuite[@name='gates']")
    assert gates is not None
    failed_gates = [c.get("name") for c in gates if c.find("failure") is not None]
    assert failed_gates == ["tag:safety"]
    assert root.get("failures") == str(1 + 1)


def test_junit_of_a_clean_run_has_no_failures() -> None:
    root = ET.fromstring(render_junit(sample_run(good=True)))
    demo = root.find("testsuite[@name='demo']")
    assert demo is not None and demo.get("failures") == "1"  # 'meets' fails in the good run
    props = {p.get("name"): p.get("value") for p in demo.iter("property")}
    assert props["settings_fingerprint"] == "fp-good" and props["corpus_version"] == "v2"
