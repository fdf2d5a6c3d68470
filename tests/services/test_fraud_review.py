"""Fraud rules through the desk events, the hold they put on rewards, and the owner's review."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from frontdesk.domain.errors import ConflictError, InvalidInputError, PermissionDeniedError
from frontdesk.domain.reward_program import Trigger
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.store.models import AuditEvent
from tests.query_plans import assert_no_table_scans, statements_of
from tests.services.conftest import ledger_matches_rewards
from tests.services.desk import Desk

DESK = Actor(name="Anna", role="receptionist")


def _household(desk: Desk) -> tuple[int, int, int, list[str]]:
    sarah = desk.patient("Sarah", "Connolly", address="12 Harbour Road", postcode="HB1 2AQ")
    sean = desk.patient("Sean", "Connolly", address="12 Harbour Rd.", postcode="hb1 2aq")
    referral, notes = desk.refer(sarah, sean)
    return sarah, sean, referral, notes


def test_household_flag_holds_rewards_until_approved(services: Services, desk: Desk) -> None:
    sarah, sean, referral, notes = _household(desk)
    assert notes == [
        "Flagged for the owner's review: Sean Connolly and Sarah Connolly share a surname "
        "and an address (12 Harbour Road)."
    ]
    assert services.referrals.get(referral).status == "flagged"
    _visit, notes = desk.attend(sean)
    assert "Sarah's £20.00 credit is held until an owner reviews the flag" in notes[-1]
    row = services.referrals.get(referral)
    assert (row.status, row.held_status, row.open_flags) == ("flagged", "attended", 1)
    assert services.rewards.balance(sarah).available_minor == 0
    [flag] = services.fraud.queue()
    assert flag.rule == "household" and flag.held_rewards == "£10.00 credit + £20.00 credit"
    assert {"last_name", "address", "postcode"} <= set(flag.highlight)
    assert flag.referrer.name == "Sarah Connolly" and flag.referee.name == "Sean Connolly"  # type: ignore[union-attr]
    with pytest.raises(PermissionDeniedError):
        services.fraud.approve(DESK, flag.id)
    decision = services.fraud.approve(SOLE_OWNER, flag.id, "brother, genuine")
    assert decision.message.startswith("Approved. Sean can now use £10.00 credit.")
    assert services.rewards.balance(sarah).available_minor == 2000
    assert services.referrals.get(referral).status == "rewarded"
    assert services.fraud.queue() == []
    with pytest.raises(ConflictError, match=r"already approved by Owner on 25 Nov 2026"):
        services.fraud.reject(SOLE_OWNER, flag.id, "changed my mind")
    with services.ctx.db.read() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"flag.raise", "flag.approved", "reward.issue", "reward.available"} <= actions


def test_rejecting_takes_the_rewards_back_and_ends_the_referral(
    services: Services, desk: Desk
) -> None:
    sarah, sean, referral, _ = _household(desk)
    desk.attend(sean)
    [flag] = services.fraud.queue()
    with pytest.raises(InvalidInputError, match="reason is required"):
        services.fraud.reject(SOLE_OWNER, flag.id, " ")
    decision = services.fraud.reject(SOLE_OWNER, flag.id, "same person, two records")
    assert "Sarah's £20.00 credit was taken back." in decision.message
    assert services.referrals.get(referral).status == "rejected"
    statuses = {r.status for r in services.rewards.patient_rewards(sarah).rewards}
    assert statuses == {"cancelled"}
    assert ledger_matches_rewards(services)
    with pytest.raises(ConflictError, match="already rejected"):
        services.fraud.approve(SOLE_OWNER, flag.id)


def test_existed_before_flags_an_old_record(services: Services, desk: Desk, clock) -> None:  # type: ignore[no-untyped-def]
    sarah = desk.patient("Sarah", "Connolly")
    old = desk.patient("Tom", "Baker", created_at=clock.now() - timedelta(days=200))
    _referral, notes = desk.refer(sarah, old)
    assert "Tom Baker was already a patient: on file since 9 May 2026" in notes[0]
    [flag] = services.fraud.queue()
    assert flag.rule == "existed_before"


def test_a_flag_raised_after_rewards_were_issued_holds_what_is_left(
    services: Services, desk: Desk
) -> None:
    program = services.rewards.program().program
    services.rewards.save_program(SOLE_OWNER, replace(program, trigger=Trigger.BOOKED))
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker", phone="+447700900555")
    referral, notes = desk.refer(sarah, tom, status="booked")
    assert len(notes) == 2 and services.rewards.balance(sarah).available_minor == 2000
    services.rewards.redeem(DESK, sarah, 500)
    # Mary then names the same phone number as her friend: when Tom attends, it shows.
    mary = desk.patient("Mary", "Jones")
    desk.refer(mary, None, prospect_name="Tommy", prospect_phone="+447700900555")
    _visit, notes = desk.attend(tom)
    assert "Sarah's £20.00 credit is held for review." in notes
    balance = services.rewards.balance(sarah)
    assert (balance.available_minor, balance.on_hold_minor) == (0, 1500)
    flag = next(f for f in services.fraud.queue() if f.referral_id == referral)
    services.fraud.reject(SOLE_OWNER, flag.id, "Mary's friend, not Sarah's")
    views = services.rewards.patient_rewards(sarah)
    assert [line.entry_type for line in views.ledger] == ["issued", "redeemed", "reversed"]
    assert views.ledger[-1].amount == "−£15.00"
    assert ledger_matches_rewards(services)


def test_shared_contact_fires_across_referrers_and_not_for_the_same_one(
    services: Services, desk: Desk
) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    mary = desk.patient("Mary", "Jones")
    desk.refer(mary, None, prospect_name="Tom", prospect_phone="+447700900777")
    desk.refer(sarah, None, prospect_name="Tom B", prospect_phone="+447700900888")
    tom = desk.patient("Tom", "Baker", phone="+447700900777")
    _referral, notes = desk.refer(sarah, tom)
    assert len(notes) == 1 and "also came in under Mary Jones's code" in notes[0]
    [flag] = services.fraud.queue()
    assert flag.rule == "shared_contact" and "phone" in flag.highlight
    # Sarah naming the same friend twice is not fraud.
    uma = desk.patient("Uma", "Baker", phone="+447700900888")
    assert desk.refer(sarah, uma)[1] == []


def test_velocity_uses_the_clinic_setting(services: Services, desk: Desk) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    notes_seen = []
    for index in range(6):
        notes_seen.append(desk.refer(sarah, None, prospect_name=f"Friend {index}")[1])
    assert notes_seen[:5] == [[]] * 5
    assert "Sarah Connolly brought 6 referrals in 24 hours" in notes_seen[5][0]
    services.clinic.set_setting(SOLE_OWNER, "fraud.velocity_per_24h", "10")
    bea = desk.patient("Bea", "Smith")
    notes = [desk.refer(bea, None, prospect_name=f"F{i}")[1] for i in range(6)]
    assert notes == [[]] * 6


def _two_flags(desk: Desk, surname: str, phone: str) -> tuple[int, int]:
    referrer = desk.patient("Sarah", surname, address="12 Harbour Road")
    other = desk.patient("Mary", "Jones" + surname)
    desk.refer(other, None, prospect_name="Sean", prospect_phone=phone)
    friend = desk.patient("Sean", surname, phone=phone, address="12 Harbour Road")
    referral, notes = desk.refer(referrer, friend)
    assert len(notes) == 2
    return referral, friend


def test_approving_waits_for_every_flag_and_rejecting_closes_the_rest(
    services: Services, desk: Desk
) -> None:
    first_referral, _ = _two_flags(desk, "Connolly", "+447700900991")
    a, b = services.fraud.queue()
    decision = services.fraud.approve(SOLE_OWNER, a.id)
    assert "1 more flag(s) on this referral still to review" in decision.message
    assert services.referrals.get(first_referral).status == "flagged"
    services.fraud.approve(SOLE_OWNER, b.id)
    assert services.referrals.get(first_referral).status == "introduced"
    second_referral, _ = _two_flags(desk, "Murphy", "+447700900992")
    c, d = services.fraud.queue()
    decision = services.fraud.reject(SOLE_OWNER, c.id, "not genuine")
    assert decision.closed_flag_ids == (d.id,)
    assert services.referrals.get(second_referral).status == "rejected"
    assert services.fraud.get(d.id).decision_reason == f"closed with flag {c.id}"
    assert services.fraud.queue() == []


def test_fraud_facts_find_earlier_records_by_phone_email_or_name(desk: Desk) -> None:
    """Looking for an older record of the friend reads the phone, email and name indexes —
    never every patient created before them (a plan SQLite chose once an index on the
    creation time existed and one name index was gone: the whole table at each referral)."""
    anna = desk.patient("Anna", "Okafor")
    tom = desk.patient("Tom", "Baker", email="tom.baker@example.org", birth_year=1980)
    database = desk.services.ctx.db
    statements = statements_of(database, lambda: desk.refer(anna, tom), writes=True)
    assert any("birth_year" in sql for sql, _params in statements)
    assert_no_table_scans(
        database,
        statements,
        ("patient", "referral", "visit"),
        never=("USING INDEX ix_patient_live_created (created_at<?)",),
    )
