"""The reward program refuses nonsense with clear words and reads what owners type."""

from __future__ import annotations

from dataclasses import replace

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_money, parse_amount, validate_currency
from frontdesk.domain.reward_program import (
    RewardKind,
    RewardProgram,
    RewardSpec,
    format_reward,
    parse_reward,
)
from frontdesk.domain.reward_program_fields import FIELDS, describe, field_for, with_field

GBP = RewardProgram.default("GBP")


def test_default_program_is_twenty_and_ten_in_the_clinic_currency() -> None:
    assert GBP.referrer == RewardSpec(RewardKind.CREDIT, amount_minor=2000)
    assert GBP.new_patient == RewardSpec(RewardKind.CREDIT, amount_minor=1000)
    assert GBP.expiry_months == 12 and GBP.trigger == "attended" and GBP.delivery == "automatic"
    # Yen have no minor unit, and a reward is sized to the currency: ¥2,000, stored as 2000.
    assert RewardProgram.default("JPY").referrer.amount_minor == 2000
    assert GBP.validated() == GBP


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£20", RewardSpec(RewardKind.CREDIT, amount_minor=2000)),
        ("credit 12.50", RewardSpec(RewardKind.CREDIT, amount_minor=1250)),
        ("20 GBP", RewardSpec(RewardKind.CREDIT, amount_minor=2000)),
        ("15%", RewardSpec(RewardKind.PERCENT, percent=15)),
        ("percent 10", RewardSpec(RewardKind.PERCENT, percent=10)),
        ("20% off worth 9", RewardSpec(RewardKind.PERCENT, percent=20, value_minor=900)),
        ("free sports massage", RewardSpec(RewardKind.ITEM, item="free sports massage")),
        (
            "item Free 30-min massage worth £45",
            RewardSpec(RewardKind.ITEM, item="Free 30-min massage", value_minor=4500),
        ),
        ("none", None),
    ],
)
def test_parse_reward(text: str, expected: RewardSpec | None) -> None:
    assert parse_reward(text, "GBP") == expected
    if expected is not None:
        assert parse_reward(format_reward(expected, "GBP"), "GBP") == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"referrer": RewardSpec(RewardKind.CREDIT, amount_minor=-500)}, "more than zero"),
        ({"new_patient": RewardSpec(RewardKind.PERCENT, percent=500)}, "500% off makes no sense"),
        ({"new_patient": RewardSpec(RewardKind.PERCENT, percent=0)}, "between 1 and 100"),
        ({"referrer": RewardSpec(RewardKind.ITEM, item="  ")}, "Name the referrer item"),
        ({"currency": "XYZ"}, "XYZ is not a currency in use today"),
        ({"currency": "pounds"}, "not a currency code"),
        ({"hold_days": -1}, "hold period is 0 to 365"),
        ({"expiry_months": 0}, "expire after 1 to 120 months"),
        ({"cap_per_referrer_per_year": 0}, "cap per referrer"),
        ({"bonus_every": 5}, "A bonus needs both parts"),
        ({"bonus": RewardSpec(RewardKind.CREDIT, amount_minor=5000)}, "A bonus needs both"),
        ({"yearly_value_cap_minor": 0}, "more than zero"),
        (
            {"yearly_value_cap_minor": 1500},
            r"referrer reward \(£20.00\) is more than the yearly cap",
        ),
        (
            {
                "yearly_value_cap_minor": 7500,
                "new_patient": RewardSpec(RewardKind.ITEM, item="massage"),
            },
            "Say what the new patient reward is worth",
        ),
    ],
)
def test_nonsense_is_refused_with_a_clear_message(change: dict, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        replace(GBP, **change).validated()


def test_every_problem_is_named_at_once() -> None:
    bad = replace(
        GBP,
        referrer=RewardSpec(RewardKind.CREDIT, amount_minor=-1),
        new_patient=RewardSpec(RewardKind.PERCENT, percent=500),
    )
    with pytest.raises(InvalidInputError) as error:
        bad.validated()
    assert "referrer credit" in error.value.message and "500%" in error.value.message


def test_program_round_trips_through_json_and_normalises_payer_types() -> None:
    program = replace(
        GBP,
        bonus_every=5,
        bonus=RewardSpec(RewardKind.ITEM, item="free massage", value_minor=4000),
        excluded_payer_types=(" Medicare", "medicare", "NHS "),
        yearly_value_cap_minor=7500,
    ).validated()
    assert program.excluded_payer_types == ("medicare", "nhs")
    assert RewardProgram.from_dict(program.to_dict()) == program
    assert program.excludes("MEDICARE") and not program.excludes(None)


def test_fields_parse_what_an_owner_types() -> None:
    program = with_field(GBP, "referrer", "free sports massage")
    assert program.referrer == RewardSpec(RewardKind.ITEM, item="free sports massage")
    program = with_field(program, "hold-days", "7")
    program = with_field(program, "trigger", "Booked")
    program = with_field(program, "expiry_months", "never")
    program = with_field(program, "yearly_value_cap", "none")
    program = with_field(program, "excluded_payer_types", "Medicaid, medicare")
    shown = describe(program)
    assert shown["hold_days"] == "7 days"
    assert shown["trigger"] == "booked"
    assert shown["expiry_months"] == "never"
    assert shown["excluded_payer_types"] == "medicaid, medicare"
    assert {f.key for f in FIELDS} == set(shown)
    assert all(f.help for f in FIELDS)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("hold_days", "a week", "whole number"),
        ("trigger", "paid", "attended or booked"),
        ("delivery", "post", "automatic or manual"),
        ("credit_only", "maybe", "yes or no"),
        ("new_patient", "500%", "500% off"),
        ("colour", "blue", "has no 'colour'"),
        ("currency", "ZZZ", "ZZZ is not a currency"),
    ],
)
def test_fields_refuse_nonsense(key: str, value: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        with_field(GBP, key, value)


def test_field_aliases() -> None:
    assert field_for("friend").key == "new_patient"
    assert field_for("hold").key == "hold_days"


def test_money() -> None:
    assert parse_amount("£12.50", "GBP") == 1250
    assert parse_amount("1,250", "JPY") == 1250
    assert format_money(1250, "GBP") == "£12.50"
    assert format_money(5000, "USD") == "$50.00"
    assert validate_currency(" eur ") == "EUR"
    for bad, message in (
        ("12.505", "too many decimals"),
        ("12 EUR", "not an amount in GBP"),
        ("twelve", "not an amount of money"),
    ):
        with pytest.raises(InvalidInputError, match=message):
            parse_amount(bad, "GBP")
    with pytest.raises(InvalidInputError, match="DEM is not a currency in use today"):
        validate_currency("DEM")
