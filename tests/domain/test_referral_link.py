"""The one personal-link builder: the code goes in the query, wherever the page keeps its own."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.referral_link import booking_link, personal_link, sms_link


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("https://harbourphysio.example/book", "https://harbourphysio.example/book?ref=SARAH-K7QD"),
        ("https://clinic.example/book#form", "https://clinic.example/book?ref=SARAH-K7QD#form"),
        ("https://x.example/b?loc=2", "https://x.example/b?loc=2&ref=SARAH-K7QD"),
        ("https://x.example/b?ref=OLD&loc=2", "https://x.example/b?loc=2&ref=SARAH-K7QD"),
        (
            "https://h.example/book?loc=2&ref=OLD#form",
            "https://h.example/book?loc=2&ref=SARAH-K7QD#form",
        ),
        ("  https://x.example/b?  ", "https://x.example/b?ref=SARAH-K7QD"),
    ],
)
def test_the_code_lands_in_the_query_and_the_fragment_stays_last(page: str, link: str) -> None:
    assert booking_link(page, "SARAH-K7QD") == link
    assert personal_link(page, "SARAH-K7QD", "+447700900123") == link


def test_no_booking_page_or_no_code_gives_no_web_link() -> None:
    assert booking_link(None, "TOM-1234") is None
    assert booking_link("  ", "TOM-1234") is None
    assert booking_link("https://a.example/book", None) is None


def test_without_a_website_the_card_texts_the_clinic_the_code() -> None:
    link = personal_link(None, "SARAH-K7QD", "+447700900123")
    assert link == "sms:+447700900123?body=Hi%2C%20I%27d%20like%20to%20book.%20Code%20SARAH-K7QD"
    assert personal_link(None, "SARAH-K7QD") is None


def test_non_latin_booking_addresses_become_plain_ascii() -> None:
    link = personal_link("https://physio-zoë.example/réserver", "ZOE-RR0D")
    assert link is not None and link.isascii()
    assert link.startswith("https://xn--physio-zo-")
    assert link.endswith("/r%C3%A9server?ref=ZOE-RR0D")


def test_an_sms_link_needs_a_full_international_number() -> None:
    with pytest.raises(InvalidInputError, match="full international phone number"):
        sms_link("07700 900123", "hi")
