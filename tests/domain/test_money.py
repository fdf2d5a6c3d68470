"""The one money module: ISO 4217 minor units, what the desk types, one form per currency."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import (
    decimals,
    format_money,
    from_minor,
    max_visit_minor,
    parse_amount,
    typical,
)


def test_minor_units_come_from_iso_4217() -> None:
    assert (decimals("GBP"), decimals("JPY"), decimals("BHD")) == (2, 0, 3)
    assert parse_amount("5500", "JPY") == 5500
    assert parse_amount("1.250", "BHD") == 1250
    assert str(from_minor(5500, "JPY")) == "5500" and str(from_minor(2000, "GBP")) == "20.00"


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [
        (2000, "CAD", "$20.00"),
        (2000, "AUD", "$20.00"),
        (2000, "NZD", "$20.00"),
        (5500, "JPY", "¥5,500"),
        (1250, "BHD", "BHD 1.250"),
        (2000, "EUR", "€20.00"),
        (-1500, "CAD", "\u2212$15.00"),
    ],
)
def test_one_form_per_currency(minor: int, currency: str, shown: str) -> None:
    assert format_money(minor, currency) == shown


def test_whole_form_for_tiles_and_charts() -> None:
    assert format_money(125_050, "CAD", whole=True) == "$1,251"
    assert format_money(-40, "GBP", whole=True) == "£0"  # no "−£0"
    assert format_money(550_000, "JPY", whole=True) == "¥550,000"


def test_the_symbols_a_desk_may_type() -> None:
    assert parse_amount("CA$20", "CAD") == parse_amount("$20", "CAD") == 2000
    assert parse_amount("20 cad", "CAD") == 2000
    with pytest.raises(InvalidInputError, match="not an amount in GBP"):
        parse_amount("€20", "GBP")
    with pytest.raises(InvalidInputError, match="JPY takes whole amounts"):
        parse_amount("55.5", "JPY")


def test_signed_amounts_only_where_asked() -> None:
    assert parse_amount("\u2212£5", "GBP", signed=True) == -500
    with pytest.raises(InvalidInputError, match="can't be negative"):
        parse_amount("-5", "GBP")


def test_sizes_follow_the_currency() -> None:
    assert typical(20, "GBP") == 2000 and typical(20, "JPY") == 2000  # £20.00, ¥2,000
    assert max_visit_minor("GBP") == 1_000_000  # £10,000.00
    assert parse_amount("50,000", "JPY", maximum=max_visit_minor("JPY")) == 50_000
    with pytest.raises(InvalidInputError, match="too large for one visit"):
        parse_amount("10,000", "GBP", maximum=max_visit_minor("GBP"))
