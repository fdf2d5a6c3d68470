"""Redeeming credit at checkout: partial, soonest-expiring first, never negative, and every
refusal in words with nothing written."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.domain.errors import InsufficientCreditError, InvalidInputError, RuleRefusedError
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.store.models import LedgerEntry
from tests.services.conftest import ledger_matches_rewards
from tests.services.desk import Desk

DESK = Actor(name="Anna", role="receptionist")


def _sarah_with_credit(desk: Desk, friends: int = 1) -> tuple[int, list[int]]:
    sarah = desk.patient("Sarah", "Connolly")
    visits = []
    for index in range(friends):
        friend = desk.patient(f"Friend{index}", "Baker")
        desk.refer(sarah, friend)
        visit, _ = desk.attend(friend)
        visits.append((friend, visit))
    return sarah, visits  # type: ignore[return-value]


def _ledger_rows(services: Services) -> int:
    with services.ctx.db.read() as session:
        return session.scalar(select(func.count(LedgerEntry.id))) or 0


def test_partial_redemption_then_the_rest(services: Services, desk: Desk) -> None:
    sarah, _ = _sarah_with_credit(desk)
    first = services.rewards.redeem(DESK, sarah, 1250)
    assert first.message == "Sarah used £12.50 credit; £7.50 left."
    second = services.rewards.redeem(DESK, sarah, 750)
    assert second.balance_after_minor == 0
    views = services.rewards.patient_rewards(sarah)
    assert [r.status for r in views.rewards] == ["redeemed"]
    assert [line.entry_type for line in views.ledger] == ["issued", "redeemed", "redeemed"]
    assert [line.amount for line in views.ledger] == ["£20.00", "−£12.50", "−£7.50"]
    assert ledger_matches_rewards(services)


def test_more_than_the_balance_is_refused_and_nothing_written(
    services: Services, desk: Desk
) -> None:
    sarah, _ = _sarah_with_credit(desk)
    before = _ledger_rows(services)
    with pytest.raises(InsufficientCreditError) as error:
        services.rewards.redeem(DESK, sarah, 2001)
    assert error.value.message == "Sarah has £20.00 credit available; £20.01 is more than that."
    assert error.value.exit_code == 3
    assert _ledger_rows(services) == before
    assert services.rewards.balance(sarah).available_minor == 2000


def test_redemption_draws_from_the_soonest_expiring_credit(
    services: Services, desk: Desk, clock
) -> None:  # type: ignore[no-untyped-def]
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    desk.refer(sarah, tom)
    desk.attend(tom)
    clock.advance(timedelta(days=30))
    uma = desk.patient("Uma", "Baker")
    desk.refer(sarah, uma)
    desk.attend(uma)
    result = services.rewards.redeem(DESK, sarah, 2500)
    rewards = {r.id: r for r in services.rewards.patient_rewards(sarah).rewards}
    older, newer = sorted(rewards)
    assert result.parts == ((older, 2000), (newer, 500))
    assert rewards[older].status == "redeemed" and rewards[newer].remaining_minor == 1500


def test_nonsense_amounts(services: Services, desk: Desk) -> None:
    sarah, _ = _sarah_with_credit(desk)
    for amount in (0, -500):
        with pytest.raises(InvalidInputError, match="above zero"):
            services.rewards.redeem(DESK, sarah, amount)
    with pytest.raises(InvalidInputError, match="no patient 999"):
        services.rewards.redeem(DESK, 999, 100)


def test_credit_only_never_more_than_the_bill(services: Services, desk: Desk) -> None:
    sarah, _ = _sarah_with_credit(desk)
    with pytest.raises(RuleRefusedError, match=r"more than the bill \(£15.00\).*never cash"):
        services.rewards.redeem(DESK, sarah, 2000, bill_minor=1500)
    assert services.rewards.redeem(DESK, sarah, 1500, bill_minor=1500).balance_after_minor == 500
    program = services.rewards.program().program
    services.rewards.save_program(SOLE_OWNER, replace(program, credit_only=False))
    assert services.rewards.redeem(DESK, sarah, 500, bill_minor=100).balance_after_minor == 0


def test_expired_credit_cannot_be_redeemed(services: Services, desk: Desk, clock) -> None:  # type: ignore[no-untyped-def]
    sarah, _ = _sarah_with_credit(desk)
    clock.advance(timedelta(days=366))
    with pytest.raises(InsufficientCreditError, match="Sarah's credit expired on 25 Nov 2027"):
        services.rewards.redeem(DESK, sarah, 100)
    report = services.rewards.sweep(DESK)
    assert report.expired_rewards == 2  # Sarah's and her friend's
    views = services.rewards.patient_rewards(sarah)
    assert [line.entry_type for line in views.ledger] == ["issued", "expired"]
    assert views.balance.available_minor == 0
    assert ledger_matches_rewards(services)


def test_reversed_credit_cannot_be_redeemed(services: Services, desk: Desk) -> None:
    sarah, [(friend, visit)] = _sarah_with_credit(desk)
    notes = desk.reverse(friend, visit, "refunded")
    assert "Sarah's £20.00 credit was taken back." in notes
    with pytest.raises(InsufficientCreditError, match="taken back \\(first visit refunded\\)"):
        services.rewards.redeem(DESK, sarah, 100)


def test_reversal_leaves_redeemed_credit_alone(services: Services, desk: Desk) -> None:
    sarah, [(friend, visit)] = _sarah_with_credit(desk)
    services.rewards.redeem(DESK, sarah, 2000)
    notes = desk.reverse(friend, visit, "refunded")
    assert "Sarah already used £20.00 credit; it cannot be taken back." in notes
    assert services.referrals.list(status="cancelled")[0].referee.id == friend  # type: ignore[union-attr]
    assert ledger_matches_rewards(services)


def test_a_later_visit_reversed_changes_nothing(services: Services, desk: Desk) -> None:
    sarah, [(friend, _first)] = _sarah_with_credit(desk)
    second, _ = desk.attend(friend, first=False)
    assert desk.reverse(friend, second, "cancelled") == []
    assert services.rewards.balance(sarah).available_minor == 2000
