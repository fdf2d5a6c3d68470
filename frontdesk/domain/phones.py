"""Phone numbers with ``phonenumbers``: stored as E.164, typed in any human format.

The clinic's country is the default region, so "07400 123456" in a UK clinic is
+447400123456. People also type the international call prefix of wherever they learnt to
dial ("00 44…" in Europe, "011 44…" in North America, "0011 44…" in Australia): the
region's own prefix is understood by ``phonenumbers``; a foreign one is tried only when the
number does not work as typed, so a Sheffield "0114 496 0123" stays a Sheffield number.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType, ValidationResult

from frontdesk.domain.errors import InvalidPhoneError

MIN_SUFFIX_DIGITS = 4
MAX_TYPED = 40
# Foreign international call prefixes, longest first ("0011" must not be read as "00"+"11").
_EXIT_PREFIXES = ("0011", "011", "00")
_ALLOWED = re.compile(r"^[\d\s+().\-/]*(?:(?:ext\.?|x|#)\s*\d{1,6})?$", re.IGNORECASE)
_LENGTH_REASONS = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "the wrong length",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "too short",
}


@dataclass(frozen=True)
class PhoneSearchForms:
    """What to look for: the full number (when it parses) and/or its last digits, reversed."""

    e164: str | None
    suffix_reversed: str | None


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def digits_reversed(e164: str) -> str:
    """Digits back to front, so "ends with 0123" becomes an indexed prefix search."""
    return digits_of(e164)[::-1]


def _ascii_digits(raw: str) -> str:
    """Arabic-Indic, Devanagari and full-width digits as 0-9; everything else unchanged."""
    return "".join(str(int(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in raw)


def _shown(raw: str) -> str:
    text = " ".join(raw.split())
    return f"“{text[:30]}{'…' if len(text) > 30 else ''}”"


def _readings(text: str, region: str) -> list[PhoneNumber]:
    """Every sensible reading of what was typed: as typed, then with a foreign exit prefix."""
    readings: list[PhoneNumber] = []
    with contextlib.suppress(NumberParseException):
        readings.append(phonenumbers.parse(text, region))
    compact = re.sub(r"[\s().\-/]", "", text)
    for prefix in _EXIT_PREFIXES:
        if compact.startswith(prefix) and compact[len(prefix) : len(prefix) + 1] not in ("", "0"):
            with contextlib.suppress(NumberParseException):
                readings.append(phonenumbers.parse("+" + compact[len(prefix) :], region))
            break
    return readings


def _example(region: str, home: str) -> str:
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if example is None:
        return ""
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return f" Mobiles in {region} look like {phonenumbers.format_number(example, style)}."


def parse_phone(raw: str, region: str) -> str:
    """E.164 for what a person typed, or an InvalidPhoneError saying what is wrong with it."""
    text = _ascii_digits(raw).strip()
    if not text:
        raise InvalidPhoneError("Please enter a phone number.")
    if len(text) > MAX_TYPED:
        raise InvalidPhoneError("That phone number is far too long.")
    if any(ch.isalpha() for ch in text) and not _ALLOWED.match(text):
        raise InvalidPhoneError(f"{_shown(raw)} has letters in it; a phone number has digits.")
    if not _ALLOWED.match(text):
        odd = next(ch for ch in text if not (ch.isdigit() or ch in " +().-/"))
        raise InvalidPhoneError(f"{_shown(raw)} has “{odd}” in it; a phone number has digits.")
    digits = digits_of(text)
    if len(digits) < 5:
        raise InvalidPhoneError(f"{_shown(raw)} is too short to be a phone number.")
    readings = _readings(text, region)
    for number in readings:
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not readings:
        if text.startswith("+") or text.startswith("00"):
            raise InvalidPhoneError(
                f"{_shown(raw)} starts with a country code that does not exist."
            )
        raise InvalidPhoneError(f"{_shown(raw)} is not a phone number.")
    raise InvalidPhoneError(_why_invalid(raw, readings[0], region))


def _why_invalid(raw: str, number: PhoneNumber, region: str) -> str:
    where = phonenumbers.region_code_for_country_code(number.country_code)
    if phonenumbers.country_code_for_region(region) == number.country_code:
        where = region  # +1 is shared by the US and Canada: speak of the clinic's own
    if where in ("ZZ", "001"):
        code = number.country_code
        return f"{_shown(raw)} starts with a country code that does not exist (+{code})."
    if where != region and phonenumbers.region_code_for_number(number):
        where = phonenumbers.region_code_for_number(number) or where
    reason = phonenumbers.is_possible_number_for_type_with_reason(number, PhoneNumberType.MOBILE)
    if reason not in _LENGTH_REASONS:
        reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _LENGTH_REASONS:
        return f"{_shown(raw)} is {_LENGTH_REASONS[reason]} for {where}.{_example(where, region)}"
    return f"{_shown(raw)} is not a number in use in {where}; please check the digits."


def phone_search_forms(text: str, region: str) -> PhoneSearchForms:
    """Both ways to find a number someone typed: in full, and by its last 4+ digits."""
    typed = _ascii_digits(text)
    digits = digits_of(typed)
    if len(digits) < MIN_SUFFIX_DIGITS:
        raise InvalidPhoneError("Type at least the last four digits of the number.")
    try:
        e164: str | None = parse_phone(typed, region)
    except InvalidPhoneError:
        e164 = None
    # The stored number ends with the national number: "07400 123456" → "7400123456". A
    # number in an unused range still parses, and may be on file (imported), so use it too.
    with contextlib.suppress(NumberParseException):
        number = phonenumbers.parse(e164 or typed, region)
        if phonenumbers.is_possible_number_with_reason(number) == ValidationResult.IS_POSSIBLE:
            digits = str(number.national_number)
    return PhoneSearchForms(e164=e164, suffix_reversed=digits[::-1])


def format_phone(e164: str, home_region: str) -> str:
    """For people to read: national style at home ("07400 123456"), international abroad."""
    try:
        number = phonenumbers.parse(e164)
    except NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == home_region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def mask_phone(e164: str) -> str:
    """ "+447400123456" → "+44 ••• ••• •456": enough to tell two people apart, no more."""
    try:
        country = f"+{phonenumbers.parse(e164).country_code}"
    except NumberParseException:
        country = ""
    return f"{country} ••• ••• •{digits_of(e164)[-3:]}".strip()


def mask_phone_for_log(e164: str | None) -> str:
    return mask_phone(e164) if e164 else "-"


# Numbers a text cannot reach, or should never go to: kept on file (the desk may call them),
# never texted. A number that may be either (US and Canada) or is unknown is texted.
_NOT_FOR_TEXTS = {
    PhoneNumberType.FIXED_LINE: "a landline",
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.TOLL_FREE: "a freephone number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.UAN: "a company switchboard number",
    PhoneNumberType.PAGER: "a pager",
    PhoneNumberType.VOICEMAIL: "a voicemail access number",
}


def why_not_textable(e164: str | None) -> str | None:
    """Why this stored number gets no texts ("the number on file is a landline"), or None."""
    if not e164:
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return None  # the invalid-number rule says so already
    kind = _NOT_FOR_TEXTS.get(phonenumbers.number_type(number))
    return f"the number on file is {kind}, which cannot receive texts" if kind else None
