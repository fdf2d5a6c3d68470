"""Money as integer minor units (pence, cents, yen), with ISO 4217 currencies from CLDR (babel).

babel earns its place here: it knows which currencies are in use today, how many decimals
each has (JPY none, BHD three) and how a clinic's country writes an amount ("£20.00").
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies

from frontdesk.domain.errors import InvalidInputError

# An optional currency symbol or code before or after: "£12.50", "12.50 GBP", "1,250".
_AMOUNT = re.compile(
    r"^(?:(?P<pre>[A-Za-z]{3})\s*|[^\w\s.+\-]{1,3}\s*)?"
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)"
    r"\s*(?:(?P<post>[A-Za-z]{3})|[^\w\s.]{1,3})?$"
)


@cache
def currencies_in_use() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today."""
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, tender=True))
    return frozenset(codes)


def validate_currency(code: str) -> str:
    cleaned = code.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", cleaned):
        raise InvalidInputError(
            f"{code!r} is not a currency code. Use three letters, like GBP, EUR or USD."
        )
    if cleaned not in currencies_in_use():
        raise InvalidInputError(
            f"{cleaned} is not a currency in use today. Use an ISO 4217 code like GBP, EUR or USD."
        )
    return cleaned


def decimals(currency: str) -> int:
    return int(get_currency_precision(currency))


def to_minor(text: str | int | float | Decimal, currency: str) -> int:
    """``"12.50"`` (or ``"£12.50"``, ``"1,250"``) in ``currency`` → 1250 minor units."""
    raw = str(text).strip()
    match = _AMOUNT.match(raw)
    if not match:
        raise InvalidInputError(f"{raw!r} is not an amount of money. Write it like 12.50.")
    named = (match.group("pre") or match.group("post") or currency).upper()
    if named != currency.upper():
        raise InvalidInputError(f"{raw!r} is not an amount in {currency}.")
    try:
        value = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:
        raise InvalidInputError(f"{raw!r} is not an amount of money.") from None
    places = decimals(currency)
    scaled = value * (10**places)
    if scaled != scaled.to_integral_value():
        unit = "whole amounts" if places == 0 else f"at most {places} decimals"
        raise InvalidInputError(f"{raw!r} has too many decimals: {currency} takes {unit}.")
    return int(scaled.to_integral_value(ROUND_HALF_UP))


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-decimals(currency))


@cache
def _locale_for(country: str | None) -> Locale:
    for tag in (f"en_{country}" if country else None, "en_GB"):
        if tag:
            try:
                return Locale.parse(tag)
            except (UnknownLocaleError, ValueError):
                continue
    return Locale.parse("en")


@lru_cache(maxsize=4096)  # lists show the same few amounts thousands of times
def format_money(minor: int, currency: str, country: str | None = None) -> str:
    """1250, GBP → "£12.50" as the clinic's country writes it."""
    return format_currency(from_minor(minor, currency), currency, locale=_locale_for(country))
