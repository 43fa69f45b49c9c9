"""The contacts register: only confirmed routes, strict loading, comparable numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.contacts import ContactsRegister, ContactsRegisterError, normalise_phone
from assistant.settings import Settings

REGISTER = Settings().corpus_dir / "contacts.yaml"


@pytest.fixture(scope="module")
def register() -> ContactsRegister:
    return ContactsRegister.load(REGISTER)


def test_register_holds_the_confirmed_lambeth_routes(register: ContactsRegister) -> None:
    emergency = register.get("emergency-999")
    irh = register.get("lambeth-irh")
    lado = register.get("lambeth-lado")
    assert emergency is not None and emergency.phone == "999"
    assert irh is not None and normalise_phone(irh.phone or "") == "02079263100"
    assert irh.email == "helpandprotection@lambeth.gov.uk"
    assert lado is not None and normalise_phone(lado.phone or "") == "02079264679"
    assert register.phone_numbers() == {"999", "02079263100", "02079264679", "08088005000"}


def test_register_holds_the_national_helpline_the_practice_facts_confirm(
    register: ContactsRegister,
) -> None:
    nspcc = register.get("nspcc-helpline")
    assert nspcc is not None and normalise_phone(nspcc.phone or "") == "08088005000"
    assert nspcc.partnership == "national"
    assert nspcc.hours is None  # two copies of the NSPCC page disagree on the hours


def test_unconfirmed_routes_are_left_out(register: ContactsRegister) -> None:
    # 020 7926 5555 is called a 24-hour line only on an older page: not confirmed.
    assert normalise_phone("020 7926 5555") not in register.phone_numbers()
    # Childline's number was seen only on an unofficial page (practice-facts.md, section 9).
    assert normalise_phone("0800 1111") not in register.phone_numbers()
    for unconfirmed in ("lambeth-irh-out-of-hours", "childline"):
        assert register.get(unconfirmed) is None


def test_every_contact_says_where_and_when_it_was_confirmed(register: ContactsRegister) -> None:
    for contact in register.all():
        assert contact.source_url.startswith(("https://", "http://")), contact.id
        assert contact.checked.year >= 2024, contact.id


def test_emails_and_urls_are_allowlists(register: ContactsRegister) -> None:
    assert "lado@lambeth.gov.uk" in register.emails()  # registered as LADO@..., compared case-blind
    assert "https://lambethsaferchildren.org.uk/lado-referrals" in register.urls()
    assert "https://www.lambethsaferchildren.org.uk/safeguarding-referral" in register.urls()


def test_get_unknown_id_returns_none(register: ContactsRegister) -> None:
    assert register.get("no-such-contact") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("020 7926 3100", "02079263100"),
        ("+44 20 7926 3100", "02079263100"),
        ("+44 (0)20 7926 3100", "02079263100"),
        ("0044 20 7926 3100", "02079263100"),
        ("0207-926-3100", "02079263100"),
        ("999", "999"),
    ],
)
def test_normalise_phone_makes_typings_comparable(typed: str, expected: str) -> None:
    assert normalise_phone(typed) == expected


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contacts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_ENTRY = """
  - id: emergency-999
    name: Police
    purpose: Immediate danger
    phone: "999"
    partnership: national
    source_url: https://example.org/999
    checked: 2025-01-01
"""


def test_bad_entry_message_names_file_entry_and_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "contacts:"
        + GOOD_ENTRY
        + """
  - id: lambeth-irh
    name: IRH
    purpose: Consultation
    phone: 020 7926 3100
    partnership: lambeth
    checked: 2025-01-01
""",
    )
    with pytest.raises(ContactsRegisterError) as caught:
        ContactsRegister.load(path)
    message = str(caught.value)
    assert str(path) in message
    assert "entry 2 (lambeth-irh)" in message
    assert "source_url" in message


def test_misspelt_field_is_refused_not_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path, "contacts:" + GOOD_ENTRY.replace("phone:", "phnoe:"))
    with pytest.raises(ContactsRegisterError, match=r"entry 1 \(emergency-999\).*phnoe"):
        ContactsRegister.load(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "contacts:" + GOOD_ENTRY + GOOD_ENTRY)
    with pytest.raises(ContactsRegisterError, match="duplicate id 'emergency-999'"):
        ContactsRegister.load(path)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "contacts: [unclosed\n")
    with pytest.raises(ContactsRegisterError, match="not valid YAML") as caught:
        ContactsRegister.load(path)
    assert str(path) in str(caught.value)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(ContactsRegisterError, match="cannot read") as caught:
        ContactsRegister.load(path)
    assert str(path) in str(caught.value)


def test_wrong_shape_is_explained(tmp_path: Path) -> None:
    path = _write(tmp_path, "- just a list\n")
    with pytest.raises(ContactsRegisterError, match="'contacts' list"):
        ContactsRegister.load(path)
