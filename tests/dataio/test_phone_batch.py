"""The bulk phone parser gives the desk's answers, only faster."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from frontdesk.domain.errors import InvalidPhoneError
from frontdesk.domain.phone_batch import BulkPhoneParser
from frontdesk.domain.phones import parse_phone

REGIONS = ("GB", "US", "AU", "IE", "DE", "IT", "NZ", "CA", "AR", "JE", "IN")


def _outcome(parse, text: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return parse(text)
    except InvalidPhoneError:
        return "invalid"


def _variants(region: str, rng: random.Random) -> list[str]:
    """Real example numbers in every format, with digits changed, dropped and added."""
    samples: list[str] = []
    for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        formats = [
            phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL),
            phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164),
        ]
        formats.append(formats[1].replace("+", "00"))
        for _ in range(120):
            chars = list(rng.choice(formats))
            for i, ch in enumerate(chars):
                if ch.isdigit() and rng.random() < 0.3:
                    chars[i] = str(rng.randrange(10))
            if rng.random() < 0.15 and len(chars) > 4:
                del chars[rng.randrange(len(chars))]
            if rng.random() < 0.15:
                chars.insert(rng.randrange(len(chars)), str(rng.randrange(10)))
            samples.append("".join(chars))
    samples += ["".join(rng.choice("0123456789") for _ in range(rng.randrange(4, 14)))]
    samples += ["+44 7400 123456", "(415) 555-0132", "07400 12345x", " ", "+999 123"]
    return samples


@pytest.mark.parametrize("region", REGIONS)
def test_same_answer_as_parse_phone_for_every_shape(region: str) -> None:
    rng = random.Random(region)
    parser = BulkPhoneParser(region)
    for text in _variants(region, rng):
        expected = _outcome(lambda t: parse_phone(t, region), text)
        assert _outcome(parser.parse, text) == expected, (region, text)


def test_the_everyday_shapes_take_the_short_cut() -> None:
    parser = BulkPhoneParser("GB")
    for text in ("07400 123456", "+44 7400 123457", "(07400) 123-458", "0044 7400 123459"):
        assert parser.parse(text).startswith("+447400")
    assert parser.fast_hits == 4


def test_a_number_missing_digits_is_too_short_for_the_region() -> None:
    with pytest.raises(InvalidPhoneError) as caught:
        BulkPhoneParser("GB").parse("0740012")
    assert caught.value.message == (
        "0740012 is too short for GB: 6 digits where a GB mobile has 10 (not counting a leading 0)."
    )


def test_letters_keep_the_desks_message() -> None:
    with pytest.raises(InvalidPhoneError) as caught:
        BulkPhoneParser("GB").parse("07400 1234a5")
    assert "has letters in it" in caught.value.message


def test_leeds_and_sheffield_landlines_take_the_short_cut() -> None:
    parser = BulkPhoneParser("GB")
    assert parser.parse("0113 496 0000") == "+441134960000"
    assert parser.parse("0114 496 0000") == "+441144960000"
    assert parser.fast_hits == 2  # 011 is not an exit code outside North America
    us = BulkPhoneParser("US")
    assert us.parse("011 44 7400 123456") == "+447400123456"
