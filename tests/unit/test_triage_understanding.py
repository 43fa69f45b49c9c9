"""The learned half of triage: leetspeak repair in ``normalise``, which signals fire the 999
route (``DangerEvidence.fired``), and the new TriageResult fields when an ``Understanding``
(classifier + lexicon + calibration) is given. No real model: tests.support.HashEmbedder."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.triage import DangerEvidence, Understanding, danger_evidence, triage
from assistant.triage.language import LanguageCheck
from assistant.triage.lexicon import DangerLexicon, LexiconFile
from assistant.triage.situations import Calibration, ExemplarFile, SituationModel, SituationScores
from assistant.triage.text import _unleet, normalise
from tests.support import HashEmbedder

# ---- leetspeak -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("s0meone is k!lling the child", "someone is killing the child"),
        ("he st@bbed him", "he stabbed him"),
        ("b34ting the boy", "beating the boy"),
        ("h3lp", "help"),
        ("ch!ld n0t br3athing", "child not breathing"),
    ],
)
def test_normalise_repairs_leetspeak(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("token", ["s47", "cp2", "2moro", "2nd", "16yo", "b4", "sum1", "999", "x"])
def test_unleet_leaves_references_numbers_and_slang_alone(token: str) -> None:
    assert _unleet(token) == token


def test_references_survive_normalise_and_slang_still_expands() -> None:
    assert normalise("s47 strategy in cp2 2moro") == "s47 strategy in cp2 tomorrow"


@pytest.mark.parametrize("token", ["a1b2c3", "qw3rty", "p@ssw0rdz", "$$$", "100%"])
def test_unleet_changes_only_tokens_that_become_words(token: str) -> None:
    assert _unleet(token) == token


def test_unleet_keeps_surrounding_punctuation() -> None:
    assert _unleet("k!lling,") == "killing,"


# ---- DangerEvidence.fired ----------------------------------------------------------------

ENGLISH = LanguageCheck(verdict="english", language="en", english_share=1.0)
CALIBRATION = Calibration(fires={"emergency": 0.10}, corroborated=-0.05)


def evidence(best: float | None = None, **fields: object) -> DangerEvidence:
    scores = None if best is None else SituationScores(best={"emergency": best})
    base = DangerEvidence(
        language=ENGLISH,
        scores=scores,
        pattern=False,
        lexicon_english=False,
        lexicon_foreign=False,
    )
    return dataclasses.replace(base, **fields)


def test_nothing_fires_on_a_calm_english_message() -> None:
    assert evidence(best=-0.2).fired(CALIBRATION) == []
    assert evidence().fired(CALIBRATION) == []


@pytest.mark.parametrize("verdict", ["other", "unreadable"])
def test_a_message_that_is_not_english_always_fires(verdict: str) -> None:
    language = LanguageCheck(verdict=verdict, language="und", english_share=0.0)
    assert evidence(best=-0.9, language=language).fired(CALIBRATION) == ["language"]


def test_the_classifier_fires_at_its_threshold() -> None:
    assert evidence(best=0.10).fired(CALIBRATION) == ["classifier"]
    assert evidence(best=0.0999).fired(CALIBRATION) == []


def test_patterns_and_the_english_lexicon_need_corroboration() -> None:
    assert evidence(best=-0.05, pattern=True).fired(CALIBRATION) == ["pattern"]
    assert evidence(best=-0.06, pattern=True).fired(CALIBRATION) == []
    assert evidence(best=-0.05, lexicon_english=True).fired(CALIBRATION) == ["lexicon"]
    assert evidence(best=-0.06, lexicon_english=True).fired(CALIBRATION) == []


def test_without_a_classifier_patterns_and_lexicon_fire_alone() -> None:
    assert evidence(pattern=True, lexicon_english=True).fired(CALIBRATION) == [
        "pattern",
        "lexicon",
    ]


def test_a_foreign_danger_term_fires_however_calm_the_score() -> None:
    assert evidence(best=-0.9, lexicon_foreign=True).fired(CALIBRATION) == ["lexicon"]


def test_every_signal_is_listed_in_order() -> None:
    language = LanguageCheck(verdict="other", language="pl", english_share=0.1)
    fired = evidence(
        best=0.5, language=language, pattern=True, lexicon_english=True, lexicon_foreign=True
    ).fired(CALIBRATION)
    assert fired == ["language", "classifier", "pattern", "lexicon"]


# ---- a disclosure with no sign of "now" (EM-04) --------------------------------------------


def test_a_disclosure_with_only_weak_evidence_and_no_time_word_is_deferred() -> None:
    told = evidence(best=0.2, lexicon_english=True, disclosure=True, immediate=False)
    assert told.signals_before_deferral(CALIBRATION) == ["classifier", "lexicon"]
    assert told.fired(CALIBRATION) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"immediate": True},  # "she told me today ..."
        {"pattern": True},  # a high-precision pattern of danger now
        {"disclosure": False},  # not reported speech: a situation described as it happens
        {"lexicon_foreign": True},
        {"language": LanguageCheck(verdict="other", language="pl", english_share=0.1)},
    ],
)
def test_danger_now_signals_keep_999_first_even_in_a_disclosure(fields: dict[str, object]) -> None:
    base: dict[str, object] = {"disclosure": True, "immediate": False, **fields}
    assert evidence(best=0.2, **base).fired(CALIBRATION)


NOW_WORDS = DangerLexicon(LexiconFile(immediacy=["now", "right now", "tonight", "in 20 mins"]))


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("dad is hitting him right now", True),
        ("she says he will hurt her tonight", True),
        ("hes kicking the door", True),
        ("meeting him in 20 mins", True),
        ("he said dad hits him with a belt when he gets home late", False),
        ("she has been cutting herself for a few months", False),
        ("nowhere to go", False),
    ],
)
def test_immediacy_words_are_whole_words_or_an_action_in_progress(text: str, now: bool) -> None:
    assert NOW_WORDS.immediate(normalise(text)) is now


def test_triage_hands_a_past_disclosure_to_the_disclosure_route() -> None:
    understanding = Understanding(
        model=None,
        lexicon=DangerLexicon(
            LexiconFile(english={"terms": ["hits him with a belt"]}, immediacy=["right now"])
        ),
        calibration=CALIBRATION,
    )
    result = triage(
        "he said dad hits him with a belt when he gets home late", understanding=understanding
    )
    assert result.disclosure and not result.emergency
    assert result.emergency_deferred and result.intent == "disclosure"
    now = triage("he said dad hits him with a belt right now", understanding=understanding)
    assert now.emergency and not now.emergency_deferred


# ---- triage with an Understanding --------------------------------------------------------

BANK = ExemplarFile.model_validate(
    {
        "intent": "emergency",
        "exemplars": {
            "positive": {
                "breathing": ["the baby is not breathing", "my toddler has stopped breathing"],
                "weapon": ["he has a machete and is chasing the boy"],
            },
            "negative": {
                "training": [
                    "is there first aid training on breathing for staff",
                    "when is the next safeguarding training course",
                    "what does the annual report say about knife crime",
                ],
            },
        },
    }
)
LEXICON = LexiconFile.model_validate(
    {
        "english": {"terms": ["machete"]},
        "languages": {"es": {"name": "Spanish", "terms": ["no respira"]}},
    }
)


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    return Understanding(
        model=SituationModel(HashEmbedder(), [BANK]),
        lexicon=DangerLexicon(LEXICON),
        calibration=Calibration(fires={"emergency": 0.05}, corroborated=-0.05),
    )


def test_the_classifier_fires_the_emergency_route(understanding: Understanding) -> None:
    result = triage("the baby is not breathing", understanding=understanding)
    assert result.emergency and result.intent == "emergency"
    assert "classifier" in result.emergency_signals
    assert result.scores["emergency"] >= 0.05
    assert result.english and result.language == "en"


def test_a_calm_question_scores_low_and_stays_calm(understanding: Understanding) -> None:
    result = triage("when is the next safeguarding training course", understanding=understanding)
    assert not result.emergency
    assert result.emergency_signals == []
    assert result.scores["emergency"] < 0
    assert result.intent != "emergency"


def test_a_leetspeak_message_is_scored_on_its_repair(understanding: Understanding) -> None:
    scores = understanding.score("th3 b@by is n0t br3athing")
    assert scores is not None and scores.best["emergency"] > 0.05


def test_another_language_is_reported_and_fires(understanding: Understanding) -> None:
    result = triage("Mi hijo no respira, necesito ayuda ahora", understanding=understanding)
    assert result.emergency and result.intent == "emergency"
    assert (result.language, result.english) == ("es", False)
    assert result.emergency_signals[:1] == ["language"]
    assert "lexicon" in result.emergency_signals
    # Only English messages get the other intents: they cannot be read reliably.
    assert not (result.disclosure or result.decision or result.out_of_scope)


def test_a_follow_up_to_an_emergency_fires_too(understanding: Understanding) -> None:
    from assistant.types import Turn

    history = [
        Turn(role="user", content="my toddler has stopped breathing"),
        Turn(role="assistant", content="Call 999 now."),
    ]
    result = triage("what do i do", history, understanding=understanding)
    assert result.emergency and result.emergency_signals == ["follow-up"]


def test_danger_evidence_without_an_understanding_has_no_scores() -> None:
    found = danger_evidence("he has a machete", None)
    assert found.scores is None
    assert not found.lexicon_english and not found.lexicon_foreign


def test_triage_without_an_understanding_reports_empty_scores() -> None:
    result = triage("what is a section 47 enquiry")
    assert result.scores == {}
    assert result.intent == "question"
    assert result.emergency_signals == []


def test_an_understanding_without_a_model_scores_nothing() -> None:
    bare = Understanding(model=None, lexicon=DangerLexicon(LEXICON), calibration=Calibration())
    assert bare.score("the baby is not breathing") is None
    assert not bare.fires(None, "emergency")
    result = triage("he is waving a machete at the kids", understanding=bare)
    assert result.emergency and "lexicon" in result.emergency_signals


DISCLOSURE_BANK = ExemplarFile.model_validate(
    {
        "intent": "disclosure",
        "exemplars": {
            "positive": {
                "told": [
                    "a pupil told me her uncle sexually abuses her",
                    "the boy said his dad hits him",
                ],
            },
            "negative": {
                "definitions": [
                    "what is the definition of child sexual exploitation",
                    "definition of cse",
                    "where do i send the allegations form",
                ],
            },
        },
    }
)


def _disclosure_understanding(floor: float) -> Understanding:
    return Understanding(
        model=SituationModel(HashEmbedder(), [BANK, DISCLOSURE_BANK]),
        lexicon=DangerLexicon(LEXICON),
        calibration=Calibration(
            fires={"emergency": 0.05}, corroborated=-0.05, disclosure_corroborated=floor
        ),
    )


def test_disclosure_words_need_the_classifier_to_agree() -> None:
    understanding = _disclosure_understanding(0.0)
    # "CSE" is a disclosure word, but the message sits among the calm definitions.
    calm = triage("definition of cse", understanding=understanding)
    assert calm.scores["disclosure"] < 0 and not calm.disclosure
    told = triage("a pupil told me her uncle sexually abuses her", understanding=understanding)
    assert told.scores["disclosure"] > 0 and told.disclosure


def test_without_a_fitted_floor_disclosure_words_decide_alone() -> None:
    understanding = _disclosure_understanding(float("-inf"))
    assert triage("definition of cse", understanding=understanding).disclosure
    assert triage("definition of cse").disclosure  # no classifier at all: the words decide


def test_the_off_topic_margin_is_given_for_a_first_question_only() -> None:
    from assistant.types import Turn

    off_topic = ExemplarFile.model_validate(
        {
            "intent": "out_of_scope",
            "exemplars": {
                "positive": {"chat": ["recommend a pizza place", "write me a poem about cats"]},
                "negative": {"practice": ["who do i tell about a worry", "what is a section 47"]},
            },
        }
    )
    understanding = Understanding(
        model=SituationModel(HashEmbedder(), [BANK, off_topic]),
        lexicon=DangerLexicon(LEXICON),
        calibration=Calibration(fires={"emergency": 0.05, "out_of_scope": 0.1}, corroborated=-0.05),
    )
    first = triage("recommend a pizza place", understanding=understanding)
    assert first.off_topic_margin == pytest.approx(first.scores["out_of_scope"] - 0.1)
    assert first.off_topic_margin is not None and first.off_topic_margin > 0
    # A follow-up takes its topic from the conversation; danger is never off-topic.
    history = [Turn(role="user", content="who do i tell about a worry")]
    assert (
        triage("recommend a pizza place", history, understanding=understanding).off_topic_margin
        is None
    )
    assert triage("the baby is not breathing", understanding=understanding).off_topic_margin is None
    assert triage("recommend a pizza place").off_topic_margin is None  # no classifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fear of breaching confidentiality", "fear of breaching confidentiality"),
        ("hes not breathin", "hes not breathing"),
        ("made a referal", "made a referral"),
    ],
)
def test_a_real_word_is_not_taken_for_a_near_miss_of_a_key_word(text: str, expected: str) -> None:
    assert normalise(text) == expected
