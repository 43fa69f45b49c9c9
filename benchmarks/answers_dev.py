"""Answer quality in-process (no server): the quick loop for tuning answer strategies.

``python -m benchmarks.answers_dev [--split tune|held-out|all] [--dump FILE]`` prints fact
coverage and "not covered" correctness for the answer suites of ``make bench`` and can
write every miss to a file. Tune on ``--split tune`` only; ``make bench`` quotes held-out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from assistant.evaluation.splits import split_of
from assistant.pipeline import Assistant
from benchmarks.run import ANSWER_SUITES, fact_found, load_cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="tune", choices=["tune", "held-out", "all"])
    parser.add_argument("--dump", default=None)
    parser.add_argument("--suite", action="append", default=None)
    args = parser.parse_args(argv)
    assistant = Assistant()
    assistant.load()
    assistant.warm_up_triage()
    cases = [
        c
        for c in load_cases(args.suite or ANSWER_SUITES)
        if args.split == "all" or split_of(c.id) == args.split
    ]
    facts = hits = 0
    unans = unans_ok = ans = ans_ok = 0
    misses = []
    times = []
    for case in cases:
        started = time.perf_counter()
        answer = assistant.ask(case.question, case.history, case.partnership)
        times.append((time.perf_counter() - started) * 1000)
        found = [fact_found(f, answer.answer) for f in case.facts]
        facts += len(found)
        hits += sum(found)
        wrong_refusal = case.refused is not None and answer.refused != case.refused
        if case.refused is True:
            unans += 1
            unans_ok += answer.refused
        elif case.refused is False or case.facts:
            ans += 1
            ans_ok += not answer.refused
        if not all(found) or wrong_refusal:
            misses.append(
                {
                    "id": case.id,
                    "question": case.question,
                    "expected_refused": case.refused,
                    "refused": answer.refused,
                    "composer": answer.composer,
                    "missing": [f for f, ok in zip(case.facts, found, strict=True) if not ok],
                    "answer": answer.answer,
                    "docs": [c.doc_id for c in answer.citations],
                }
            )
    times.sort()
    print(f"cases {len(cases)} ({args.split})")
    print(f"fact coverage {hits / max(facts, 1):.3f} ({hits}/{facts})")
    print(f"not covered on unanswerable {unans_ok}/{unans}")
    print(f"answered on answerable {ans_ok}/{ans}")
    print(f"p50 {times[len(times) // 2]:.1f} ms")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as handle:
            json.dump(misses, handle, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
