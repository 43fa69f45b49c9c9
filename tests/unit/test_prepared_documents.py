"""Summaries prepared for this assistant: honest labels, vetted contacts, no verdicts.

Every phone number and email address in a prepared document must be in the contacts
register; every URL must be a vetted address (register, manifest, or a source listed in the
project's reference fact sheets in ../shared/reference/).
"""

from __future__ import annotations

import re

import pytest
import yaml

from assistant.contacts import ContactsRegister, normalise_phone
from assistant.settings import REPO_ROOT, Settings
from assistant.types import SourceDocument

CORPUS = Settings().corpus_dir
REFERENCE_DIR = REPO_ROOT.parent / "shared" / "reference"

URL_RE = re.compile(r"https?://[^\s)>\]\"']+")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LONG_NUMBER_RE = re.compile(r"(?<![\w/.])\+?\d[\d ()\-]{5,}\d(?![\w/])")
SHORT_NUMBER_RE = re.compile(r"(?<![\w/.])(?:999|111|116 ?\d{3})(?![\w/])")
VERDICT_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(this|that|it|he|she|they) (is|are|would be|sounds like|looks like) (at )?(a )?(level|tier) [1-4]\b",
        r"\b(does not|doesn't|do not|don't) need (a |to make a )?referral\b",
        r"\bno (need|reason) to refer\b",
        r"\bno referral (is )?(needed|required|necessary)\b",
        r"\b(should|must) not (be )?refer(red)?\b",
        r"\bnot worth (referring|a referral)\b",
        r"\bwait (and see )?before (referring|making a referral)\b",
    )
]


def _strip_trailing(url: str) -> str:
    return url.rstrip(".,;:").rstrip("/")


def find_urls(text: str) -> set[str]:
    return {_strip_trailing(u) for u in URL_RE.findall(text)}


def find_emails(text: str) -> set[str]:
    return {e.lower().rstrip(".") for e in EMAIL_RE.findall(text)}


def find_phone_numbers(text: str) -> set[str]:
    """Phone-like numbers, normalised; URLs are removed first (they contain digits)."""
    text = URL_RE.sub(" ", text)
    found = {normalise_phone(m) for m in SHORT_NUMBER_RE.findall(text)}
    for match in LONG_NUMBER_RE.findall(text):
        digits = normalise_phone(match)
        if len(digits) >= 10:
            found.add(digits)
    return found


def _manifest() -> list[SourceDocument]:
    raw = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return [SourceDocument.model_validate(entry) for entry in raw["documents"]]


MANIFEST = _manifest()
PREPARED = [doc for doc in MANIFEST if doc.prepared_for_assistant]


def _text(doc: SourceDocument) -> str:
    return (CORPUS / doc.file).read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return {part.partition("\n")[0].strip(): part.partition("\n")[2] for part in parts[1:]}


@pytest.fixture(scope="module")
def register() -> ContactsRegister:
    return ContactsRegister.load(CORPUS / "contacts.yaml")


@pytest.fixture(scope="module")
def vetted_urls(register: ContactsRegister) -> set[str]:
    urls = {_strip_trailing(u) for u in register.urls()}
    urls |= {_strip_trailing(d.source_url) for d in MANIFEST if d.source_url}
    if REFERENCE_DIR.is_dir():
        for sheet in REFERENCE_DIR.glob("*.md"):
            urls |= find_urls(sheet.read_text(encoding="utf-8"))
    return urls


GAP_NOTE_RE = re.compile(
    r"this summary|has not confirmed|have not confirmed|confirmed for this summary"
    r"|not been confirmed for this summary|available for this summary",
    re.IGNORECASE,
)
"""Gap notes belong in the manifest ``limits`` field: in retrievable text they are quoted
as if they were guidance. (The Lambeth out-of-hours gap is stated "for this assistant",
because practitioners ask for that number.)"""


def _body(text: str) -> str:
    """Everything after the title and the fixed introduction (which names the summary)."""
    return text.split("\n## ", 1)[1] if "\n## " in text else ""


def test_there_are_prepared_documents_of_each_kind() -> None:
    kinds = {doc.kind for doc in PREPARED}
    assert {"threshold", "escalation", "briefing", "contacts"} <= kinds


