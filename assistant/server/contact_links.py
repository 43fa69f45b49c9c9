"""Jinja helpers that make the register's phone numbers and email addresses links.

``{{ text|contact_links }}`` escapes ``text`` and wraps each registered number or address
(found by ``assistant.contact_links``) in a ``tel:``/``mailto:`` link. The text is cut at
the spans' positions and every piece, link text and href alike, goes through
``markupsafe.escape`` before it is joined, so nothing in an answer, a notice or a question
can become markup. ``phone_link("lambeth-irh")`` renders one register entry's number, so
templates never hold a number themselves.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from assistant.contact_links import ContactLinker, tel_href
from assistant.contacts import Contact, ContactsRegister, ContactsRegisterError

__all__ = ["install_contact_links", "linked_html", "load_register"]

log = logging.getLogger(__name__)

LINK_CLASS = "govuk-link app-contact"


def load_register(path: Path) -> ContactsRegister:
    """The register, or an empty one (no links) when the file is missing or malformed.

    The assistant itself refuses to start on a malformed register; the web layer only
    loses its links, so a page never fails because of them."""
    try:
        return ContactsRegister.load(path)
    except ContactsRegisterError:
        log.warning("contacts register not loaded: phone numbers are shown without links")
        return ContactsRegister([])


def _anchor(text: str, href: str, css: str = LINK_CLASS) -> Markup:
    return Markup('<a class="{}" href="{}">{}</a>').format(css, href, text)


def linked_html(text: object, linker: ContactLinker) -> Markup:
    """``text`` escaped, with the register's numbers and addresses as links."""
    if isinstance(text, Markup):  # already markup from a template: leave it alone
        return text
    raw = "" if text is None else str(text)
    out: list[Markup] = []
    pos = 0
    for span in linker.spans(raw):
        out.append(escape(raw[pos : span.start]))
        out.append(_anchor(raw[span.start : span.end], span.href))
        pos = span.end
    out.append(escape(raw[pos:]))
    return Markup("").join(out)


def install_contact_links(env: Environment, register: ContactsRegister) -> None:
    """Add the ``contact_links`` filter and the ``contact``/``phone_link`` globals."""
    linker = ContactLinker.from_register(register)

    def contact(contact_id: str) -> Contact | None:
        return register.get(contact_id)

    def phone_link(contact_id: str, css: str = LINK_CLASS) -> Markup:
        entry = register.get(contact_id)
        if entry is None or not entry.phone:
            return Markup("")
        return _anchor(entry.phone, tel_href(entry.phone), css)

    env.filters["contact_links"] = lambda text: linked_html(text, linker)
    env.globals.update(contact=contact, phone_link=phone_link)
