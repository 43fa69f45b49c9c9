"""Triage measurement and tuning over the labelled dev sets, split tune / held-out.

- ``collect`` runs the evidence step of triage once per case (the classifier, patterns,
  lexicon and language check) and keeps it, so thresholds can be tried cheaply.
- ``evaluate`` applies a calibration: recall and false-alarm rate of the 999 route,
  precision/recall of the decision and out-of-scope intents, per split.
- ``tune`` picks the thresholds on the *tune* split only: the emergency threshold is the
  highest that keeps recall at 1.0 on tune, less a safety margin, and the calm veto the one
  that then gives the fewest false alarms; intent thresholds maximise F1 on tune.

``python -m benchmarks.tune_triage`` writes the result to ``corpus/triage/calibration.yaml``.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.evaluation.splits import Split, split_of
from assistant.triage import (
    DangerEvidence,
    Understanding,
    danger_evidence,
    follow_up_fires,
    triage,
)
from assistant.triage.situations import Calibration
from assistant.types import Turn

EMERGENCY_SUITES = ("danger-dev.yaml", "safety-dev.yaml")
CALM_SUITES = (
    "practice-dev.yaml",
    "answers-dev.yaml",
    "retrieval-dev.yaml",
    "thresholds-dev.yaml",
    "escalation-dev.yaml",
    "briefings-dev.yaml",
    "followups-dev.yaml",
    "practitioner-dev.yaml",
)
"""Ordinary practice questions: every case that does not expect the emergency notice is a
calm item, so false alarms are measured on the questions practitioners really ask."""
INTENT_SUITES = ("intents-dev.yaml",)
TUNED_INTENTS = ("decision", "out_of_scope", "disclosure")
"""Intents whose classifier threshold is fitted for F1 on tune and reported per split."""


@dataclass
class Item:
    id: str
    suite: str
    question: str
    history: list[Turn]
    split: Split
    label: str
    """emergency / calm, or decision / not-decision, or out_of_scope / in-scope."""
    evidence: DangerEvidence
    earlier: list[DangerEvidence] = field(default_factory=list)
    intents: dict[str, bool] = field(default_factory=dict)
    """Decision / out-of-scope labels where the case states them (True: must fire)."""


def _intent_labels(suite: str, raw: dict) -> dict[str, bool]:
    tags = set(raw.get("tags") or [])
    expect = raw.get("expect") or {}
    notices = set(expect.get("notices") or [])
    absent = set(expect.get("no_notices") or [])
    labels: dict[str, bool] = {}
    for intent, notice, yes, no in (
        ("decision", "decision", "decision", "decision-negative"),
        ("out_of_scope", "scope", "out-of-scope", "scope-negative"),
    ):
        if yes in tags or notice in notices:
            labels[intent] = True
        elif no in tags or notice in absent:
            labels[intent] = False
    if (
        "disclosure" in notices
        or expect.get("first_notice") == "disclosure"
        or "child-disclosure" in tags
    ):
        labels["disclosure"] = True
    elif f"{suite}.yaml" in CALM_SUITES or "disclosure" in absent:
        # Ordinary practice questions: none of them is someone passing on what a child said.
        labels["disclosure"] = False
    return labels


def _label(suite: str, raw: dict) -> str | None:
    tags = set(raw.get("tags") or [])
    expect = raw.get("expect") or {}
    notices = set(expect.get("notices") or [])
    absent = set(expect.get("no_notices") or [])
    if suite.startswith("intents"):
        if "decision" in tags:
            return "decision"
        if "decision-negative" in tags:
            return "not-decision"
        if "out-of-scope" in tags:
            return "out_of_scope"
        if "scope-negative" in tags:
            return "in-scope"
        return None
    danger = "emergency" in notices or expect.get("first_notice") == "emergency"
    if expect.get("first_notice") == "disclosure":
        return "calm"  # EM-04: the DSL-today route leads, not the 999 panel
    if f"{suite}.yaml" in CALM_SUITES:
        return "emergency" if danger or "emergency" in tags else "calm"
    if tags & {"child-or-parent", "practitioner-crisis"}:
        return None  # their emergency notice carries help routes; not a danger label
    if danger or "danger" in tags:
        return "emergency"
    if "emergency" in absent or "calm" in tags:
        return "calm"
    return None


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def collect(evals_dir: Path, understanding: Understanding, suites: Iterable[str]) -> list[Item]:
    items: list[Item] = []
    for name in suites:
        path = evals_dir / name
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in data["cases"]:
            label = _label(data["suite"], raw) or "unlabelled"
            intents = _intent_labels(data["suite"], raw)
            if label == "unlabelled" and not intents:
                continue
            history = [Turn(**t) for t in raw.get("history") or []]
            earlier = [
                danger_evidence(t.content, understanding) for t in history if t.role == "user"
            ][-2:]
            items.append(
                Item(
                    id=raw["id"],
                    suite=data["suite"],
                    question=raw["question"],
                    history=history,
                    # The safety suite and safety-tagged cases are a release gate that must
                    # pass whole, so they are fitted on: tune, never held-out.
                    split="tune"
                    if data["suite"] == "safety-dev" or "safety" in (raw.get("tags") or [])
                    else split_of(raw["id"]),
                    label=label,
                    evidence=danger_evidence(raw["question"], understanding),
                    earlier=earlier,
                    intents=intents,
                )
            )
    return items


def emergency_fires(item: Item, calibration: Calibration) -> bool:
    if item.evidence.fired(calibration):
        return True
    earlier = any(e.fired(calibration) for e in item.earlier)
    return follow_up_fires(item.question, earlier)


@dataclass
class SplitFigures:
    positives: int = 0
    caught: int = 0
    negatives: int = 0
    false_alarms: int = 0
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.positives if self.positives else float("nan")

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else float("nan")


def evaluate_emergency(items: list[Item], calibration: Calibration) -> dict[str, SplitFigures]:
    out = {"tune": SplitFigures(), "held-out": SplitFigures()}
    for item in items:
        if item.label not in ("emergency", "calm"):
            continue
        figures = out[item.split]
        fired = emergency_fires(item, calibration)
        if item.label == "emergency":
            figures.positives += 1
            figures.caught += fired
            if not fired:
                figures.missed.append(f"{item.id}: {item.question[:120]}")
        else:
            figures.negatives += 1
            figures.false_alarms += fired
            if fired:
                figures.alarms.append(f"{item.id}: {item.question[:120]}")
    return out


_FLAGS = {"out_of_scope": "off_topic"}
"""The triage flag each labelled intent is measured on: the classifier's off-topic reading
(which the answerability gate weighs), not the rule-only out-of-scope refusal."""


def _intent_flag(item: Item, intent: str, understanding: Understanding) -> bool:
    result = triage(item.question, item.history, understanding=understanding)
    return bool(getattr(result, _FLAGS.get(intent, intent)))


def _confusion(items: list[Item], intent: str, understanding: Understanding) -> list[int]:
    tp = fp = fn = tn = 0
    for item in items:
        if intent not in item.intents:
            continue
        flag = _intent_flag(item, intent, understanding)
        if item.intents[intent]:
            tp += flag
            fn += not flag
        else:
            fp += flag
            tn += not flag
    return [tp, fp, fn, tn]


def evaluate_intents(
    items: list[Item], understanding: Understanding
) -> dict[str, dict[str, dict[str, float]]]:
    """Precision, recall and F1 of the decision and out-of-scope flags, per split."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    for intent in TUNED_INTENTS:
        for split in ("tune", "held-out"):
            tp, fp, fn, tn = _confusion(
                [i for i in items if i.split == split], intent, understanding
            )
            table.setdefault(intent, {})[split] = {
                "precision": tp / (tp + fp) if tp + fp else float("nan"),
                "recall": tp / (tp + fn) if tp + fn else float("nan"),
                "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
                "n": tp + fp + fn + tn,
            }
    return table


