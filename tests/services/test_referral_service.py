"""The desk's own moves on referrals, their history (who, when, why) and the list filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from frontdesk.domain.errors import IllegalTransition, InvalidInputError, PermissionDeniedError
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.store.models import AuditEvent
from tests.services.desk import Desk

DESK = Actor(name="Anna", role="receptionist", staff_id=None)


def test_booking_cancelling_and_history_with_who_and_why(services: Services, desk: Desk) -> None:
    owner = services.staff.add(SOLE_OWNER, "Olivia", "owner", "4826")  # the first is an owner
    anna = services.staff.add(owner, "Anna", "receptionist", "4821")
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom)
    thursday = services.ctx.clock.now() + timedelta(days=1)
    row, _ = services.referrals.book(anna, referral, booked_for=thursday, reason="by phone")
    assert row.status == "booked" and row.booked_for == thursday
    with pytest.raises(InvalidInputError, match="a reason is required"):
        services.referrals.cancel(anna, referral, "  ")
    services.referrals.cancel(anna, referral, "Tom cancelled: moving away")
    events = services.referrals.detail(referral).events
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "introduced"),
        ("introduced", "booked"),
        ("booked", "cancelled"),
    ]
    assert events[2].by == "Anna" and events[2].reason == "Tom cancelled: moving away"
    with services.ctx.db.read() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "referral")
        ).all()
    assert actions == ["referral.stage", "referral.stage"]
    # A cancelled friend may book again.
    assert services.referrals.book(anna, referral)[0].status == "booked"


def test_illegal_moves_are_refused_and_nothing_changes(services: Services, desk: Desk) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom)
    desk.attend(tom)
    with pytest.raises(IllegalTransition, match="rewarded; it can't be marked booked"):
        services.referrals.book(DESK, referral)
    with pytest.raises(InvalidInputError, match="already attended"):
        services.referrals.cancel(DESK, referral, "changed mind")
    assert services.referrals.get(referral).status == "rewarded"
    assert len(services.referrals.detail(referral).events) == 3


def test_expiry_sweep(services: Services, desk: Desk, clock) -> None:  # type: ignore[no-untyped-def]
    sarah = desk.patient("Sarah", "Connolly")
    old, _ = desk.refer(sarah, None, prospect_name="Anna")
    booked, _ = desk.refer(sarah, None, prospect_name="Ben")
    clock.advance(timedelta(days=89))
    services.referrals.book(DESK, booked, booked_for=clock.now() + timedelta(days=5))
    fresh, _ = desk.refer(sarah, None, prospect_name="Cleo")
    clock.advance(timedelta(days=2))
    assert services.referrals.expire_due(DESK) == 1
    assert services.referrals.get(old).status == "expired"
    assert services.referrals.get(booked).status == "booked"  # its appointment is still ahead
    assert services.referrals.get(fresh).status == "introduced"
    assert services.referrals.detail(old).events[-1].reason == "not attended within 90 days"
    with pytest.raises(IllegalTransition, match="Expired referrals are closed"):
        services.referrals.book(DESK, old)


def test_owner_overrides_a_blocked_self_referral_with_a_reason(
    services: Services, desk: Desk
) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom, status="blocked")
    with pytest.raises(PermissionDeniedError):
        services.referrals.override_block(DESK, referral, "twins share a phone")
    with pytest.raises(InvalidInputError, match="reason is required"):
        services.referrals.override_block(SOLE_OWNER, referral, "")
    row = services.referrals.override_block(SOLE_OWNER, referral, "twins share a phone")
    assert row.status == "introduced"
    desk.attend(tom)
    assert services.referrals.get(referral).status == "rewarded"


def test_list_filters_by_stage_period_and_person(services: Services, desk: Desk, clock) -> None:  # type: ignore[no-untyped-def]
    sarah = desk.patient("Sarah", "Connolly")
    mary = desk.patient("Mary", "Jones")
    tom = desk.patient("Tom", "Baker")
    first, _ = desk.refer(sarah, tom)
    desk.attend(tom)
    clock.advance(timedelta(days=40))
    second, _ = desk.refer(mary, None, prospect_name="Anna")
    assert [r.id for r in services.referrals.list()] == [second, first]
    assert [r.id for r in services.referrals.list("rewarded")] == [first]
    assert [r.id for r in services.referrals.list(referrer_id=mary)] == [second]
    since = clock.now() - timedelta(days=7)
    assert [r.id for r in services.referrals.list(since=since)] == [second]
    assert [r.id for r in services.referrals.list(patient_ids=[tom])] == [first]
    assert [r.id for r in services.referrals.list(patient_ids=[], prospect="ann")] == [second]
    row = services.referrals.get(first)
    assert row.rewards == "£10.00 credit + £20.00 credit"
    assert row.referrer_name == "Sarah Connolly" and row.friend_name == "Tom Baker"
    assert services.referrals.get(second).friend_name == "Anna"
    assert services.referrals.stage_counts() == {"rewarded": 1, "introduced": 1}
    with pytest.raises(IllegalTransition, match="not a referral stage"):
        services.referrals.list("paid")
