"""Rewards issued by desk events: each trigger, delivery, hold, cap, tier and offer option
that changes what the patients get."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from frontdesk.domain.errors import ConflictError, PermissionDeniedError, RuleRefusedError
from frontdesk.domain.reward_program import (
    Delivery,
    NewPatientOffer,
    RewardKind,
    RewardSpec,
    Trigger,
)
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.store.models import LedgerEntry, OutboxMessage, Reward
from tests.services.conftest import ledger_matches_rewards
from tests.services.desk import Desk

DESK = Actor(name="Anna", role="receptionist")


def _program(services: Services, **changes: object) -> None:
    program = replace(services.rewards.program().program, **changes)
    services.rewards.save_program(SOLE_OWNER, program)


def _rewards(services: Services, referral_id: int) -> dict[str, Reward]:
    with services.ctx.db.read() as session:
        rows = session.scalars(select(Reward).where(Reward.referral_id == referral_id)).all()
        session.expunge_all()  # keep the loaded values readable after the session ends
        return {r.role: r for r in rows}


def _texts(services: Services, patient_id: int) -> list[OutboxMessage]:
    with services.ctx.db.read() as session:
        rows = list(
            session.scalars(select(OutboxMessage).where(OutboxMessage.patient_id == patient_id))
        )
        session.expunge_all()
        return rows


def _pair(desk: Desk) -> tuple[int, int, int]:
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom)
    return sarah, tom, referral


def test_default_first_attended_visit_rewards_both_and_thanks_the_referrer(
    services: Services, desk: Desk
) -> None:
    sarah, tom, referral = _pair(desk)
    assert _rewards(services, referral) == {}
    _visit, notes = desk.attend(tom)
    assert notes == [
        "Tom gets £10.00 credit at this visit.",
        "Sarah earned £20.00 credit; a thank-you text is queued.",
    ]
    rewards = _rewards(services, referral)
    assert {r: (w.amount_minor, w.status) for r, w in rewards.items()} == {
        "referrer": (2000, "available"),
        "new_patient": (1000, "available"),
    }
    assert services.referrals.get(referral).status == "rewarded"
    assert services.rewards.balance(sarah).available == "£20.00"
    [text] = _texts(services, sarah)
    assert text.kind == "reward_earned" and "£20.00 credit" in text.body
    assert _texts(services, tom) == []  # the friend is at the desk: no text needed
    assert ledger_matches_rewards(services)
    history = [e.to_status for e in services.referrals.detail(referral).events]
    assert history == ["introduced", "attended", "rewarded"]


def test_a_second_visit_never_issues_again(services: Services, desk: Desk) -> None:
    _sarah, tom, _referral = _pair(desk)
    desk.attend(tom)
    _visit, notes = desk.attend(tom, first=False)
    assert notes == []
    with services.ctx.db.read() as session:
        assert len(session.scalars(select(Reward)).all()) == 2
        assert len(session.scalars(select(LedgerEntry)).all()) == 2


def test_booking_trigger_issues_at_booking_not_before(services: Services, desk: Desk) -> None:
    _program(services, trigger=Trigger.BOOKED)
    _sarah, tom, referral = _pair(desk)
    row, notes = services.referrals.book(DESK, referral)
    assert row.status == "booked" and len(notes) == 2
    assert set(_rewards(services, referral)) == {"referrer", "new_patient"}
    desk.attend(tom)
    assert services.referrals.get(referral).status == "rewarded"
    assert len(_rewards(services, referral)) == 2


def test_attended_trigger_gives_nothing_at_booking(services: Services, desk: Desk) -> None:
    _sarah, _tom, referral = _pair(desk)
    _row, notes = services.referrals.book(DESK, referral)
    assert notes == [] and _rewards(services, referral) == {}


def test_manual_delivery_waits_for_the_owner(services: Services, desk: Desk) -> None:
    _program(services, delivery=Delivery.MANUAL)
    sarah, tom, referral = _pair(desk)
    _visit, notes = desk.attend(tom)
    assert "waits for an owner's approval" in notes[1]
    assert services.referrals.get(referral).status == "attended"
    queue = services.rewards.pending_approvals()
    assert {v.role for v in queue} == {"referrer", "new_patient"}
    assert services.rewards.balance(sarah).available_minor == 0
    assert services.rewards.balance(sarah).on_hold_minor == 2000
    assert _texts(services, sarah) == []
    referrer = next(v for v in queue if v.role == "referrer")
    with pytest.raises(PermissionDeniedError):
        services.rewards.approve(DESK, referrer.id)
    view, note = services.rewards.approve(SOLE_OWNER, referrer.id)
    assert view.status == "available" and "thank-you text is queued" in note
    assert len(_texts(services, sarah)) == 1
    assert services.referrals.get(referral).status == "attended"  # one still waiting
    friend = next(v for v in queue if v.role == "new_patient")
    declined = services.rewards.decline(SOLE_OWNER, friend.id, "friend is staff")
    assert declined.status == "cancelled"
    assert services.referrals.get(referral).status == "rewarded"
    with pytest.raises(ConflictError, match="not waiting for approval"):
        services.rewards.approve(SOLE_OWNER, referrer.id)
    assert ledger_matches_rewards(services)


def test_hold_period_keeps_the_referrer_reward_until_it_ends(
    services: Services, desk: Desk, clock
) -> None:  # type: ignore[no-untyped-def]
    _program(services, hold_days=7)
    sarah, tom, referral = _pair(desk)
    _visit, notes = desk.attend(tom)
    assert notes[0] == "Tom gets £10.00 credit at this visit."  # the welcome offer: no hold
    assert notes[1] == "Sarah earns £20.00 credit, usable from 2 Dec 2026."
    assert services.referrals.get(referral).status == "attended"
    balance = services.rewards.balance(sarah)
    assert (balance.available_minor, balance.on_hold_minor) == (0, 2000)
    with pytest.raises(RuleRefusedError, match="on hold until 2 Dec 2026"):
        services.rewards.redeem(DESK, sarah, 500)
    assert _texts(services, sarah) == []
    clock.advance(timedelta(days=7))
    report = services.rewards.sweep(DESK)
    assert report.released_rewards == 1
    assert services.rewards.balance(sarah).available_minor == 2000
    assert services.referrals.get(referral).status == "rewarded"
    assert len(_texts(services, sarah)) == 1  # thanked when the credit is usable


def test_the_hold_ends_on_its_own_when_the_balance_is_read(
    services: Services, desk: Desk, clock
) -> None:  # type: ignore[no-untyped-def]
    _program(services, hold_days=3)
    sarah, tom, _referral = _pair(desk)
    desk.attend(tom)
    clock.advance(timedelta(days=3, minutes=1))
    assert services.rewards.balance(sarah).available_minor == 2000


def test_cap_per_referrer_per_year(services: Services, desk: Desk, clock) -> None:  # type: ignore[no-untyped-def]
    _program(services, cap_per_referrer_per_year=2)
    sarah = desk.patient("Sarah", "Connolly")
    referrals = []
    for name in ("Tom", "Uma", "Vic"):
        friend = desk.patient(name, "Friend")
        referral, _ = desk.refer(sarah, friend)
        _visit, notes = desk.attend(friend)
        referrals.append((referral, notes))
    third, notes = referrals[2]
    assert set(_rewards(services, third)) == {"new_patient"}  # the friend still gets theirs
    assert "already been rewarded for 2 referrals this year (the cap is 2)" in notes[1]
    assert services.rewards.balance(sarah).available_minor == 4000
    # A new calendar year starts a new count.
    clock.set(clock.now().replace(year=2027, month=1, day=2))
    friend = desk.patient("Wes", "Friend")
    referral, _ = desk.refer(sarah, friend)
    desk.attend(friend)
    assert "referrer" in _rewards(services, referral)


def test_bonus_on_every_second_referral(services: Services, desk: Desk) -> None:
    _program(services, bonus_every=2, bonus=RewardSpec(RewardKind.CREDIT, amount_minor=5000))
    sarah = desk.patient("Sarah", "Connolly")
    roles = []
    for name in ("Tom", "Uma", "Vic", "Wes"):
        friend = desk.patient(name, "Friend")
        referral, _ = desk.refer(sarah, friend)
        _visit, notes = desk.attend(friend)
        roles.append(set(_rewards(services, referral)))
        if name == "Uma":
            assert notes[-1] == "Sarah earned a bonus of £50.00 credit; a thank-you text is queued."
    assert ["bonus" in r for r in roles] == [False, True, False, True]
    assert services.rewards.balance(sarah).available_minor == 4 * 2000 + 2 * 5000


def test_yearly_value_cap_trims_then_withholds(services: Services, desk: Desk) -> None:
    _program(services, yearly_value_cap_minor=5000)
    sarah = desk.patient("Sarah", "Connolly")
    notes_seen = []
    for name in ("Tom", "Uma", "Vic", "Wes"):
        friend = desk.patient(name, "Friend")
        desk.refer(sarah, friend)
        _visit, notes = desk.attend(friend)
        notes_seen.append(notes)
    assert services.rewards.balance(sarah).available_minor == 5000
    assert any("reduced to £10.00" in n for n in notes_seen[2])
    assert any("reached this year's limit of £50.00" in n for n in notes_seen[3])


def test_excluded_payer_type_earns_nothing(services: Services, desk: Desk) -> None:
    _program(services, excluded_payer_types=("medicare",))
    sarah = desk.patient("Sarah", "Connolly", payer_type="Medicare")
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom)
    _visit, notes = desk.attend(tom)
    assert "Sarah gets no reward: the program excludes Medicare patients." in notes
    assert set(_rewards(services, referral)) == {"new_patient"}


def test_percent_and_item_rewards_are_single_use(services: Services, desk: Desk) -> None:
    _program(
        services,
        referrer=RewardSpec(RewardKind.ITEM, item="free sports massage", value_minor=4500),
        new_patient=RewardSpec(RewardKind.PERCENT, percent=15),
    )
    sarah, tom, _referral = _pair(desk)
    _visit, notes = desk.attend(tom)
    assert notes[0] == "Tom gets 15% off the next session at this visit."
    assert notes[1].startswith("Sarah earned free sports massage")
    balance = services.rewards.balance(sarah)
    assert balance.available_minor == 0 and [o.amount for o in balance.offers] == [
        "free sports massage"
    ]
    used = services.rewards.redeem_offer(DESK, balance.offers[0].id)
    assert used.status == "redeemed"
    with pytest.raises(RuleRefusedError, match="has already been used"):
        services.rewards.redeem_offer(DESK, used.id)
    assert ledger_matches_rewards(services)


def test_voucher_offer_is_sent_at_attach_and_found_by_lookup(
    services: Services, desk: Desk
) -> None:
    _program(services, new_patient_offer=NewPatientOffer.VOUCHER)
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    referral, notes = desk.refer(sarah, tom)
    code = _rewards(services, referral)["new_patient"].voucher_code
    assert code and notes == [f"Tom's voucher {code} (£10.00 credit): a text is queued."]
    [text] = _texts(services, tom)
    assert text.kind == "welcome_offer" and code in text.body
    hits = services.lookup.lookup(code.lower().replace("-", " ")).hits
    assert [h.patient.id for h in hits] == [tom]
    desk.attend(tom)
    rewards = _rewards(services, referral)
    assert set(rewards) == {"referrer", "new_patient"}
    assert services.referrals.get(referral).status == "rewarded"


def test_professional_and_named_only_referrals_earn_nothing(services: Services, desk: Desk) -> None:
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(None, tom)
    desk.attend(tom)
    assert _rewards(services, referral) == {}
    assert services.referrals.get(referral).status == "attended"


def test_blocked_referral_earns_nothing_and_the_desk_is_told(
    services: Services, desk: Desk
) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom, status="blocked")
    _visit, notes = desk.attend(tom)
    assert notes == ["This patient's referral is blocked: it earns no reward."]
    assert _rewards(services, referral) == {}


def test_late_attach_after_the_first_visit_rewards_at_once(services: Services, desk: Desk) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    desk.attend(tom)
    referral, notes = desk.refer(sarah, tom, status="attended")
    assert len(notes) == 2
    assert services.referrals.get(referral).status == "rewarded"


def test_a_thank_you_in_quiet_hours_waits_for_the_morning(
    services: Services, desk: Desk, clock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(clock.now().replace(hour=21))  # 21:00 in London in November
    _sarah, tom, _referral = _pair(desk)
    _visit, notes = desk.attend(tom)
    assert notes[1] == "Sarah earned £20.00 credit; a thank-you text will go out at 09:00."
