"""Phones typed every way people type them, in six countries; clear words when wrong."""

from __future__ import annotations

import phonenumbers
import pytest

from frontdesk.domain.errors import InvalidPhoneError
from frontdesk.domain.phones import (
    digits_reversed,
    format_phone,
    mask_phone,
    parse_phone,
    phone_search_forms,
)

# (clinic country, typed, stored)
FORMATS = [
    # United Kingdom
    ("GB", "07400 123456", "+447400123456"),
    ("GB", "07400123456", "+447400123456"),
    ("GB", "+44 7400 123456", "+447400123456"),
    ("GB", "+44 (0)7400 123456", "+447400123456"),
    ("GB", "0044 7400 123456", "+447400123456"),
    ("GB", "(07400) 123-456", "+447400123456"),
    ("GB", "07400.123.456", "+447400123456"),
    ("GB", "0114 496 0123", "+441144960123"),  # Sheffield: "011" here is not an exit code
    ("GB", "020 7946 0958", "+442079460958"),
    ("GB", "011 1 415 555 2671", "+14155552671"),  # someone who learnt to dial in the US
    # United States
    ("US", "(415) 555-2671", "+14155552671"),
    ("US", "415-555-2671", "+14155552671"),
    ("US", "415.555.2671", "+14155552671"),
    ("US", "1 415 555 2671", "+14155552671"),
    ("US", "+1 415 555 2671", "+14155552671"),
    ("US", "011 44 7400 123456", "+447400123456"),
    ("US", "00 44 7400 123456", "+447400123456"),
    # Canada
    ("CA", "(506) 234-5678", "+15062345678"),
    ("CA", "1-506-234-5678", "+15062345678"),
    ("CA", "011 61 412 345 678", "+61412345678"),
    # Australia
    ("AU", "0412 345 678", "+61412345678"),
    ("AU", "+61 412 345 678", "+61412345678"),
    ("AU", "0011 44 7400 123456", "+447400123456"),
    ("AU", "(02) 9876 5432", "+61298765432"),
    # Ireland
    ("IE", "085 012 3456", "+353850123456"),
    ("IE", "+353 85 012 3456", "+353850123456"),
    ("IE", "00353 85 012 3456", "+353850123456"),
    ("IE", "01 234 5678", "+35312345678"),
    # Germany
    ("DE", "01512 3456789", "+4915123456789"),
    ("DE", "+49 1512 3456789", "+4915123456789"),
    ("DE", "0049 1512 3456789", "+4915123456789"),
    ("DE", "030 123456", "+4930123456"),
    ("DE", "0044 7400 123456", "+447400123456"),
    # Digits from other scripts and full-width forms
    ("GB", "٠٧٤٠٠ ١٢٣٤٥٦", "+447400123456"),
    ("GB", "０７４００ １２３４５６", "+447400123456"),
    ("GB", "07400 123456 ext. 12", "+447400123456"),
]


@pytest.mark.parametrize(("region", "typed", "stored"), FORMATS)
def test_every_human_format_is_stored_as_e164(region: str, typed: str, stored: str) -> None:
    assert parse_phone(typed, region) == stored


@pytest.mark.parametrize("region", ["GB", "US", "CA", "AU", "IE", "DE"])
def test_phonenumbers_own_examples_parse_in_every_style(region: str) -> None:
    """The library's example numbers of each kind, written nationally and internationally."""
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    for kind in kinds:
        example = phonenumbers.example_number_for_type(region, kind)
        assert example is not None
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        for style in (
            phonenumbers.PhoneNumberFormat.NATIONAL,
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.E164,
            phonenumbers.PhoneNumberFormat.RFC3966,
        ):
            written = phonenumbers.format_number(example, style).removeprefix("tel:")
            assert parse_phone(written, region) == e164, (region, written)
            # …and from abroad, with "00" in front instead of "+".
            if style == phonenumbers.PhoneNumberFormat.INTERNATIONAL:
                assert parse_phone("00" + written[1:], "GB" if region != "GB" else "DE") == e164