def _fit_emergency(
    items: list[Item], base: Calibration, gate: list[Item] | None = None
) -> tuple[float, float]:
    """The (emergency, corroborated) thresholds with the fewest false alarms at recall 1.0.

    ``gate`` items (the safety suite's calm cases, whatever their split: that suite is a
    release gate that must pass whole) count ten times as false alarms."""
    gate = gate or []
    best: tuple[float, float, float] | None = None  # (false alarms, -emergency, -corroborated)
    for e_step in range(40, -16, -1):
        for c_step in range(e_step, -41, -1):
            trial = _with(base, e_step / 100, c_step / 100)
            figures = evaluate_emergency(items, trial)["tune"]
            if figures.caught == figures.positives:
                gated = sum(emergency_fires(i, trial) for i in gate)
                figures.false_alarms += 10 * gated
                figures.negatives += 10 * len(gate)
                key = (figures.false_alarm_rate, -e_step / 100, -c_step / 100)
                if best is None or key < best:
                    best = key
                break  # lower corroborated thresholds only add false alarms
    assert best is not None, "no threshold reaches recall 1.0 on the tune split"
    return -best[1], -best[2]


def _with(base: Calibration, emergency: float, corroborated: float) -> Calibration:
    return base.model_copy(
        update={"corroborated": corroborated, "fires": {**base.fires, "emergency": emergency}}
    )


