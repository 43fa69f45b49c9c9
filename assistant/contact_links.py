"""Where the contacts register's phone numbers and email addresses appear in a text.

The web layer turns these spans into ``tel:`` and ``mailto:`` links. Only routes in the
register (``corpus/contacts.yaml``) are found: a number or address that is not registered
stays plain text, so a link never dials a number nobody has confirmed (EM-05, RF-02).

Full numbers are found with ``phonenumbers`` (``020 7926 3100``, ``0207-926-3100`` and
``+44 (0)20 7926 3100`` are one number) and linked to their E.164 form. Short numbers
such as 999 are found only after a word such as "call" or "phone", so a figure like
"999 referrals" in an annual report is never mistaken for the emergency line.
"""

from __future__ import annotations

import re
from typing import Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict

from assistant.contacts import Contact, ContactsRegister

__all__ = ["ContactLinker", "ContactSpan", "tel_href"]

REGION = "GB"
"""Numbers written without a country code are read as UK numbers."""

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![\w-])")
_CALL_WORDS = r"(?:call|phone|ring|dial|telephone)(?:s|ed|ing)?"


class ContactSpan(BaseModel):
    """One registered route in a text: ``text[start:end]`` links to ``href``."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    kind: Literal["phone", "email"]
    href: str
    contact_id: str


def _full_number(phone: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(phone, REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _short_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def tel_href(phone: str) -> str:
    """``tel:`` address of a number: E.164 (``tel:+442079263100``), or the digits of a
    short number such as ``tel:999`` (which has no E.164 form)."""
    number = _full_number(phone)
    if number is None:
        return f"tel:{_short_digits(phone)}"
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ContactLinker:
    """Finds the register's phone numbers and email addresses in free text."""

    def __init__(self, contacts: list[Contact]) -> None:
        self._phones: dict[str, tuple[str, str]] = {}
        """E.164 → (href, contact id) for full numbers."""
        self._emails: dict[str, tuple[str, str]] = {}
        short: dict[str, tuple[str, str]] = {}
        for contact in contacts:
            if contact.phone:
                number = _full_number(contact.phone)
                if number is None:
                    short[_short_digits(contact.phone)] = (tel_href(contact.phone), contact.id)
                else:
                    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                    self._phones.setdefault(e164, (f"tel:{e164}", contact.id))
            if contact.email:
                self._emails.setdefault(
                    contact.email.lower(), (f"mailto:{contact.email}", contact.id)
                )
        self._short = short
        self._short_pattern = (
            re.compile(
                rf"\b{_CALL_WORDS}\b[^\d\n]{{0,40}}?(?<![\d£$€.,])"
                rf"({'|'.join(re.escape(d) for d in sorted(short, key=len, reverse=True))})"
                r"(?![\d]|[.,]\d)",
                re.IGNORECASE,
            )
            if short
            else None
        )

    @classmethod
    def from_register(cls, register: ContactsRegister) -> ContactLinker:
        return cls(register.all())

    def spans(self, text: str) -> list[ContactSpan]:
        """The registered routes in ``text``, in order and never overlapping."""
        found = [*self._full_numbers(text), *self._short_numbers(text), *self._addresses(text)]
        return _without_overlaps(found)

    def _full_numbers(self, text: str) -> list[ContactSpan]:
        found: list[ContactSpan] = []
        for hit in phonenumbers.PhoneNumberMatcher(text, REGION):
            e164 = phonenumbers.format_number(hit.number, phonenumbers.PhoneNumberFormat.E164)
            if e164 in self._phones:
                href, contact_id = self._phones[e164]
                found.append(_span(hit.start, hit.end, "phone", href, contact_id))
        return found

    def _short_numbers(self, text: str) -> list[ContactSpan]:
        if self._short_pattern is None:
            return []
        found: list[ContactSpan] = []
        for match in self._short_pattern.finditer(text):
            href, contact_id = self._short[match.group(1)]
            found.append(_span(match.start(1), match.end(1), "phone", href, contact_id))
        return found

    def _addresses(self, text: str) -> list[ContactSpan]:
        found: list[ContactSpan] = []
        for match in _EMAIL.finditer(text):
            entry = self._emails.get(match.group(0).lower())
            if entry is not None:
                found.append(_span(match.start(), match.end(), "email", *entry))
        return found


def _span(
    start: int, end: int, kind: Literal["phone", "email"], href: str, contact_id: str
) -> ContactSpan:
    return ContactSpan(start=start, end=end, kind=kind, href=href, contact_id=contact_id)


def _without_overlaps(spans: list[ContactSpan]) -> list[ContactSpan]:
    kept: list[ContactSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept
