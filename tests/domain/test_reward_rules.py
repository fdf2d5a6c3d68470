"""Pure reward decisions: dates, caps, bonuses, which credit a redemption draws from."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.domain.errors import InvalidInputError, RuleRefusedError
from frontdesk.domain.reward_program import RewardKind, RewardProgram, RewardSpec
from frontdesk.domain.reward_rules import (
    Credit,
    add_months,
    allocate,
    apply_value_cap,
    bonus_due,
    expires_at,
    usable_from,
    year_start,
)
from frontdesk.domain.voucher import generate_voucher, normalize_voucher

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
PROGRAM = RewardProgram.default("GBP")


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2027, 11, 30, tzinfo=UTC), 3) == datetime(2028, 2, 29, tzinfo=UTC)
    assert add_months(NOW, 12) == NOW.replace(year=2027)


def test_hold_applies_to_the_referrer_not_to_the_welcome_offer() -> None:
    held = replace(PROGRAM, hold_days=7)
    assert usable_from("referrer", NOW, held) == NOW + timedelta(days=7)
    assert usable_from("bonus", NOW, held) == NOW + timedelta(days=7)
    assert usable_from("new_patient", NOW, held) == NOW
    assert expires_at(NOW, PROGRAM) == NOW.replace(year=2027)
    assert expires_at(NOW, replace(PROGRAM, expiry_months=None)) is None


def test_calendar_year_starts_in_the_clinic_time_zone() -> None:
    # 00:30 on 1 Jan in Sydney is still 31 Dec in UTC.
    start = year_start(datetime(2026, 6, 1, tzinfo=UTC), "Australia/Sydney")
    assert start == datetime(2025, 12, 31, 13, 0, tzinfo=UTC)
    assert year_start(NOW, "Europe/London") == datetime(2026, 1, 1, tzinfo=UTC)


def test_bonus_on_every_nth() -> None:
    program = replace(PROGRAM, bonus_every=3, bonus=RewardSpec(RewardKind.CREDIT, amount_minor=1))
    assert [n for n in range(1, 10) if bonus_due(n, program)] == [3, 6, 9]
    assert not bonus_due(3, PROGRAM)


def test_value_cap_trims_a_credit_and_withholds_an_item() -> None:
    capped = replace(PROGRAM, yearly_value_cap_minor=5000)
    credit = RewardSpec(RewardKind.CREDIT, amount_minor=2000)
    assert apply_value_cap(credit, 3000, capped, "Sarah").spec == credit
    trimmed = apply_value_cap(credit, 4000, capped, "Sarah")
    assert trimmed.spec == RewardSpec(RewardKind.CREDIT, amount_minor=1000)
    assert "reduced to £10.00" in (trimmed.note or "")
    none = apply_value_cap(credit, 5000, capped, "Sarah")
    assert none.spec is None and "reached this year's limit of £50.00" in (none.note or "")
    item = RewardSpec(RewardKind.ITEM, item="massage", value_minor=4500)
    assert apply_value_cap(item, 1000, capped, "Sarah").spec is None
    assert apply_value_cap(item, 99999, PROGRAM, "Sarah").spec == item  # no cap set


def test_allocate_takes_soonest_expiring_credit_first() -> None:
    soon = Credit(1, 500, NOW + timedelta(days=10), NOW)
    later = Credit(2, 2000, NOW + timedelta(days=300), NOW)
    never = Credit(3, 1000, None, NOW)
    assert allocate([never, later, soon], 1200) == [(1, 500), (2, 700)]
    assert allocate([never, later, soon], 3500) == [(1, 500), (2, 2000), (3, 1000)]
    with pytest.raises(RuleRefusedError):
        allocate([soon], 501)
    with pytest.raises(InvalidInputError):
        allocate([soon], 0)


def test_voucher_codes_are_checked_and_forgiving() -> None:
    import random

    code = generate_voucher(random.Random(3))
    assert code.startswith("GIFT-") and len(code) == 11
    assert normalize_voucher(code.lower().replace("-", " ")) == code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert normalize_voucher(wrong) is None
    assert normalize_voucher("SARAH-K7QD") is None
