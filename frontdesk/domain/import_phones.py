"""Which of a row's phone numbers is the mobile, when an export has several.

Exports hold phones in many shapes: one "Mobile" column; "Home/Work/Mobile Phone"
columns; Google's labelled pairs ("Phone 1 - Label" = "Home", "Phone 1 - Value"), with
the mobile not always first and several numbers in one cell ("07400 111222 ::: 0113
496 0000"). Every number is read. The mobile is the first one labelled mobile that is not
a landline by its digits, else the first one ``phonenumbers`` says is a mobile, else the
first number of a kind that can be either (North America), else the first valid one at all
(a landline still finds the patient at the desk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType
from phonenumbers.phonemetadata import PhoneMetadata

from frontdesk.domain.errors import InvalidPhoneError
from frontdesk.domain.phone_batch import BulkPhoneParser


class Hint(Enum):
    MOBILE = "mobile"
    LANDLINE = "landline"
    UNKNOWN = "unknown"
    NOT_A_PHONE = "fax"  # fax, pager: never texted, never the patient's number


# Cell values that mean "no number": exports fill empty cells with these.
PLACEHOLDERS = frozenset(
    {"", "-", "--", "---", "n/a", "na", "none", "nil", "null", "0", "00", "unknown", "?", "tbc"}
)
MULTI_VALUE = re.compile(r"\s*:::\s*|\s*\n\s*")
_MOBILE_WORDS = ("mobile", "cell", "sms", "iphone", "text", "handy", "portable")
_NOT_PHONE_WORDS = ("fax", "pager", "telex", "isdn", "tty", "radio")
_LANDLINE_WORDS = ("home", "work", "business", "office", "landline", "main", "day", "night")
_EITHER = (PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.UNKNOWN)


def hint_of(label: str) -> Hint:
    """'Mobile', '* Mobile', 'Cell Phone' → mobile; 'Home Phone', 'Work' → landline."""
    text = label.lower()
    if any(word in text for word in _NOT_PHONE_WORDS):
        return Hint.NOT_A_PHONE
    if any(word in text for word in _MOBILE_WORDS):
        return Hint.MOBILE
    if any(word in text for word in _LANDLINE_WORDS):
        return Hint.LANDLINE
    return Hint.UNKNOWN


def is_placeholder(value: str) -> bool:
    text = value.strip().lower()
    return text in PLACEHOLDERS or not any(ch.isalnum() for ch in text)


def split_values(cell: str) -> list[str]:
    """A multi-value cell ('a ::: b') as its values, placeholders dropped."""
    return [v for v in MULTI_VALUE.split(cell) if not is_placeholder(v)]


@dataclass(frozen=True)
class PhoneChoice:
    mobile: str | None  # E.164 of the number texts go to (or the only number there is)
    others: tuple[str, ...]  # the row's other valid numbers, E.164
    invalid: tuple[tuple[str, str, bool], ...]  # (value, reason, strict)


def choose_phone(parser: BulkPhoneParser, candidates: list[tuple[str, Hint, bool]]) -> PhoneChoice:
    """``candidates``: (value, hint, strict) for every number of the row, in column order;
    strict: from the column mapped as the mobile, where a bad number is the row's problem."""
    valid: list[tuple[str, Hint]] = []
    invalid: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    for value, hint, strict in candidates:
        if hint is Hint.NOT_A_PHONE:
            continue
        try:
            e164 = parser.parse(value)
        except InvalidPhoneError as error:
            invalid.append((value, error.message, strict))
            continue
        if e164 not in seen:
            seen.add(e164)
            valid.append((e164, hint))
    if not valid:
        return PhoneChoice(None, (), tuple(invalid))
    if len(valid) == 1:
        return PhoneChoice(valid[0][0], (), tuple(invalid))
    types = {e164: _number_type(e164, parser.region) for e164, _hint in valid}
    chosen = (
        next((e for e, h in valid if h is Hint.MOBILE and types[e] != _FIXED), None)
        or next((e for e, _h in valid if types[e] == PhoneNumberType.MOBILE), None)
        or next((e for e, h in valid if types[e] in _EITHER and h is not Hint.LANDLINE), None)
        or valid[0][0]
    )
    others = tuple(e for e, _h in valid if e != chosen)
    return PhoneChoice(chosen, others, tuple(invalid))


_FIXED = PhoneNumberType.FIXED_LINE


def _number_type(e164: str, region: str) -> int:
    """Mobile or fixed line: for the clinic's own country from its patterns compiled once
    (``phonenumbers.number_type`` costs ~0.4 ms a number); other countries the slow way."""
    kinds = _kinds(region)
    if kinds is not None and e164.startswith(kinds.prefix):
        found = kinds.kind(e164[len(kinds.prefix) :])
        if found != PhoneNumberType.UNKNOWN:
            return found  # else another region under the same code (Jersey under +44)
    try:
        return int(phonenumbers.number_type(phonenumbers.parse(e164, None)))
    except NumberParseException:
        return PhoneNumberType.UNKNOWN


@dataclass(frozen=True)
class _Kinds:
    prefix: str  # "+44"
    mobile: re.Pattern[str] | None
    fixed: re.Pattern[str] | None
    same: bool  # one pattern for both (North America)

    def kind(self, national: str) -> int:
        if self.same:
            return PhoneNumberType.FIXED_LINE_OR_MOBILE
        if self.mobile is not None and self.mobile.fullmatch(national):
            return PhoneNumberType.MOBILE
        if self.fixed is not None and self.fixed.fullmatch(national):
            return PhoneNumberType.FIXED_LINE
        return PhoneNumberType.UNKNOWN


@lru_cache(maxsize=8)
def _kinds(region: str) -> _Kinds | None:
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None:
        return None

    def compiled(desc: object) -> re.Pattern[str] | None:
        pattern = getattr(desc, "national_number_pattern", None)
        return re.compile(pattern) if pattern else None

    return _Kinds(
        prefix=f"+{meta.country_code}",
        mobile=compiled(meta.mobile),
        fixed=compiled(meta.fixed_line),
        same=bool(meta.same_mobile_and_fixed_line_pattern),
    )
