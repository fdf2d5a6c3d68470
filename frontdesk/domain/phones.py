"""Phone numbers with ``phonenumbers``: stored as E.164, typed in any human format."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from frontdesk.domain.errors import InvalidPhoneError

MIN_SUFFIX_DIGITS = 4
# International call prefixes people type instead of "+" (UK/EU "00", North America "011").
_EXIT_PREFIX = re.compile(r"^\s*(00|011)(?=[1-9])")

_REASONS = {
    ValidationResult.TOO_SHORT: "is too short for {region}",
    ValidationResult.TOO_LONG: "is too long for {region}",
    ValidationResult.INVALID_COUNTRY_CODE: "has a country code that does not exist",
    ValidationResult.INVALID_LENGTH: "has the wrong number of digits for {region}",
}


@dataclass(frozen=True)
class PhoneSearchForms:
    """What to look for: the full number (when it parses) and/or its last digits, reversed."""

    e164: str | None
    suffix_reversed: str | None


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def digits_reversed(e164: str) -> str:
    """Digits back to front, so "ends with 0123" becomes an indexed prefix search."""
    return digits_of(e164)[::-1]


def _prepare(raw: str) -> str:
    return _EXIT_PREFIX.sub("+", raw.strip(), count=1)


def parse_phone(raw: str, region: str) -> str:
    """E.164 for what a person typed, or an InvalidPhoneError saying what is wrong with it."""
    text = _prepare(raw)
    if not text:
        raise InvalidPhoneError("Please enter a phone number.")
    if len(text) > 40:
        raise InvalidPhoneError("That phone number is far too long.")
    if any(ch.isalpha() for ch in text.replace("ext", "").replace("x", "")):
        raise InvalidPhoneError(f"“{raw.strip()[:30]}” has letters in it; a phone has digits.")
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise InvalidPhoneError(_parse_failure(raw, exc)) from None
    where = phonenumbers.region_code_for_number(number) or region
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _REASONS:
        raise InvalidPhoneError(
            f"That number {_REASONS[reason].format(region=where)}: {raw.strip()[:30]}."
        )
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneError(
            f"{raw.strip()[:30]} is not a number in use in {where}; please check the digits."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_failure(raw: str, exc: NumberParseException) -> str:
    if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return f"{raw.strip()[:30]} starts with a country code that does not exist."
    too_short = (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD)
    if exc.error_type in too_short:
        return f"{raw.strip()[:30]} is too short to be a phone number."
    if exc.error_type == NumberParseException.TOO_LONG:
        return f"{raw.strip()[:30]} is too long to be a phone number."
    return f"“{raw.strip()[:30]}” is not a phone number."


def phone_search_forms(text: str, region: str) -> PhoneSearchForms:
    """Both ways to find a number someone typed: in full, and by its last 4+ digits."""
    digits = digits_of(text)
    if len(digits) < MIN_SUFFIX_DIGITS:
        raise InvalidPhoneError("Type at least the last four digits of the number.")
    try:
        e164: str | None = parse_phone(text, region)
    except InvalidPhoneError:
        e164 = None
    # The trunk "0" of a national format is not part of the stored number: search by the
    # national significant number when the text parses at all, even as an unused range.
    with contextlib.suppress(NumberParseException):
        digits = str(phonenumbers.parse(_prepare(text), region).national_number)
    return PhoneSearchForms(e164=e164, suffix_reversed=digits[::-1])


def mask_phone(e164: str) -> str:
    """ "+447700900123" → "+44 ••• ••• •123": enough to tell two people apart, no more."""
    try:
        number = phonenumbers.parse(e164)
        country = f"+{number.country_code}"
    except NumberParseException:
        country = ""
    return f"{country} ••• ••• •{digits_of(e164)[-3:]}".strip()


def mask_phone_for_log(e164: str | None) -> str:
    return mask_phone(e164) if e164 else "-"
