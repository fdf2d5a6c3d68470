"""Money in minor units (pence, cents) shown the way a clinic owner reads it: £1,234.50."""

from __future__ import annotations

from decimal import Decimal

ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF"})
SYMBOLS = {
    "GBP": "£",
    "USD": "$",
    "EUR": "€",
    "AUD": "A$",
    "CAD": "CA$",
    "NZD": "NZ$",
    "ZAR": "R",
    "JPY": "¥",
}


def minor_digits(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def minor_to_decimal(amount: int | None, currency: str) -> Decimal | None:
    """Minor units to a decimal amount (2000 pence → 20.00)."""
    if amount is None:
        return None
    digits = minor_digits(currency)
    return Decimal(amount).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def format_money(amount: int, currency: str, *, whole: bool = False) -> str:
    """2000, "GBP" → "£20.00"; -1500 → "−£15.00"; ``whole`` drops the pence (tiles, charts)."""
    value = minor_to_decimal(abs(amount), currency) or Decimal(0)
    symbol = SYMBOLS.get(currency.upper())
    digits = 0 if whole else minor_digits(currency)
    number = f"{value:,.{digits}f}"
    text = f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"
    return f"−{text}" if amount < 0 else text
