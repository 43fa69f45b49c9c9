"""The fixed tune / held-out split (assistant/evaluation/splits.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.evaluation.splits import TUNE_SHARE, split_of
from assistant.evaluation.suite import load_suite

REPO = Path(__file__).resolve().parents[2]
SUITES = sorted((REPO / "evals").glob("*.yaml"))


def test_split_of_is_deterministic_and_independent_of_order() -> None:
    ids = [f"dd-{i:04d}" for i in range(200)]
    first = {i: split_of(i) for i in ids}
    assert {i: split_of(i) for i in reversed(ids)} == first
    assert all(split in ("tune", "held-out") for split in first.values())


def test_split_of_follows_the_documented_rule() -> None:
    for item_id in ("dd-0001", "in-0042", "", "ünïcode-id"):
        value = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16)
        expected = "tune" if value / 2**32 < TUNE_SHARE else "held-out"
        assert split_of(item_id) == expected, item_id


def test_about_sixty_percent_of_ids_are_tune() -> None:
    ids = [f"case-{i}" for i in range(1_000)]
    share = sum(split_of(i) == "tune" for i in ids) / len(ids)
    assert 0.55 <= share <= 0.65, share


def test_the_split_depends_on_the_exact_id() -> None:
    ids = [f"x-{i}" for i in range(200)]
    assert {split_of(i) for i in ids} == {"tune", "held-out"}
    assert [split_of(i) for i in ids] != [split_of(i.upper()) for i in ids]


@pytest.mark.parametrize("path", SUITES, ids=[p.stem for p in SUITES])
def test_every_shipped_dev_suite_has_both_splits(path: Path) -> None:
    suite = load_suite(path)
    splits = {split_of(case.id) for case in suite.cases}
    assert splits == {"tune", "held-out"}, f"{path.name}: only {splits}"


def test_there_are_shipped_dev_suites() -> None:
    assert any(p.stem == "danger-dev" for p in SUITES)
