"""Money as integer minor units (pence, cents, yen): the one place that reads and writes it.

babel (CLDR) earns its place here: it knows which currencies are in use today, how many
decimals each has (JPY none, BHD three) and what symbol a currency's own country uses.

Display policy, one form per clinic (a clinic has one currency): the symbol the currency's
home territory uses in English (``en_CA`` writes CAD as ``$``, ``en_AU`` AUD as ``$``,
``en_JP`` JPY as ``¥``; a currency with no such locale, like EUR or BRL, takes plain
English's ``€`` / ``R$``), then the number as English writes it (``1,250.00``), so what the
desk reads is also what it can type back. The card, rewards, ledger, reports, CSV, SMS cost,
CLI and SMS template values all come through :func:`format_money`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_currency_precision, get_currency_symbol, get_territory_currencies

from frontdesk.domain.errors import InvalidInputError

MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash next to a currency symbol
_MINUSES = "-\u2212"
# Optional symbol or code before or after the number: "£12.50", "CA$12", "12.50 GBP", "1,250".
_AMOUNT = re.compile(
    r"^(?P<sign>[-\u2212+]?)\s*(?P<pre>[^\d\s.,+\-\u2212](?:[^\d.,+\-\u2212]{0,5}[^\d\s.,+\-\u2212])?)?\s*(?P<sign2>[-\u2212+]?)\s*"
    r"(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
    r"\s*(?P<post>[^\d\s.,+\-\u2212](?:[^\d.,+\-\u2212]{0,5}[^\d\s.,+\-\u2212])?)?$"
)

# How many of a currency's units make a typical desk amount, as a power of ten (about the
# units to one pound sterling, rounded to the nearest power). CLDR holds no exchange rates,
# and a default reward or a "too large for one visit" limit only needs the size right:
# ¥2,000 rather than ¥20. Currencies not listed are within a factor of ~3 of the pound.
_UNIT_MAGNITUDE: dict[str, int] = {
    **dict.fromkeys(("BRL", "CNY", "CZK", "DKK", "HKD", "MXN", "NOK", "PLN", "SEK", "ZAR"), 1),
    **dict.fromkeys(("AED", "ILS", "MYR", "SAR", "MAD", "GHS", "PEN", "RON", "QAR"), 1),
    **dict.fromkeys(("EGP", "INR", "ISK", "JPY", "KES", "PHP", "RUB", "THB", "TRY", "TWD"), 2),
    **dict.fromkeys(("UAH", "HUF", "DOP", "UYU", "BDT", "LKR"), 2),
    **dict.fromkeys(("ARS", "CLP", "KRW", "NGN", "PKR", "COP", "TZS", "UGX", "KZT"), 3),
    **dict.fromkeys(("IDR", "VND", "IRR", "LAK"), 4),
}
VISIT_LIMIT_UNITS = 10_000  # no single visit is paid 10,000 pounds' worth or more


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
    """ISO 4217 minor-unit digits: GBP 2, JPY 0, BHD 3."""
    return int(get_currency_precision(currency.upper()))


def typical(units: int, currency: str) -> int:
    """``units`` pounds' worth, roughly, in ``currency``'s minor units (20 → ¥2,000 for JPY)."""
    cur = currency.upper()
    return units * 10 ** (_UNIT_MAGNITUDE.get(cur, 0) + decimals(cur))


def max_visit_minor(currency: str) -> int:
    """The smallest amount too large to be paid for one visit (check-in refuses it)."""
    return typical(VISIT_LIMIT_UNITS, currency)


@cache
def _home_locale(currency: str) -> Locale:
    # ISO 4217 codes start with their country's ISO 3166 code (CAD → CA, JPY → JP).
    try:
        return Locale.parse(f"en_{currency[:2]}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@cache
def symbol(currency: str) -> str:
    """The one symbol a clinic sees for its currency: ``$`` for CAD, ``£`` for GBP."""
    cur = currency.upper()
    return str(get_currency_symbol(cur, locale=_home_locale(cur)))


@cache
def _accepted_marks(currency: str) -> frozenset[str]:
    """What the desk may type around an amount in ``currency``: its symbols and its code."""
    cur = currency.upper()
    marks = {cur, symbol(cur), str(get_currency_symbol(cur, locale="en"))}
    return frozenset(mark.upper() for mark in marks)


def parse_amount(
    raw: str | int | Decimal,
    currency: str,
    *,
    maximum: int | None = None,
    signed: bool = False,
    what: str = "amount",
) -> int:
    """Minor units of what a person typed: ``55``, ``55.5``, ``£55.00``, ``1,250.00``.

    ``maximum`` (minor units, exclusive) catches a slipped finger; ``signed`` allows ``-5``
    for adjustments. Every refusal says what is wrong in words for the desk.
    """
    cur = currency.upper()
    text = str(raw).strip()
    if not text:
        raise InvalidInputError(f"Please enter the {what}, like {_example(cur)}.")
    match = _AMOUNT.match(text)
    if not match:
        raise InvalidInputError(
            f"“{text[:20]}” is not an amount of money; type it like {_example(cur)}."
        )
    for mark in (match["pre"], match["post"]):
        if mark and mark.upper() not in _accepted_marks(cur):
            raise InvalidInputError(f"“{text[:20]}” is not an amount in {cur}.")
    try:
        value = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InvalidInputError(f"“{text[:20]}” is not an amount of money.") from None
    if (match["sign"] or match["sign2"]) in tuple(_MINUSES):
        value = -value
    places = decimals(cur)
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        unit = "whole amounts" if places == 0 else f"at most {places} decimals"
        raise InvalidInputError(f"“{text[:20]}” has too many decimals: {cur} takes {unit}.")
    minor = int(scaled)
    if minor < 0 and not signed:
        raise InvalidInputError(f"The {what} can't be negative.")
    if maximum is not None and abs(minor) >= maximum:
        raise InvalidInputError(
            f"{format_money(minor, cur)} looks too large for one visit; please check it."
        )
    return minor


def _example(currency: str) -> str:
    places = decimals(currency)
    return f"{typical(55, currency) // 10**places:,}" + ("." + "0" * places if places else "")


def from_minor(minor: int, currency: str) -> Decimal:
    """2050 pence → Decimal("20.50"), with the currency's own number of decimals."""
    places = decimals(currency)
    return Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


