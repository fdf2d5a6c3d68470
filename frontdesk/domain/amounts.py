"""Money typed at the desk ("55", "55.5", "£55.00", "1,250.00") as integer minor units."""

from __future__ import annotations

import re

from frontdesk.domain.errors import InvalidInputError

MAX_VISIT_MINOR = 10_000_00  # no single visit is paid 10,000 or more
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "ZAR": "R"}
_AMOUNT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_amount(raw: str, currency: str, *, maximum: int = MAX_VISIT_MINOR) -> int:
    """Minor units (pence, cents) of a typed amount, or a message saying what is wrong."""
    text = raw.strip()
    for symbol in {*SYMBOLS.values(), currency, currency.lower()}:
        text = text.removeprefix(symbol).removesuffix(symbol).strip()
    if not text:
        raise InvalidInputError("Please enter the amount paid, like 55.00.")
    if text.startswith("-"):
        raise InvalidInputError("The amount paid can't be negative.")
    if not _AMOUNT.match(text):
        shown = raw.strip()[:20]
        raise InvalidInputError(f"“{shown}” is not an amount; type it like 55 or 55.00.")
    whole, _, fraction = text.replace(",", "").partition(".")
    minor = int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
    if minor >= maximum:
        raise InvalidInputError(
            f"{format_money(minor, currency)} looks too large for one visit; please check it."
        )
    return minor


def format_money(minor: int, currency: str) -> str:
    symbol = SYMBOLS.get(currency)
    sign = "-" if minor < 0 else ""
    value = f"{abs(minor) // 100:,}.{abs(minor) % 100:02d}"
    return f"{sign}{symbol}{value}" if symbol else f"{sign}{value} {currency}"