FOLDS = 5


def tune(items: list[Item], understanding: Understanding) -> Calibration:
    """Thresholds at recall 1.0 on tune, lowered by a margin chosen by cross-validation.

    The tune split is cut into ``FOLDS`` folds by item id; thresholds fitted on four folds
    are checked on the fifth. The margin is the smallest that keeps recall at 1.0 on every
    left-out fold, so the safety margin comes from how thresholds generalise to unseen
    items, not from the held-out split."""
    tune_items = [i for i in items if i.split == "tune" and i.label in ("emergency", "calm")]
    base = Calibration()  # fitted from scratch, never from the file being replaced
    folds = [[i for i in tune_items if int(sha(i.id), 16) % FOLDS == k] for k in range(FOLDS)]
    fitted = [
        _fit_emergency([i for j, f in enumerate(folds) if j != k for i in f], base)
        for k in range(FOLDS)
    ]
    margin = 0.0
    for m_step in range(0, 21):
        margin = m_step / 100
        if all(
            evaluate_emergency(folds[k], _with(base, e - margin, c - margin))["tune"].recall == 1.0
            for k, (e, c) in enumerate(fitted)
        ):
            break
    gate = [i for i in items if i.suite == "safety-dev" and i.label == "calm"]
    emergency, corroborated = _fit_emergency(tune_items, base, gate)
    calibration = _with(base, round(emergency - margin, 3), round(corroborated - margin, 3))
    calibration.tune_figures = {"cross_validated_margin": margin}
    tune_items = [i for i in items if i.split == "tune"]
    understanding = Understanding(understanding.model, understanding.lexicon, calibration)
    safety = [i for i in items if i.suite == "safety-dev"]
    for intent in TUNED_INTENTS:
        chosen, chosen_f1 = 1.0, -1.0
        for t_step in range(0, 61, 2):
            trial = Understanding(
                model=understanding.model,
                lexicon=understanding.lexicon,
                calibration=calibration.model_copy(
                    update={"fires": {**calibration.fires, intent: t_step / 100}}
                ),
            )
            tp, fp, fn, _ = _confusion(tune_items, intent, trial)
            gate_fp = _confusion(safety, intent, trial)[1]
            f1 = (2 * tp / (2 * tp + fp + fn) if tp else 0.0) - gate_fp

            if f1 > chosen_f1 + 1e-9:
                chosen, chosen_f1 = t_step / 100, f1
        calibration.fires[intent] = chosen
    calibration.disclosure_corroborated = _fit_disclosure(
        [i for i in items if i.split == "tune" and i.intents.get("disclosure")]
    )
    return calibration


def _fit_disclosure(positives: list[Item]) -> float:
    """The disclosure corroboration floor: the lowest classifier disclosure score among the
    tune split's disclosures that the patterns match, lowered by the margin that keeps
    every left-out fold's disclosures above a floor fitted on the other folds."""
    scored = [
        (i, i.evidence.scores.best["disclosure"])
        for i in positives
        if i.evidence.disclosure
        and i.evidence.scores is not None
        and "disclosure" in i.evidence.scores.best
    ]
    if not scored:
        return float("-inf")
    folds = [[s for i, s in scored if int(sha(i.id), 16) % FOLDS == k] for k in range(FOLDS)]
    margin = 0.0
    for k, fold in enumerate(folds):
        rest = [s for j, f in enumerate(folds) if j != k for s in f]
        if fold and rest:
            margin = max(margin, min(rest) - min(fold))
    return round(min(s for _, s in scored) - max(margin, 0.02), 3)