@lru_cache(maxsize=4096)  # lists show the same few amounts thousands of times
def format_money(minor: int, currency: str, *, whole: bool = False) -> str:
    """2000, GBP → "£20.00"; -1500 → "−£15.00"; ``whole`` rounds to units (tiles, charts)."""
    cur = currency.upper()
    value = from_minor(abs(minor), cur)
    places = 0 if whole else decimals(cur)
    number = f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,.{places}f}"
    return _with_symbol(cur, number, negative=minor < 0 and bool(number.strip("0.,")))


def format_micros(micros: int, currency: str) -> str:
    """A price in millionths of the currency (an SMS part: 40000 → "£0.04", 7900 → "$0.008"),
    with one more decimal than the currency's own only when the price needs it."""
    cur = currency.upper()
    value = Decimal(micros).scaleb(-6)
    places = decimals(cur)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        places += 1
    number = f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,.{places}f}"
    return _with_symbol(cur, number, negative=micros < 0)


def _with_symbol(cur: str, number: str, *, negative: bool) -> str:
    mark = symbol(cur)
    # CLDR puts a space between a letter symbol and the digits ("CHF 9.99"); a plain space,
    # as a no-break one would push an SMS out of the GSM alphabet.
    text = f"{mark} {number}" if mark[-1:].isalpha() else f"{mark}{number}"
    return f"{MINUS}{text}" if negative else text
