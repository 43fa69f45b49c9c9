"""Fit triage thresholds on the *tune* split and write ``corpus/triage/calibration.yaml``.

    python -m benchmarks.tune_triage

Only tune-split items are used for fitting; the held-out figures are printed for the
record, never used to choose anything.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import yaml

from assistant.embeddings import load_embedder
from assistant.settings import REPO_ROOT, Settings
from assistant.triage import Understanding
from benchmarks.triage import (
    CALM_SUITES,
    EMERGENCY_SUITES,
    INTENT_SUITES,
    collect,
    evaluate_emergency,
    evaluate_intents,
    tune,
)


def main() -> int:
    os.environ["HF_HUB_OFFLINE"] = "1"
    settings = Settings()
    folder = settings.corpus_dir / "triage"
    understanding = Understanding.load(
        folder, load_embedder(), cache_dir=settings.data_dir / "triage"
    )
    items = collect(
        REPO_ROOT / "evals", understanding, EMERGENCY_SUITES + CALM_SUITES + INTENT_SUITES
    )
    calibration = tune(items, understanding)
    figures = evaluate_emergency(items, calibration)
    tuned = Understanding(understanding.model, understanding.lexicon, calibration)
    intents = evaluate_intents(items, tuned)
    calibration.fitted_on = (
        f"tune split of {', '.join(EMERGENCY_SUITES + CALM_SUITES + INTENT_SUITES)}, "
        f"{datetime.now(UTC):%Y-%m-%d}, exemplar bank {understanding.model.fingerprint}"
        if understanding.model
        else "no model"
    )
    calibration.tune_figures = {
        **calibration.tune_figures,
        "emergency_recall": round(figures["tune"].recall, 4),
        "emergency_false_alarm_rate": round(figures["tune"].false_alarm_rate, 4),
        "decision_f1": round(intents["decision"]["tune"]["f1"], 4),
        "out_of_scope_f1": round(intents["out_of_scope"]["tune"]["f1"], 4),
        "disclosure_f1": round(intents["disclosure"]["tune"]["f1"], 4),
    }
    header = (
        "# Written by `python -m benchmarks.tune_triage` from the TUNE split only.\n"
        "# Do not edit by hand: add exemplars or dev items and re-run it.\n"
    )
    path = folder / "calibration.yaml"
    path.write_text(
        header + yaml.safe_dump(calibration.model_dump(), sort_keys=False), encoding="utf-8"
    )
    for split, f in figures.items():
        print(
            f"{split}: recall {f.caught}/{f.positives}, false alarms {f.false_alarms}/{f.negatives}"
        )
        for miss in f.missed:
            print("  missed", miss)
        if split == "tune":
            for alarm in f.alarms:
                print("  alarm", alarm)
    danger_dev = evaluate_emergency([i for i in items if i.suite == "danger-dev"], calibration)
    for split, f in danger_dev.items():
        print(
            f"danger-dev {split}: recall {f.caught}/{f.positives}, "
            f"false alarms {f.false_alarms}/{f.negatives} ({f.false_alarm_rate:.3f})"
        )
    for intent, by_split in intents.items():
        print(intent, {k: {m: round(v, 3) for m, v in d.items()} for k, d in by_split.items()})
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
