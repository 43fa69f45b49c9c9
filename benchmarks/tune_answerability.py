"""Fit the answerability gate on the TUNE split only and write ``corpus/answerability.yaml``.

``python -m benchmarks.tune_answerability`` answers every tune item that says whether it
should be refused (answer suites, intents, practitioner questions) with the gate switched
off, collects the gate's evidence, fits a class-weighted logistic model over
``assistant.answerability.FEATURES`` and picks the threshold that withholds the most
unanswerable items while wrongly withholding at most ``--max-wrong`` of answerable ones.
Held-out items are never read here; ``make bench`` reports them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

from assistant.answerability import FEATURES
from assistant.evaluation.splits import split_of
from assistant.pipeline import Assistant
from assistant.settings import REPO_ROOT
from assistant.types import GateEvidence
from benchmarks.run import ANSWER_SUITES, load_cases

GATE_SUITES = [*ANSWER_SUITES, "intents-dev.yaml"]


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.002, steps: int = 20000) -> np.ndarray:
    """Class-weighted logistic regression by gradient descent (bias last)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    pos, neg = max(y.sum(), 1), max((1 - y).sum(), 1)
    sample = np.where(y == 1, 0.5 / pos, 0.5 / neg)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (sample * (p - y)) + l2 * np.r_[w[:-1], 0.0]
        w -= 2.0 * grad
    return w


def collect() -> list[dict[str, object]]:
    """Every tune item's gate evidence, answered with the gate switched off."""
    assistant = Assistant()
    assistant.load()
    assistant.warm_up_triage()
    assistant.gate = None
    evidence: list[dict[str, object]] = []
    cases = [c for c in load_cases(GATE_SUITES) if c.refused is not None]
    for case in cases:
        if split_of(case.id) != "tune":
            continue
        answer = assistant.ask(case.question, case.history, case.partnership)
        if answer.gate is None:
            continue  # withheld or routed before the gate: not the gate's decision
        evidence.append(
            {
                "label": 0 if case.refused else 1,
                "name": f"{case.id}: {case.question}",
                **answer.gate.model_dump(),
            }
        )
    return evidence


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-wrong", type=float, default=0.03)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--dump", help="write every tune item's gate evidence to this file")
    parser.add_argument(
        "--from-dump", help="refit from a file --dump wrote instead of answering again"
    )
    args = parser.parse_args(argv)
    rows: list[list[float]] = []
    labels: list[int] = []
    names: list[str] = []
    evidence: list[dict[str, object]] = (
        json.loads(Path(args.from_dump).read_text(encoding="utf-8"))
        if args.from_dump
        else collect()
    )
    for row in evidence:
        gate = GateEvidence.model_validate(row)
        rows.append(gate.features())
        labels.append(int(str(row["label"])))
        names.append(str(row["name"]))
    if args.dump:
        Path(args.dump).write_text(json.dumps(evidence, indent=1), encoding="utf-8")
    x, y = np.asarray(rows), np.asarray(labels, dtype=float)
    w = fit(x, y)
    p = 1 / (1 + np.exp(-(np.hstack([x, np.ones((len(x), 1))]) @ w)))
    answerable, unanswerable = p[y == 1], p[y == 0]
    best = 0.0
    for threshold in sorted(set(np.round(p, 4))):
        wrong = float((answerable < threshold).mean())
        if wrong <= args.max_wrong:
            best = float(threshold)
    caught = int((unanswerable < best).sum())
    wrong = int((answerable < best).sum())
    print(f"tune items reaching the gate: {len(y)} ({int(y.sum())} answerable)")
    print("weights:", dict(zip([*FEATURES, "bias"], np.round(w, 3), strict=True)))
    print(
        f"threshold {best:.4f}: unanswerable withheld {caught}/{len(unanswerable)}, "
        f"answerable withheld {wrong}/{len(answerable)}"
    )
    for name, prob, label in sorted(zip(names, p, y, strict=True), key=lambda r: r[1]):
        wrong_side = (prob < best) != (label == 0)
        if wrong_side:
            print(
                f"  {'ANSWERABLE' if label else 'UNANSWERABLE'} p={prob:.3f} {np.round(x[names.index(name)], 2)} {name}"
            )
    if args.write:
        data = {
            "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w[:-1], strict=True)},
            "bias": round(float(w[-1]), 4),
            "threshold": round(best, 4),
            "fitted_on": (
                f"tune split of {', '.join(s.removesuffix('.yaml') for s in GATE_SUITES)}, "
                f"{datetime.now(UTC).date().isoformat()}: {len(y)} items, "
                f"{caught}/{len(unanswerable)} unanswerable withheld, "
                f"{wrong}/{len(answerable)} answerable withheld"
            ),
        }
        path = REPO_ROOT / "corpus" / "answerability.yaml"
        header = (
            "# Written by `python -m benchmarks.tune_answerability --write` from the TUNE split\n"
            "# only. Do not edit by hand: add dev items and re-run it.\n"
        )
        path.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