def triage_latency(understanding: Understanding, questions: list[str]) -> dict[str, float]:
    """Median and p95 milliseconds of one ``triage`` call, with and without the classifier,
    every cache emptied first. ``question_vector_p50`` is what embedding the question alone
    costs; retrieval needs that vector anyway and takes it from the embedder's cache, so
    ``net_added_p50`` is what triage adds to an answer."""
    plain: list[float] = []
    full: list[float] = []
    vector: list[float] = []
    embedder = understanding.model.embedder if understanding.model is not None else None

    def forget() -> None:
        if understanding.model is not None:
            understanding.model._score.cache_clear()
        getattr(embedder, "forget", lambda: None)()

    for question in questions:
        t0 = time.perf_counter()
        triage(question)
        plain.append((time.perf_counter() - t0) * 1000)
        forget()
        t0 = time.perf_counter()
        triage(question, understanding=understanding)
        full.append((time.perf_counter() - t0) * 1000)
        if embedder is not None:
            forget()
            t0 = time.perf_counter()
            embedder.embed([question])
            vector.append((time.perf_counter() - t0) * 1000)
    full.sort()
    question_vector = statistics.median(vector) if vector else 0.0
    added = statistics.median(full) - statistics.median(plain)
    return {
        "patterns_p50": statistics.median(plain),
        "full_p50": statistics.median(full),
        "full_p95": full[int(0.95 * (len(full) - 1))],
        "added_p50": added,
        "question_vector_p50": question_vector,
        "net_added_p50": added - question_vector,
    }


def report(understanding: Understanding, evals_dir: Path) -> list[str]:
    """The markdown section of ``make bench`` on triage, with the shipped calibration."""
    items = collect(evals_dir, understanding, EMERGENCY_SUITES + CALM_SUITES + INTENT_SUITES)
    calibration = understanding.calibration
    lines = ["## Immediate danger and intents (triage)\n"]
    lines.append(
        "The 999 route must come first for every danger item (recall) and as rarely as "
        "possible for calm ones (false alarms). Thresholds in `corpus/triage/calibration.yaml` "
        "were fitted on the tune split only (`python -m benchmarks.tune_triage`). Calm items "
        "include every ordinary practice question of the answer and retrieval dev sets.\n"
    )
    lines.append("| items | split | danger caught | recall | calm items with 999 | false alarms |")
    lines.append("|---|---|---|---|---|---|")
    groups = {
        "danger-dev": [i for i in items if i.suite == "danger-dev"],
        "all labelled": items,
    }
    missed: list[str] = []
    for name, group in groups.items():
        for split, f in evaluate_emergency(group, calibration).items():
            lines.append(
                f"| {name} | {split} | {f.caught}/{f.positives} | {f.recall:.3f} | "
                f"{f.false_alarms}/{f.negatives} | {f.false_alarm_rate:.3f} |"
            )
            if name == "all labelled" and split == "held-out":
                missed = f.missed
    lines.append("")
    if missed:
        lines.append("Held-out danger items missed:\n")
        lines.extend(f"- {m}" for m in missed)
        lines.append("")
    table = evaluate_intents(items, understanding)
    lines.append("| intent | split | precision | recall | F1 | items |")
    lines.append("|---|---|---|---|---|---|")
    for intent, by_split in table.items():
        for split, m in by_split.items():
            lines.append(
                f"| {intent} | {split} | {m['precision']:.3f} | {m['recall']:.3f} | "
                f"{m['f1']:.3f} | {int(m['n'])} |"
            )
    lines.append("")
    questions = [i.question for i in items if i.suite == "danger-dev"]
    speed = triage_latency(understanding, questions)
    lines.append("| triage speed (danger-dev questions, exemplar cache cleared) | ms |")
    lines.append("|---|---|")
    lines.append(f"| patterns and redaction only, p50 | {speed['patterns_p50']:.1f} |")
    lines.append(
        f"| with classifier, lexicon and language check, p50 / p95 | "
        f"{speed['full_p50']:.1f} / {speed['full_p95']:.1f} |"
    )
    lines.append(f"| added by the classifier, p50 | {speed['added_p50']:.1f} |")
    lines.append(
        f"| of which the question's own vector, reused by retrieval, p50 | "
        f"{speed['question_vector_p50']:.1f} |"
    )
    lines.append(f"| net added to an answer, p50 | {speed['net_added_p50']:.1f} |")
    lines.append("")
    return lines


def main() -> int:
    """``python -m benchmarks.triage``: the triage section of docs/benchmarks.md on its own."""
    import os

    from assistant.embeddings import load_embedder
    from assistant.settings import REPO_ROOT, Settings

    os.environ["HF_HUB_OFFLINE"] = "1"
    settings = Settings()
    understanding = Understanding.load(
        settings.corpus_dir / "triage", load_embedder(), cache_dir=settings.data_dir / "triage"
    )
    print("\n".join(report(understanding, REPO_ROOT / "evals")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
