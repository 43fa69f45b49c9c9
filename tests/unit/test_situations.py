"""The situation classifier (assistant/triage/situations.py) with a bag-of-words fake embedder:
kNN margins, clause scoring, the exemplar-vector cache, bank validation, and the shipped banks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.triage.situations import (
    INTENTS,
    Calibration,
    ExemplarFile,
    SituationModel,
    load_exemplar_files,
)
from assistant.triage.text import MAX_CLAUSES, clauses
from tests.support import HashEmbedder

REPO = Path(__file__).resolve().parents[2]
TRIAGE = REPO / "corpus" / "triage"

# The shape of corpus/triage/<intent>.yaml, as YAML would load it.
EMERGENCY = {
    "intent": "emergency",
    "description": "A child may be in danger now.",
    "exemplars": {
        "positive": {
            "breathing": [
                "the baby is not breathing and has gone blue",
                "my son is not breathing please help",
            ],
            "violence": [
                "a man is stabbing a boy with a knife outside",
                "dad is beating the child right now",
            ],
        },
        "negative": {
            "training": [
                "is there a first aid training course for staff",
                "when is the next safeguarding training course",
            ],
            "reports": [
                "what did the annual report say about knife crime statistics",
                "how many referrals were made last year according to the report",
            ],
        },
    },
}
DECISION = {
    "intent": "decision",
    "exemplars": {
        "positive": {"level": ["is this family level 3 or level 4", "should i refer this family"]},
        "negative": {"levels": ["what does level 3 mean in the threshold document"]},
    },
}


def bank(*raw: dict) -> list[ExemplarFile]:
    return [ExemplarFile.model_validate(r) for r in raw]


@pytest.fixture
def model() -> SituationModel:
    return SituationModel(HashEmbedder(), bank(EMERGENCY, DECISION))


def score(model: SituationModel, text: str) -> tuple[float, float]:
    scores = model.score(text, clauses(text))
    return scores.best["emergency"], scores.whole["emergency"]


def test_a_message_near_a_positive_exemplar_gets_a_positive_margin(model: SituationModel) -> None:
    best, whole = score(model, "the baby is not breathing help")
    assert best > 0 and whole > 0


def test_a_message_near_a_negative_exemplar_gets_a_negative_margin(model: SituationModel) -> None:
    best, whole = score(model, "is there a knife crime training course for staff")
    assert best < 0 and whole < 0


def test_danger_in_the_last_clause_of_a_long_message_is_found_by_best(
    model: SituationModel,
) -> None:
    text = (
        "I went on the safeguarding training course last year. "
        "The annual report said how many referrals were made. "
        "Staff asked when the next first aid training course is for staff. "
        "We talked about the statistics in the report for a while. "
        "Anyway the baby is not breathing and has gone blue"
    )
    assert len(clauses(text)) >= 5
    best, whole = score(model, text)
    assert best > 0
    assert whole < best
    assert whole < 0.5 * best


def test_scores_name_the_nearest_positive_category(model: SituationModel) -> None:
    scores = model.score("a man is stabbing a boy", [])
    assert scores.nearest["emergency"] == "violence"


def test_every_intent_with_both_sides_is_scored(model: SituationModel) -> None:
    scores = model.score("should i refer this family", [])
    assert set(scores.best) == set(scores.whole) == {"emergency", "decision"}
    assert scores.best["decision"] > 0


def test_an_intent_without_negatives_is_not_scored() -> None:
    one_sided = {"intent": "disclosure", "exemplars": {"positive": {"a": ["he touched me"]}}}
    model = SituationModel(HashEmbedder(), bank(EMERGENCY, one_sided))
    assert "disclosure" not in model.score("he touched me", []).best


def test_score_returns_a_copy_the_caller_may_change(model: SituationModel) -> None:
    first = model.score("the baby is not breathing", [])
    first.best["emergency"] = -99.0
    assert model.score("the baby is not breathing", []).best["emergency"] > 0


def test_blank_and_non_string_exemplars_are_skipped() -> None:
    raw = {
        "intent": "emergency",
        "exemplars": {"positive": {"a": ["  ", "not breathing"]}, "negative": {"b": ["training"]}},
    }
    model = SituationModel(HashEmbedder(), bank(raw))
    assert model.texts == ["not breathing", "training"]


def test_an_empty_bank_scores_nothing() -> None:
    model = SituationModel(HashEmbedder(), [])
    assert model.vectors.shape == (0, HashEmbedder.dimension)
    assert model.score("not breathing", []).best == {}


# ---- the exemplar-vector cache ---------------------------------------------------------


def test_the_cache_is_written_and_reused(tmp_path: Path) -> None:
    files = bank(EMERGENCY, DECISION)
    first_embedder = HashEmbedder()
    first = SituationModel(first_embedder, files, cache_dir=tmp_path / "triage")
    assert first_embedder.texts_embedded == len(first.texts)
    cached = sorted((tmp_path / "triage").glob("exemplars-*.npy"))
    assert [p.name for p in cached] == [f"exemplars-{first.fingerprint}.npy"]
    assert not list((tmp_path / "triage").glob("*.tmp.npy"))

    second_embedder = HashEmbedder()
    second = SituationModel(second_embedder, files, cache_dir=tmp_path / "triage")
    assert second_embedder.texts_embedded == 0
    np.testing.assert_array_equal(first.vectors, second.vectors)


def test_a_changed_bank_gets_a_new_fingerprint_and_is_re_embedded(tmp_path: Path) -> None:
    SituationModel(HashEmbedder(), bank(EMERGENCY), cache_dir=tmp_path)
    changed = yaml.safe_load(yaml.safe_dump(EMERGENCY))
    changed["exemplars"]["positive"]["breathing"].append("the toddler has stopped breathing")
    embedder = HashEmbedder()
    model = SituationModel(embedder, bank(changed), cache_dir=tmp_path)
    assert embedder.texts_embedded == len(model.texts)
    assert len(list(tmp_path.glob("exemplars-*.npy"))) == 2


def test_moving_an_exemplar_to_another_category_changes_the_fingerprint() -> None:
    moved = yaml.safe_load(yaml.safe_dump(EMERGENCY))
    moved["exemplars"]["positive"]["violence"].append(
        moved["exemplars"]["positive"]["breathing"].pop()
    )
    a = SituationModel(HashEmbedder(), bank(EMERGENCY))
    b = SituationModel(HashEmbedder(), bank(moved))
    assert a.fingerprint != b.fingerprint


def test_a_corrupt_or_wrongly_shaped_cache_is_re_embedded(tmp_path: Path) -> None:
    files = bank(EMERGENCY)
    model = SituationModel(HashEmbedder(), files, cache_dir=tmp_path)
    path = tmp_path / f"exemplars-{model.fingerprint}.npy"
    path.write_bytes(b"not a numpy file")
    embedder = HashEmbedder()
    again = SituationModel(embedder, files, cache_dir=tmp_path)
    assert embedder.texts_embedded == len(again.texts)

    np.save(path, np.zeros((1, 3), dtype=np.float32))
    embedder = HashEmbedder()
    SituationModel(embedder, files, cache_dir=tmp_path)
    assert embedder.texts_embedded == len(again.texts)


def test_no_cache_dir_means_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    SituationModel(HashEmbedder(), bank(EMERGENCY))
    assert list(tmp_path.rglob("*.npy")) == []


# ---- bank files ------------------------------------------------------------------------


def test_load_exemplar_files_skips_the_lexicon_and_calibration(tmp_path: Path) -> None:
    (tmp_path / "emergency.yaml").write_text(yaml.safe_dump(EMERGENCY), encoding="utf-8")
    (tmp_path / "danger-lexicon.yaml").write_text("english: {terms: [x]}\n", encoding="utf-8")
    (tmp_path / "calibration.yaml").write_text("fires: {emergency: 0.1}\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert [f.intent for f in load_exemplar_files(tmp_path)] == ["emergency"]


@pytest.mark.parametrize(
    "raw",
    [
        {"exemplars": {"positive": {}, "negative": {}}},  # no intent
        {"intent": "emergency", "exemplars": {"positive": ["not grouped"]}},
        {"intent": "emergency", "exemplars": "none"},
    ],
    ids=["no-intent", "positive-not-a-mapping", "exemplars-not-a-mapping"],
)
def test_a_malformed_bank_raises_value_error_naming_the_file(tmp_path: Path, raw: dict) -> None:
    (tmp_path / "emergency.yaml").write_text(yaml.safe_dump(EMERGENCY), encoding="utf-8")
    broken = tmp_path / "broken-bank.yaml"
    broken.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken-bank\.yaml"):
        load_exemplar_files(tmp_path)


def test_every_shipped_bank_loads_with_both_sides_for_each_intent() -> None:
    files = load_exemplar_files(TRIAGE)
    by_intent = {f.intent: f for f in files}
    assert len(by_intent) == len(files), "two bank files for one intent"
    assert set(by_intent) == set(INTENTS)
    for intent, file in by_intent.items():
        assert (TRIAGE / f"{intent}.yaml").exists(), f"{intent} bank not in {intent}.yaml"
        for side in ("positive", "negative"):
            groups = getattr(file.exemplars, side)
            items = [i for group in groups.values() for i in group if i.strip()]
            assert items, f"{intent}: no {side} exemplars"
            assert all(group for group in groups.values()), f"{intent}: empty {side} category"


def test_the_shipped_banks_build_a_model_that_scores_every_intent() -> None:
    model = SituationModel.load(TRIAGE, HashEmbedder())
    assert set(model.score("is the child safe", []).best) == set(INTENTS)


# ---- calibration -----------------------------------------------------------------------


def test_the_shipped_calibration_loads_with_an_emergency_threshold() -> None:
    calibration = Calibration.load(TRIAGE / "calibration.yaml")
    assert "emergency" in calibration.fires
    # The corroboration threshold sits below the classifier's own threshold.
    assert calibration.corroborated < calibration.threshold("emergency")


def test_a_missing_calibration_fires_nothing_from_the_classifier(tmp_path: Path) -> None:
    calibration = Calibration.load(tmp_path / "calibration.yaml")
    assert calibration.fires == {}
    # A margin is a difference of two cosine means, so it never exceeds 2.
    assert all(calibration.threshold(intent) > 2.0 for intent in INTENTS)


# ---- clauses ---------------------------------------------------------------------------


def test_clauses_keep_the_last_ones_when_a_message_has_too_many() -> None:
    text = ". ".join(f"sentence number {i} here" for i in range(40))
    pieces = clauses(text)
    assert len(pieces) == MAX_CLAUSES
    assert pieces[-1] == "sentence number 39 here"
    assert pieces[0] == f"sentence number {40 - MAX_CLAUSES} here"


def test_short_pieces_are_joined_to_their_neighbours() -> None:
    assert clauses("help. now. the baby is not breathing") == ["help now the baby is not breathing"]
    assert clauses("the baby is not breathing. help") == ["the baby is not breathing help"]


def test_a_piece_with_no_topic_word_joins_its_neighbour() -> None:
    # "what can i do about it" scored alone reads like a plea for help; it is not a situation.
    assert clauses("social care closed my referral and i dont agree, what can i do about it") == [
        "social care closed my referral and i dont agree what can i do about it"
    ]
    assert clauses("he says hes doing it because he wants to, is it still exploitation") == [
        "he says hes doing it he wants to is it still exploitation"
    ]
    # A piece with a topic word of its own still stands alone.
    assert clauses("we had a nice day. he has a knife") == ["we had a nice day", "he has a knife"]


def test_clauses_split_on_sentences_and_conjunctions() -> None:
    text = "we had a meeting about him but his dad has a knife now; she is scared"
    assert clauses(text) == [
        "we had a meeting about him",
        "his dad has a knife now",
        "she is scared",
    ]


@pytest.mark.parametrize("text", ["", "   ", "...", "\n\n"])
def test_clauses_of_nothing_is_empty(text: str) -> None:
    assert clauses(text) == []