def test_every_manifest_file_exists_and_ids_are_unique() -> None:
    missing = [doc.file for doc in MANIFEST if not (CORPUS / doc.file).is_file()]
    assert missing == []
    ids = [doc.id for doc in MANIFEST]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_prepared_document_says_it_is_a_summary_and_the_official_document_prevails(
    doc: SourceDocument,
) -> None:
    text = _text(doc)
    first_line, _, rest = text.partition("\n")
    assert first_line == f"# {doc.title}"
    intro = rest.split("\n## ", 1)[0]
    assert "summary prepared for this assistant" in intro
    assert "official document prevails" in intro
    assert doc.source_url and doc.source_url in intro
    assert "*" not in intro and "_" not in re.sub(URL_RE, "", intro)  # no italics


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_prepared_document_sections_are_quotable_and_end_with_sources(
    doc: SourceDocument,
) -> None:
    text = _text(doc)
    sections = _sections(text)
    assert list(sections)[-1] == "Sources"
    source_urls = find_urls(sections["Sources"])
    assert source_urls, "the Sources section lists no URL"
    for heading, body in sections.items():
        if heading == "Sources":
            continue
        words = len(body.split())
        assert 60 <= words <= 200, f"{heading!r} has {words} words"
        assert not re.search(r"\[(S|E|B|C)?\d+\]", body), f"footnote marker in {heading!r}"
        # every URL used in the body is listed under Sources
        assert find_urls(body) <= source_urls | {_strip_trailing(doc.source_url or "")}


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_phone_numbers_and_emails_are_in_the_register(
    doc: SourceDocument, register: ContactsRegister
) -> None:
    text = _text(doc)
    assert find_phone_numbers(text) <= register.phone_numbers()
    assert find_emails(text) <= register.emails()


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_urls_are_vetted(doc: SourceDocument, vetted_urls: set[str]) -> None:
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"reference fact sheets not found at {REFERENCE_DIR}")
    assert find_urls(_text(doc)) <= vetted_urls


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_no_threshold_verdict_or_dissuasion(doc: SourceDocument) -> None:
    text = _text(doc)
    for pattern in VERDICT_RES:
        assert not pattern.search(text), pattern.pattern


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_no_sentence_is_copied_from_the_reference_notes(doc: SourceDocument) -> None:
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"reference fact sheets not found at {REFERENCE_DIR}")
    reference = " ".join(
        " ".join(p.read_text(encoding="utf-8").split()) for p in REFERENCE_DIR.glob("*.md")
    ).lower()
    body = " ".join(_text(doc).split("## Sources")[0].split())
    sentences = re.split(r"(?<=[.!?])\s+", body)
    copied = [s for s in sentences if len(s.split()) >= 10 and s.lower() in reference]
    assert copied == []


def test_every_practice_document_is_a_prepared_manifest_entry() -> None:
    """So every check above (register, vetted URLs, copying, verdicts) covers it."""
    prepared_files = {doc.file for doc in PREPARED}
    practice = sorted(f"documents/{p.name}" for p in (CORPUS / "documents").glob("practice-*.md"))
    assert len(practice) >= 14
    assert [f for f in practice if f not in prepared_files] == []


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_no_gap_notes_in_retrievable_text(doc: SourceDocument) -> None:
    found = GAP_NOTE_RE.findall(_body(_text(doc)))
    assert found == [], f"move these to the manifest limits of {doc.id}: {found}"


@pytest.mark.parametrize("doc", PREPARED, ids=lambda d: d.id)
def test_limits_are_short_statements_kept_out_of_the_text(doc: SourceDocument) -> None:
    text = " ".join(_text(doc).split())
    for limit in doc.limits:
        assert limit.strip() and len(limit) <= 300, limit
        assert " ".join(limit.split()) not in text, f"limit repeated in the text: {limit!r}"
        assert not find_phone_numbers(limit) and not find_emails(limit), limit


def test_national_documents_are_england_wide_guidance() -> None:
    national = [doc for doc in PREPARED if doc.partnership == "national"]
    assert len(national) >= 5
    for doc in national:
        assert "Lambeth" not in doc.publisher, doc.id
        assert doc.source_url and doc.limits, doc.id
        assert "Lambeth" not in _body(_text(doc)), f"{doc.id} states a Lambeth rule"


def test_out_of_hours_document_states_the_gap_and_gives_999_and_helplines(
    register: ContactsRegister,
) -> None:
    doc = next(d for d in PREPARED if d.id == "practice-out-of-hours")
    text = _text(doc)
    assert (
        "The Lambeth out-of-hours number for children's social care has not been confirmed" in text
    )
    assert "999" in text and "0808 800 5000" in text
    assert "02079265555" not in find_phone_numbers(text)  # the unconfirmed older number
    assert normalise_phone("0808 800 5000") in register.phone_numbers()


# The detectors above must be able to fail, or the tests prove nothing.
def test_detectors_find_what_they_should(register: ContactsRegister) -> None:
    sample = (
        "Ring 020 7926 5555 or +44 20 7926 3100, dial 999, write to someone@example.org, "
        "see https://example.org/page. In 2023, 136 incidents; section 47 of the Act 1989."
    )
    assert find_phone_numbers(sample) == {"02079265555", "02079263100", "999"}
    assert not find_phone_numbers(sample) <= register.phone_numbers()
    assert find_emails(sample) == {"someone@example.org"}
    assert find_urls(sample) == {"https://example.org/page"}
    assert any(p.search("From what you say, this is Level 3.") for p in VERDICT_RES)
    assert any(p.search("The child does not need a referral.") for p in VERDICT_RES)
    assert not any(p.search("A person reporting does not need to be certain.") for p in VERDICT_RES)
    assert GAP_NOTE_RE.search("The wording has not been confirmed for this summary.")
    assert not GAP_NOTE_RE.search("The number has not been confirmed for this assistant.")
    assert (
        _body("# T\n\nThis is a summary prepared for this assistant.\n\n## A\n\nText.")
        == "A\n\nText."
    )
