"""Registered phone numbers and email addresses become tel:/mailto: links, nothing else does,
and linking never lets text become markup."""

from __future__ import annotations

from datetime import date

import pytest
from jinja2 import Environment
from markupsafe import Markup

from assistant.contact_links import ContactLinker, tel_href
from assistant.contacts import Contact, ContactsRegister
from assistant.server.contact_links import install_contact_links, linked_html, load_register
from assistant.settings import Settings

REGISTER = ContactsRegister.load(Settings().corpus_dir / "contacts.yaml")
LINKER = ContactLinker.from_register(REGISTER)


def _linked(text: str) -> str:
    return str(linked_html(text, LINKER))


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("020 7926 3100", "tel:+442079263100"),
        ("+44 (0)20 7926 3100", "tel:+442079263100"),
        ("0808 800 5000", "tel:+448088005000"),
        ("999", "tel:999"),
    ],
)
def test_tel_href_is_e164_or_the_short_number(phone: str, href: str) -> None:
    assert tel_href(phone) == href


@pytest.mark.parametrize(
    "written", ["020 7926 3100", "0207-926-3100", "+44 20 7926 3100", "(020) 7926 3100"]
)
def test_a_registered_number_is_linked_however_it_is_written(written: str) -> None:
    html = _linked(f"Phone the IRH on {written} to talk it through.")
    assert 'href="tel:+442079263100"' in html
    assert html.count("<a ") == 1
    assert html.endswith(" to talk it through.")


def test_a_number_not_in_the_register_is_not_linked() -> None:
    # 020 7926 5555 is the unconfirmed "24-hour" number the register leaves out.
    html = _linked("An older page gives 020 7926 5555 as a 24-hour line.")
    assert "<a" not in html and "020 7926 5555" in html


def test_999_is_linked_when_it_is_a_number_to_call_not_a_figure() -> None:
    assert 'href="tel:999"' in _linked("If a child is in immediate danger, call 999 now.")
    assert 'href="tel:999"' in _linked("Phone the police on 999.")
    for figure in ("There were 999 referrals in 2023.", "Call 0207 999 1234", "call 9999"):
        assert "<a" not in _linked(figure), figure


def test_registered_email_addresses_are_mailto_links_and_others_are_not() -> None:
    html = _linked("Email someone@example.org or lado@lambeth.gov.uk.")
    assert '<a class="govuk-link app-contact" href="mailto:LADO@lambeth.gov.uk">' in html
    assert "lado@lambeth.gov.uk</a>." in html  # the text as written, the full stop outside
    assert html.count("<a ") == 1


def test_text_is_escaped_before_links_are_added() -> None:
    html = _linked('<script>alert(1)</script> "call" 020 7926 3100 <b onclick="x">')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b onclick=&#34;x&#34;&gt;" in html
    assert html.count("<a ") == 1 and html.count("</a>") == 1


def test_markup_that_looks_like_a_link_around_a_number_stays_text() -> None:
    text = '<a href="tel:+447700900123">020 7926 3100</a>'
    html = _linked(text)
    assert 'href="tel:+447700900123"' not in html
    assert 'href="tel:+442079263100"' in html


def test_the_filter_and_globals_read_the_register() -> None:
    env = Environment(autoescape=True)
    install_contact_links(env, REGISTER)
    page = env.from_string(
        "{{ text|contact_links }} | {{ phone_link('lambeth-irh') }} | {{ phone_link('nobody') }}"
        " | {{ contact('lambeth-irh').name }}"
    ).render(text="Call 999 <now>")
    assert 'Call <a class="govuk-link app-contact" href="tel:999">999</a> &lt;now&gt;' in page
    assert '<a class="govuk-link app-contact" href="tel:+442079263100">020 7926 3100</a>' in page
    assert "|  |" in page  # an unknown contact renders nothing, never a made-up number
    assert "Lambeth Integrated Referral Hub (IRH)" in page


def test_already_safe_markup_is_left_alone() -> None:
    assert linked_html(Markup("<em>999</em>"), LINKER) == Markup("<em>999</em>")


def test_a_missing_register_means_no_links_not_a_broken_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    register = load_register(tmp_path / "contacts.yaml")
    assert register.all() == []
    assert str(linked_html("call 999", ContactLinker.from_register(register))) == "call 999"


def test_only_the_register_decides_what_is_linked() -> None:
    contact = Contact(
        id="test-line",
        name="Test line",
        purpose="Testing",
        phone="0161 496 0000",
        partnership="national",
        source_url="https://example.org",
        checked=date(2026, 1, 1),
    )
    linker = ContactLinker([contact])
    assert 'href="tel:+441614960000"' in str(linked_html("ring 0161 496 0000", linker))
    assert "<a" not in str(linked_html("call 020 7926 3100 or 999", linker))
