"""Each setting has its own rule: a value that would break another feature, or the program's
rules, is refused with its own message and nothing changes."""

from __future__ import annotations

from datetime import datetime

import pytest

from frontdesk.domain.errors import FrontdeskError, InvalidInputError, RuleRefusedError
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER

LONG_URL = "https://harbourphysio.example/book?" + "x" * 10_000
BARELY_TOO_LONG = "https://harbourphysio.example/book?campaign=" + "y" * 270


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("clinic.booking_url", LONG_URL, "could not hold it"),
        ("clinic.booking_url", BARELY_TOO_LONG, "314 characters (at most 300"),
        ("clinic.booking_url", "https://x.example/book now", "with no spaces"),
        ("sms.poster_keyword", "STOP", "cannot be STOP"),
        ("sms.poster_keyword", "start", "cannot be START"),
        ("sms.poster_keyword", "two words", "one word of 2 to 20 letters or digits"),
        ("clinic.currency", "ZZZ", "not a currency in use today"),
        ("clinic.currency", "pounds", "not a currency code"),
        ("clinic.name", "Harbour\x1b[31m Physio", "invisible control character (U+001B)"),
        ("clinic.name", "Harbour\x00Physio", "invisible control character (U+0000)"),
        ("print.poster_headline", "Tell a friend\nToday", "contains a line break"),
    ],
)
def test_a_setting_that_would_break_something_is_refused_with_its_own_words(
    services: Services, key: str, value: str, words: str
) -> None:
    before = services.clinic.get_settings()
    with pytest.raises(InvalidInputError) as refused:
        services.clinic.set_setting(SOLE_OWNER, key, value)
    assert words in refused.value.message
    assert services.clinic.get_settings() == before


def test_the_poster_keyword_and_a_card_sized_booking_address_are_kept(
    services: Services,
) -> None:
    assert services.clinic.set_setting(SOLE_OWNER, "sms.poster_keyword", " friend ") == "FRIEND"
    fits = "https://harbourphysio.example/book?campaign=" + "y" * 200
    assert services.clinic.set_setting(SOLE_OWNER, "clinic.booking_url", fits) == fits
    assert services.clinic.set_setting(SOLE_OWNER, "clinic.currency", "eur") == "EUR"


def test_aftercare_text_keeps_its_line_breaks_but_no_other_control_character(
    services: Services,
) -> None:
    text = "Ice for 10 minutes.\nCall us if it hurts."
    assert services.clinic.set_setting(SOLE_OWNER, "print.aftercare_text", text) == text
    with pytest.raises(InvalidInputError, match="a tab"):
        services.clinic.set_setting(SOLE_OWNER, "print.aftercare_text", "Ice\tfor 10 minutes")


def test_a_message_template_with_a_control_character_is_refused(services: Services) -> None:
    with pytest.raises(InvalidInputError, match="U\\+0007"):
        services.templates.save(SOLE_OWNER, "referral_ask", "Hi {first_name}\x07, tell a friend")
    saved = services.templates.save(SOLE_OWNER, "referral_ask", "Hi {first_name},\nthanks!")
    assert "\n" in saved.body


def test_credit_only_cannot_be_turned_off(services: Services) -> None:
    with pytest.raises(RuleRefusedError, match="never cash"):
        services.rewards.set_program_field(SOLE_OWNER, "credit_only", "no")
    assert services.rewards.set_program_field(SOLE_OWNER, "credit_only", "yes")


def test_a_booking_in_1900_is_refused(services: Services) -> None:
    with pytest.raises(FrontdeskError) as refused:
        services.referrals.book(
            SOLE_OWNER, 1, booked_for=datetime.fromisoformat("1900-01-01T10:00+00:00")
        )
    assert "is not believable" in refused.value.message
