"""The answerability gate: do the cited sentences address what was asked?"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answerability import AnswerTypes, CorpusTerms, GateCalibration, assess
from assistant.compose.focus import focus_of
from assistant.settings import REPO_ROOT

CORPUS = CorpusTerms.of(
    [
        "Private fostering is when a child under 16 lives with someone who is not a close relative.",
        "Schools should tell the local authority about a private fostering arrangement.",
        "The emergency duty team covers nights and weekends for social care.",
        "Call 020 7926 5555 to speak to the front door.",
        "A referral gets a decision within one working day.",
    ]
)
TYPES = AnswerTypes.load(REPO_ROOT / "corpus" / "answer-types.yaml")
CALIBRATION = GateCalibration.load(REPO_ROOT / "corpus" / "answerability.yaml")


def _evidence(question: str, sentences: list[str], similarity: float = 0.6, off_topic=False):
    return assess(
        focus_of(question),
        sentences,
        [similarity],
        CORPUS,
        off_topic=off_topic,
        question=question,
        answer_types=TYPES,
    )


def test_sentences_that_name_the_focus_cover_it() -> None:
    evidence = _evidence(
        "whats private fostering", ["Private fostering is when a child under 16 lives with…"]
    )
    assert evidence.coverage == pytest.approx(1.0)
    assert evidence.unknown == []


def test_a_term_the_documents_never_use_is_unknown_and_missing() -> None:
    evidence = _evidence(
        "how does mum apply for a non molestation order",
        ["Schools should tell the local authority about a private fostering arrangement."],
    )
    assert "molest" in evidence.unknown
    assert evidence.missing == pytest.approx(1.0)
    assert evidence.coverage < 0.5


def test_shorthand_and_typos_are_read_in_the_documents_words() -> None:
    assert focus_of("kid staying with her nan")
    assert "child" in focus_of("kid staying with her nan").terms
    assert "what" not in focus_of("whats CCE").terms
    evidence = _evidence(
        "timescale for socail care to respond to a referal",
        ["A referral gets a decision within one working day."],
    )
    assert "social" in evidence.focus  # "socail" read as the corpus's "social"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "timescale for socail care to respond to a referal",
            "timescale for social care to respond to a referral",
        ),
        (
            "who do i ring abt a privat fostering notifcation",
            "who do i ring abt a privat fostering notification",
        ),
        # Real words, names and short words stay as typed, whatever the documents use.
        ("how do i make a clares law application", "how do i make a clares law application"),
        ("settling an argument in the staffroom", "settling an argument in the staffroom"),
        ("what about parking near the hub", "what about parking near the hub"),
    ],
)
def test_words_the_documents_never_use_are_read_as_the_near_miss_they_use(
    typed: str, read: str
) -> None:
    corpus = CorpusTerms.of(
        [
            "Social care decides on a referral within one working day.",
            "Schools send a notification of a private fostering arrangement.",
            "A carer cares for the child; the staff support the school.",
        ]
    )
    assert corpus.repair(typed) == read


def test_a_name_question_needs_a_person_in_the_sentences() -> None:
    question = "name of the private fostering social worker in lambeth"
    without = _evidence(question, ["Private fostering is when a child under 16 lives…"])
    assert without.unmet_types == ["person"]
    named = _evidence(question, ["Private fostering is led by Sarah Jones in Lambeth."])
    assert named.unmet_types == []


@pytest.mark.parametrize(
    ("question", "sentence", "unmet"),
    [
        ("how long does social care have to decide", "A decision within one working day.", []),
        ("how long does social care have to decide", "Social care decides.", ["duration"]),
        ("how many referrals were there", "There were 3,120 referrals.", []),
        ("whats the phone number for the front door", "Call 020 7926 5555.", []),
        ("email address for the vawg officer", "Write to the VAWG team.", ["email", "address"]),
        ("how many reviews were underway", "Three reviews were underway.", []),
        ("how many reviews were underway", "About 12% were reviewed.", []),
        # Numbers that name things, ages, years and phone numbers are not counts.
        ("how many strategy discussions were held", "It leads to section 47 enquiries.", ["count"]),
        ("how many strategy discussions were held", "Tell parents of a child under 18.", ["count"]),
        ("how many strategy discussions were held", "In 2023-24 the partnership met.", ["count"]),
        ("how many strategy discussions were held", "Phone 020 7926 4679 first.", ["count"]),
        ("how many strategy discussions were held", "All agencies take part.", ["count"]),
        # A sum of money, or no charge; a time, a day or hours of cover.
        ("how much is an enhanced dbs", "A DBS check is needed for volunteers.", ["money"]),
        ("whats the fee for the course", "The course costs £40 a place.", []),
        ("do foster carers get paid", "Training is free of charge for professionals.", []),
        ("how much notice do carers have to give", "At least six weeks' notice.", []),
        ("what time does the IRH close", "The IRH takes referrals by phone.", ["clock_time"]),
        ("what time does the IRH close", "Lines are open 9am to 5pm on weekdays.", []),
        ("when does the family hub open", "The hub opens on Saturdays.", []),
        # "Who do I tell": a person, role or service to go to.
        ("teacher shouting at kids who do i tell", "Tell the LADO within one day.", []),
        ("who should we call out of hours", "Out of hours, social workers visit.", []),
        ("who do i tell", "Annual reports list the subgroups.", ["contact_route"]),
        # Saying the documents do not hold it is an honest answer of any kind.
        (
            "what time does the IRH close",
            "This assistant does not hold confirmed opening hours for the IRH.",
            [],
        ),
        (
            "whats the out of hours phone number",
            "The out-of-hours number has not been confirmed for this assistant.",
            [],
        ),
    ],
)
def test_answer_types(question: str, sentence: str, unmet: list[str]) -> None:
    assert sorted(TYPES.unmet(question, [sentence])) == sorted(unmet)


def test_the_fitted_gate_withholds_an_unrelated_answer_and_passes_a_direct_one() -> None:
    assert CALIBRATION is not None
    direct = CALIBRATION.judge(
        _evidence(
            "whats private fostering",
            ["Private fostering is when a child under 16 lives with someone…"],
            similarity=0.75,
        )
    )
    unrelated = CALIBRATION.judge(
        _evidence(
            "best pizza near brixton",
            ["The emergency duty team covers nights and weekends."],
            similarity=0.1,
            off_topic=True,
        )
    )
    assert direct.answerable and direct.probability is not None
    assert not unrelated.answerable


def test_no_calibration_file_means_no_gate(tmp_path: Path) -> None:
    assert GateCalibration.load(tmp_path / "missing.yaml") is None


def test_the_gate_weighs_the_strongest_sentences_in_the_order_chosen() -> None:
    from assistant.answerability import EVIDENCE_SENTENCES, leading_sentences
    from assistant.compose import DraftSentence

    shown = [DraftSentence(text=f"s{r}", keys=["P1"], rank=r) for r in (7, 0, 3, 1, 6, 2, 5, 4)]
    leading = leading_sentences(shown)
    assert [s.rank for s in leading] == list(range(EVIDENCE_SENTENCES))
    unranked = [DraftSentence(text=f"u{i}", keys=["P1"]) for i in range(8)]
    assert [s.text for s in leading_sentences(unranked)] == [f"u{i}" for i in range(6)]


def test_a_question_the_classifier_reads_further_off_topic_is_less_likely_to_be_answered() -> None:
    assert CALIBRATION is not None
    sentences = ["The emergency duty team covers nights and weekends for social care."]

    def probability(margin: float | None) -> float:
        evidence = _evidence("who covers nights", sentences).model_copy(
            update={"off_topic_margin": margin}
        )
        judged = CALIBRATION.judge(evidence)
        assert judged.probability is not None
        return judged.probability

    # Below the floor the margin carries no weight; a follow-up (None) counts as on topic.
    assert probability(-0.4) == probability(-0.3) == probability(None)
    assert probability(-0.2) > probability(0.0) > probability(0.2)


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("what does LADO stand for", ["lado"]),
        ("emotional abuse meaning", ["emot", "abus"]),
        ("What counts as private fostering?", ["privat", "foster"]),
        ("does this training count towards my hours", ["train", "count", "toward", "hour"]),
    ],
)
def test_the_frame_of_a_definition_question_is_not_its_focus(
    question: str, focus: list[str]
) -> None:
    assert focus_of(question).terms == focus
