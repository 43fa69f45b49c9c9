"""The vetted contacts register (``corpus/contacts.yaml``).

Every phone number, email address and URL the assistant shows must come from the corpus
or from this register (requirements EM-05, RF-02), so the register is loaded strictly:
a malformed entry stops loading with a message naming the file and the entry, rather than
silently dropping a contact someone relies on.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = ["Contact", "ContactsRegister", "ContactsRegisterError", "normalise_phone"]


class ContactsRegisterError(ValueError):
    """The register file is missing or malformed; the message names the file and entry."""


def normalise_phone(text: str) -> str:
    """Digits only, with a UK ``+44``/``0044`` prefix turned into ``0``.

    ``"+44 (0)20 7926 3100"``, ``"020 7926 3100"`` and ``"0207-926-3100"`` all become
    ``"02079263100"``, so numbers can be compared however they were typed.
    """
    compact = re.sub(r"\s+", "", text).replace("(0)", "")
    digits = re.sub(r"\D", "", compact)
    if compact.startswith("+44"):
        return "0" + digits[2:]
    if compact.startswith("0044"):
        return "0" + digits[4:]
    return digits


class Contact(BaseModel):
    """One confirmed contact route, with where it was confirmed and when."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    purpose: str = Field(min_length=1)
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    hours: str | None = None
    partnership: str = Field(pattern=r"^[a-z][a-z-]*$")
    """``lambeth``, ``london`` … or ``national`` for routes such as 999."""
    source_url: str = Field(pattern=r"^https?://\S+$")
    checked: date
    """When the contact was last confirmed against its source."""
    notes: str | None = None

    @field_validator("phone")
    @classmethod
    def _phone_has_digits(cls, value: str | None) -> str | None:
        if value is not None and len(normalise_phone(value)) < 3:
            raise ValueError(f"phone {value!r} has fewer than three digits")
        return value

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"email {value!r} is not an email address")
        return value

    @field_validator("url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://\S+", value):
            raise ValueError(f"url {value!r} is not an http(s) address")
        return value


class ContactsRegister:
    """The loaded register: look-ups by id and the allowlists the verifier checks against."""

    def __init__(self, contacts: list[Contact]) -> None:
        self._contacts = list(contacts)
        self._by_id = {contact.id: contact for contact in self._contacts}

    @classmethod
    def load(cls, path: Path) -> ContactsRegister:
        """Read and validate ``path``; raise ``ContactsRegisterError`` naming file and entry."""
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ContactsRegisterError(f"{path}: cannot read contacts register ({exc})") from exc
        except yaml.YAMLError as exc:
            raise ContactsRegisterError(f"{path}: not valid YAML ({exc})") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("contacts"), list):
            raise ContactsRegisterError(f"{path}: expected a mapping with a 'contacts' list")
        contacts: list[Contact] = []
        seen: set[str] = set()
        for index, entry in enumerate(raw["contacts"], start=1):
            label = cls._entry_label(index, entry)
            if not isinstance(entry, dict):
                raise ContactsRegisterError(f"{path}: {label} is not a mapping")
            try:
                contact = Contact.model_validate(entry)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(part) for part in error['loc']) or 'entry'}: {error['msg']}"
                    for error in exc.errors()
                )
                raise ContactsRegisterError(f"{path}: {label}: {problems}") from exc
            if contact.id in seen:
                raise ContactsRegisterError(f"{path}: {label}: duplicate id {contact.id!r}")
            seen.add(contact.id)
            contacts.append(contact)
        return cls(contacts)

    @staticmethod
    def _entry_label(index: int, entry: object) -> str:
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        return f"entry {index} ({entry_id})" if entry_id else f"entry {index}"

    def get(self, contact_id: str) -> Contact | None:
        return self._by_id.get(contact_id)

    def all(self) -> list[Contact]:
        return list(self._contacts)

    def phone_numbers(self) -> set[str]:
        """Every registered phone number, normalised with ``normalise_phone``."""
        return {normalise_phone(c.phone) for c in self._contacts if c.phone}

    def emails(self) -> set[str]:
        """Every registered email address, lower-cased (addresses compare case-blind)."""
        return {c.email.lower() for c in self._contacts if c.email}

    def urls(self) -> set[str]:
        """Every contact web page and every source page the register cites."""
        found = {c.source_url for c in self._contacts}
        found.update(c.url for c in self._contacts if c.url)
        return found
