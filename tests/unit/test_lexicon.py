"""The fuzzy danger lexicon (assistant/triage/lexicon.py): English terms tolerate typos and
leetspeak, terms in other languages are found inside English text whatever the accents, and
no shipped foreign term fires on the calm prose of the corpus documents."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from assistant.triage.lexicon import DangerLexicon, LexiconFile, fold
from assistant.triage.text import normalise

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "corpus" / "triage" / "danger-lexicon.yaml"

# The shape of corpus/triage/danger-lexicon.yaml, as YAML would load it.
SMALL = {
    "english": {
        "terms": ["unconscious", "lifeless", "not breathing", "gun", "stabbed", "cant wake her"],
        "calm_contexts": ["unconscious bias training"],
    },
    "languages": {
        "es": {"name": "Spanish", "terms": ["no respira", "se está muriendo"]},
        "pl": {"name": "Polish", "terms": ["nie oddycha", "nóż", "przestał oddychać"]},
        "ro": {"name": "Romanian", "terms": ["nu respiră"]},
        "ar": {"name": "Arabic", "terms": ["لا يتنفس"]},
    },
}


@pytest.fixture(scope="module")
def lexicon() -> DangerLexicon:
    return DangerLexicon(LexiconFile.model_validate(SMALL))


@cache
def shipped() -> DangerLexicon:
    return DangerLexicon.load(SHIPPED)


def english(lexicon: DangerLexicon, text: str) -> list[str]:
    return lexicon.english_hits(normalise(text))


# ---- English terms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("the baby is unconcious", "unconscious"),
        ("the baby is UNCONSCIOUS", "unconscious"),
        ("she went unconsious in the bath", "unconscious"),
        ("the baby looks lifeles", "lifeless"),  # not a spelling-corrector key word
        ("he is not breathin", "not breathing"),
        ("he is not braething", "not breathing"),
        ("i cant wake her up", "cant wake her"),
        ("I can't wake her", "cant wake her"),
        ("he has a gun", "gun"),
    ],
)
def test_english_terms_match_through_typos(lexicon: DangerLexicon, text: str, term: str) -> None:
    assert term in english(lexicon, text)


def test_typos_are_matched_by_the_lexicon_itself_not_only_by_normalise(
    lexicon: DangerLexicon,
) -> None:
    # Tokens given straight to english_hits, without the spelling corrector.
    assert lexicon.english_hits("the baby is unconcious") == ["unconscious"]
    assert lexicon.english_hits("the baby is lifelss") == ["lifeless"]


@pytest.mark.parametrize(
    "text",
    [
        "he has a gum",  # short terms (under five letters) must match exactly
        "that was fun",
        "the baby is kifeless",  # the first letter is fixed
        "she is not here",
        "we are breathing exercises",
        "",
        "   ",
    ],
)
def test_near_words_that_are_not_the_term_do_not_match(lexicon: DangerLexicon, text: str) -> None:
    assert english(lexicon, text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("he st@bbed him", "stabbed"),
        ("st4bbed outside the shop", "stabbed"),
        ("the child is unc0nscious", "unconscious"),
        ("n0t br3athing", "not breathing"),
    ],
)
def test_leetspeak_matches_via_normalise(lexicon: DangerLexicon, text: str, term: str) -> None:
    assert term in english(lexicon, text)


def test_longest_terms_first_and_one_hit_per_position(lexicon: DangerLexicon) -> None:
    hits = english(lexicon, "he is not breathing and lifeless and unconscious")
    assert hits == ["not breathing", "lifeless", "unconscious"]


def test_english_matching_is_bounded_to_the_first_400_tokens(lexicon: DangerLexicon) -> None:
    text = "calm " * 400 + "unconscious"
    assert lexicon.english_hits(text) == []
    assert lexicon.english_hits("calm " * 399 + "unconscious") == ["unconscious"]


# ---- terms in other languages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("help, la nena no respira", "no respira"),
        ("my neighbour keeps shouting nie oddycha, what do I do", "nie oddycha"),
        ("he has a nóż", "noz"),
        ("the mum said copilul nu respiră and ran out", "nu respira"),
        ("she wrote لا يتنفس on the chat", "لا يتنفس"),
    ],
)
def test_a_foreign_term_inside_english_text_is_found(
    lexicon: DangerLexicon, text: str, term: str
) -> None:
    assert term in lexicon.foreign_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "se está muriendo",
        "SE ESTÁ MURIENDO",
        "se esta muriendo",  # typed without the accent
        "Se Esta Muriendo!",
    ],
)
def test_foreign_terms_are_accent_and_case_insensitive(lexicon: DangerLexicon, text: str) -> None:
    assert lexicon.foreign_hits(text) == ["se esta muriendo"]


@pytest.mark.parametrize("text", ["nu respira", "NU RESPIRĂ", "nu respiră", "noz", "NÓŻ"])
def test_decomposable_accents_fold_away(lexicon: DangerLexicon, text: str) -> None:
    assert lexicon.foreign_hits(text)


@pytest.mark.parametrize("text", ["przestal oddychac", "nefes almiyor", "bicak"])
def test_letters_without_a_decomposition_fold_too(text: str) -> None:
    assert shipped().foreign_hits(text)


def test_foreign_terms_match_whole_words_only(lexicon: DangerLexicon) -> None:
    assert lexicon.foreign_hits("the snozzle is no respirator") == []
    assert lexicon.foreign_hits("nozzle") == []


def test_fold_lower_cases_and_drops_accents() -> None:
    assert fold("Pomocy, NIE ODDYCHA") == "pomocy, nie oddycha"
    assert fold("Niño CAFÉ") == "nino cafe"


def test_an_empty_or_missing_lexicon_matches_nothing(tmp_path: Path) -> None:
    empty = DangerLexicon.load(tmp_path / "missing.yaml")
    assert empty.english_hits("not breathing") == []
    assert empty.foreign_hits("no respira") == []


# ---- the shipped lexicon ---------------------------------------------------------------


def test_the_shipped_lexicon_loads_in_the_documented_shape() -> None:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data = LexiconFile.model_validate(raw)
    assert data.english.terms
    assert data.languages
    for code, language in data.languages.items():
        assert language.name and language.terms, code
        assert all(t.strip() for t in language.terms), code


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the baby is unconcious", "english"),
        ("s0meone st@bbed him", "english"),
        ("help, la nena no respira", "foreign"),
        ("Pomocy, NIE ODDYCHA", "foreign"),
    ],
)
def test_the_shipped_lexicon_catches_typical_danger(text: str, kind: str) -> None:
    lexicon = shipped()
    if kind == "english":
        assert lexicon.english_hits(normalise(text)), text
    else:
        assert lexicon.foreign_hits(text), text


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _corpus_sentences() -> list[tuple[str, str]]:
    documents = REPO / "corpus" / "documents"
    files = sorted([*documents.glob("*.md"), *documents.glob("*.txt")])
    assert files, "no corpus documents found"
    return [
        (path.name, sentence)
        for path in files
        for sentence in _SENTENCE.split(path.read_text(encoding="utf-8"))
        if sentence.strip()
    ]


def test_no_shipped_foreign_term_matches_a_sentence_of_the_corpus_documents() -> None:
    # Foreign terms fire the 999 route with no calm check: one that is an ordinary English
    # word, or appears in calm safeguarding prose, would put a banner on calm questions.
    lexicon = shipped()
    found = [
        f"{name}: {hits} in {sentence[:120]!r}"
        for name, sentence in _corpus_sentences()
        if (hits := lexicon.foreign_hits(sentence))
    ]
    assert not found, "foreign danger terms found in calm corpus text:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "text",
    [
        "A couple of years ago a pupil took an overdose, she's fine now. Was there a review",
        "last month there was a stabbing near the school and the police dealt with it",
        "In 2021 we had a lockdown because someone was seen with a gun, it turned out to be a toy",
        "Ofsted are asking about a fire we had last year, nobody was hurt",
        "when he was 5 he went missing from the park, it was reported at the time",
    ],
)
def test_harm_placed_well_in_the_past_and_settled_is_over(text: str) -> None:
    assert shipped().over(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        # no time before today
        "a pupil has taken an overdose, she is being sick",
        # recent, not past: last night's harm may still need an ambulance
        "she took an overdose last night",
        # past, but something goes on now or again
        "he hit her last week and now hes outside the house",
        "she overdosed last year and has taken a load of pills",
        "last year he threatened her and tonight he is back",
        "he had a fit last year too and is fitting again",
        "the man who abused her when she was little is at the gates right now",
        "she was stabbed last year and the same boys keep coming to the house",
    ],
)
def test_harm_that_is_recent_or_goes_on_is_not_over(text: str) -> None:
    assert not shipped().over(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "she was hit by her uncle when she was 8, she's 15 now and it was reported at the "
        "time. do i need to record it again",
        "a pupil overdosed a couple of years ago, she's fine now. is that a concern still",
        "last year a boy was stabbed near the gates, it was dealt with. should I keep a note",
    ],
)
def test_the_practitioners_own_question_does_not_make_past_harm_ongoing(text: str) -> None:
    """The words "again", "still" and "keep" in the asking clause are about the next step."""
    assert shipped().over(text)


@pytest.mark.parametrize(
    "text",
    [
        # the question names a danger of its own
        "he hit her last year. is he hitting her again now",
        "she took an overdose last year. what if she has taken more pills",
        # "and now" is where the clauses split: the word must still count
        "he hit her last week and now hes back at the flat shouting",
    ],
)
def test_a_question_that_names_new_harm_keeps_it_ongoing(text: str) -> None:
    assert not shipped().over(text)


def test_framing_words_ending_in_ing_are_not_a_harm_in_progress() -> None:
    assert not shipped().immediate(normalise("she is saying her dad hits her with a belt"))
    assert not shipped().immediate(normalise("is there anything I should record about it"))
    assert shipped().immediate(normalise("he is hitting her with a belt"))
