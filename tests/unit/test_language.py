"""The language check (assistant/triage/language.py): English shorthand stays English, other
languages are named, unreadable input is unreadable, and nothing makes it raise or hang.

A message that is not English, or cannot be read, gets the 999 route first (EM-01), so a
false "other" costs a calm practitioner a banner and a false "english" can cost a child."""

from __future__ import annotations

import pytest

from assistant.triage.language import LanguageCheck, check_language

ENGLISH_SHORTHAND = [
    "s47 timescale",
    "whats CCE",
    "who do i ring about a MARF",
    "kid not breathin pls help",
    "ok",
    "thanks",
    "LADO referral",
    "im worried abt my student",
    "how do I refer to Children’s Social Care?",
    "the child said “stop” — I’m worried about her",
    "thanks 🙏 that helps",
]

OTHER_LANGUAGES = [
    ("Moje dziecko nie oddycha, proszę o pomoc", "pl"),
    ("Mi hijo no respira, necesito ayuda ahora", "es"),
    ("طفلي لا يتنفس ساعدوني", "ar"),
    ("Mae fy mhlentyn yn sâl iawn ac nid yw'n anadlu", "cy"),
    ("Çocuğum nefes almıyor, lütfen yardım edin", "tr"),
    ("Copilul meu nu respiră, vă rog ajutați-mă", "ro"),
    ("আমার বাচ্চা শ্বাস নিচ্ছে না, সাহায্য করুন", "bn"),
]

UNREADABLE = [
    "asdkjh qwe zxcv",
    "qwertyuiop asdfghjkl",
    "😭😭😭",
    "🚨🆘",
    "Ã¢â‚¬Å“",
    "",
    "   ",
    "???",
]

NASTY = [
    "\ud800",  # a lone surrogate: not valid UTF-8, but a valid Python str
    "\udfff\ud800 help",
    "\x00",
    "help\x00me",
    "\u200f\u202e",  # RTL mark, RTL override
    "\u202eplease help\u202c",
    "\ufeff",
    "a" * 10_000,
    "e\u0301\u0301\u0301\u0301" * 100,  # stacked combining marks
    "\u0301" * 500,  # combining marks with nothing to combine with
    "Z̷̢̛̯̩̈́a̵̛̫̓l̸̨̈g̴̱̈́o̶͍̍" * 20,
    "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 50,  # ZWJ family emoji
    "𝖍𝖊𝖑𝖕 𝖙𝖍𝖊 𝖈𝖍𝖎𝖑𝖉",  # mathematical letters
    "ｈｅｌｐ ｔｈｅ ｃｈｉｌｄ",  # full-width letters
    "\t\n\r\x0b\x0c",
    "\uffff\ufffe\ufffd",
    "123 456 789",
    "'''’’’",
    "a'b'c'd" * 100,
    "ÃÃÃÃÃÃ" * 100,
]


@pytest.mark.parametrize("text", ENGLISH_SHORTHAND)
def test_english_shorthand_stays_english(text: str) -> None:
    check = check_language(text)
    assert check.verdict == "english", check
    assert check.language == "en"


@pytest.mark.parametrize(("text", "code"), OTHER_LANGUAGES, ids=[c for _, c in OTHER_LANGUAGES])
def test_other_languages_are_other_and_named(text: str, code: str) -> None:
    check = check_language(text)
    assert check.verdict == "other", check
    assert check.language == code


@pytest.mark.parametrize("text", UNREADABLE)
def test_keyboard_mash_emoji_and_mojibake_are_unreadable(text: str) -> None:
    check = check_language(text)
    assert check.verdict == "unreadable", check
    assert check.language == "und"
    assert check.english_share == 0.0


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known limit: a word that clears ENGLISH_ZIPF but is more frequent elsewhere ('hola', "
        "'merci') counts as neither English nor foreign, so a one-word greeting is "
        "'unreadable' (still the 999 route first). Counting such words as foreign was tried "
        "and lowered held-out danger recall after re-tuning, so it waits for more data."
    ),
)
@pytest.mark.parametrize(("text", "code"), [("Hola", "es"), ("merci", "fr")])
def test_a_one_word_foreign_greeting_is_other(text: str, code: str) -> None:
    check = check_language(text)
    # One word is too little for lingua to name the language reliably; "other" is what
    # matters (the 999 route first and the English-only line).
    assert check.verdict == "other", (check, code)


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_never_raises_on_nasty_unicode(text: str) -> None:
    check = check_language(text)
    assert isinstance(check, LanguageCheck)
    assert check.verdict in ("english", "other", "unreadable")
    assert 0.0 <= check.english_share <= 1.0
    assert check.language == check.language.lower() and check.language


@pytest.mark.parametrize(
    "text",
    [
        "x" * 100_000,
        "the child is not breathing " * 4_000,
        "dziecko nie oddycha " * 5_000,
        "😭" * 100_000,
        ("asdkjh " * 15_000)[:100_000],
    ],
    ids=["one-letter", "english", "polish", "emoji", "mash"],
)
def test_a_100k_character_input_returns(text: str) -> None:
    # Bounded work: only the first 2,000 characters are examined. No timing assert; the
    # pytest-timeout of the suite is the backstop.
    assert check_language(text).verdict in ("english", "other", "unreadable")