@pytest.mark.parametrize(
    ("region", "typed", "message"),
    [
        ("GB", "", "Please enter a phone number."),
        ("GB", "   ", "Please enter a phone number."),
        ("GB", "0740", "“0740” is too short to be a phone number."),
        (
            "GB",
            "07400 1234",
            "“07400 1234” is too short for GB. Mobiles in GB look like 07400 123456.",
        ),
        ("GB", "07400 1234567", "is too long for GB"),
        ("US", "(415) 555-267", "is too short for US. Mobiles in US look like (201) 555-0123."),
        ("CA", "506 234 567", "is too short for CA"),
        ("AU", "0412 345 67", "is too short for AU. Mobiles in AU look like 0412 345 678."),
        ("IE", "085 012 345", "is too short for IE"),
        ("DE", "01512 34", "is too short for DE"),
        ("US", "+44 7400 1234", "is too short for GB. Mobiles in GB look like +44 7400 123456."),
        ("GB", "+999 1234 5678", "starts with a country code that does not exist"),
        ("GB", "call me maybe", "has letters in it"),
        ("GB", "0740😀123456", "has “😀” in it"),
        ("GB", "07400; DROP TABLE", "has letters in it"),
        ("GB", "0" * 41, "far too long"),
        ("GB", "0400 123 4567", "not a number in use in GB"),
        ("GB", "01632 960000", "not a number in use in GB"),  # Ofcom's drama range
    ],
)
def test_a_bad_number_gets_words_that_say_what_is_wrong(
    region: str, typed: str, message: str
) -> None:
    with pytest.raises(InvalidPhoneError) as refused:
        parse_phone(typed, region)
    assert message in str(refused.value)
    assert refused.value.exit_code == 2


@pytest.mark.parametrize(
    ("typed", "e164", "suffix"),
    [
        ("07400 123456", "+447400123456", "7400123456"),
        ("+44 7400 123456", "+447400123456", "7400123456"),
        ("0044 7400 123456", "+447400123456", "7400123456"),
        ("3456", None, "3456"),
        ("0123", None, "0123"),  # last digits keep their zero
        ("123 456", None, "123456"),
        ("9 0123", None, "90123"),
    ],
)
def test_search_forms_find_a_number_in_full_or_by_its_last_digits(
    typed: str, e164: str | None, suffix: str
) -> None:
    forms = phone_search_forms(typed, "GB")
    assert forms.e164 == e164
    assert forms.suffix_reversed == suffix[::-1]
    stored = digits_reversed("+447400123456")
    ends_the_number = "7400123456".endswith(typed.replace(" ", ""))
    assert stored.startswith(forms.suffix_reversed or "-") == (ends_the_number or bool(e164))


def test_fewer_than_four_digits_is_not_a_phone_search() -> None:
    with pytest.raises(InvalidPhoneError, match="at least the last four digits"):
        phone_search_forms("456", "GB")


def test_masking_shows_the_country_and_last_three_digits_only() -> None:
    assert mask_phone("+447400123456") == "+44 ••• ••• •456"
    assert mask_phone("+14155552671") == "+1 ••• ••• •671"
    assert "123" not in mask_phone("+447400123456")[:-3]


def test_display_format_is_national_at_home_and_international_abroad() -> None:
    assert format_phone("+447400123456", "GB") == "07400 123456"
    assert format_phone("+447400123456", "US") == "+44 7400 123456"
    assert format_phone("+14155552671", "US") == "(415) 555-2671"


def test_a_whole_number_in_an_unused_range_is_still_searched_without_its_trunk_zero() -> None:
    # Ofcom's drama range: not valid for sending, but an imported record may carry it.
    forms = phone_search_forms("07700 900123", "GB")
    assert forms.e164 is None
    assert forms.suffix_reversed == "3210090077"
