"""Checking in, the patient card, today's list and the late attach of a referrer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    RuleRefusedError,
    SelfReferralError,
)
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.store.engine import Database
from frontdesk.store.models import AuditEvent, FraudFlag, Referral, ReferralEvent, Reward, Visit
from tests.query_plans import assert_no_table_scans, statements_of
from tests.services.checkin_helpers import Recorder, add, desk_services

ANNA = Actor(name="Anna", role="receptionist")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def desk(database: Database, clock: FixedClock, recorder: Recorder) -> Services:
    return desk_services(database, clock, recorder)


def visits(services: Services) -> int:
    with services.ctx.db.read() as s:
        return s.scalar(select(func.count(Visit.id))) or 0


def test_check_in_writes_an_attended_visit_and_fires_the_event_in_the_same_transaction(
    desk: Services, recorder: Recorder, clock: FixedClock
) -> None:
    tom = add(desk, "Tom", "Baker", "07400 123789")
    result = desk.checkin.check_in(ANNA, tom.patient.id, "follow-up", 5500, happy=True)
    assert result.visit_type == "Follow-up"
    assert result.first_attended is True
    assert result.at == clock.now()
    assert result.notes[0] == "Tom Baker is checked in: Follow-up, £55.00 paid — first visit."
    assert f"handler saw visit {result.visit_id}" in result.notes
    assert recorder.visit_rows_seen == ["attended"]  # the handler saw the row, uncommitted
    event = recorder.visits[0]
    assert (event.patient_id, event.visit_id, event.happy, event.first_attended) == (
        tom.patient.id,
        result.visit_id,
        True,
        True,
    )
    assert event.actor == ANNA
    with desk.ctx.db.read() as s:
        visit = s.get_one(Visit, result.visit_id)
        assert (visit.status, visit.amount_minor, visit.happy) == ("attended", 5500, True)
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.entity == "visit")) == (
            "visit.check_in"
        )


def test_the_second_visit_is_not_a_first_and_a_double_press_is_refused(
    desk: Services, recorder: Recorder, clock: FixedClock
) -> None:
    tom = add(desk, "Tom", "Baker", "07400 123789")
    desk.checkin.check_in(ANNA, tom.patient.id, "Initial assessment")
    clock.advance(timedelta(minutes=2))
    with pytest.raises(ConflictError, match="Tom was already checked in 2 min ago"):
        desk.checkin.check_in(ANNA, tom.patient.id, "Follow-up")
    assert visits(desk) == 1
    clock.advance(timedelta(days=7))
    again = desk.checkin.check_in(ANNA, tom.patient.id, "Follow-up")
    assert again.first_attended is False
    assert [e.first_attended for e in recorder.visits] == [True, False]


def test_a_check_in_can_be_undone_moments_later_and_says_so_to_the_handlers(
    desk: Services, recorder: Recorder, clock: FixedClock
) -> None:
    tom = add(desk, "Tom", "Baker", "07400 123789")
    first = desk.checkin.check_in(ANNA, tom.patient.id, "Initial assessment")
    clock.advance(timedelta(seconds=50))
    notes = desk.checkin.undo(ANNA, first.visit_id).notes
    assert notes == ("Tom's check-in is undone.", "handler saw the reversal")
    assert [(e.visit_id, e.reason) for e in recorder.reversals] == [
        (first.visit_id, "check-in undone at the desk")
    ]
    with pytest.raises(ConflictError, match="already undone"):
        desk.checkin.undo(ANNA, first.visit_id)
    again = desk.checkin.check_in(ANNA, tom.patient.id, "Initial assessment")
    assert again.first_attended is True  # the undone visit does not count
    clock.advance(timedelta(minutes=3))
    with pytest.raises(RuleRefusedError, match="too late to undo"):
        desk.checkin.undo(ANNA, again.visit_id)
    with desk.ctx.db.read() as s:
        assert s.get_one(Visit, again.visit_id).status == "attended"


def test_a_booking_for_today_becomes_the_attended_visit(desk: Services, clock: FixedClock) -> None:
    tom = add(desk, "Tom", "Baker", "07400 123789")
    with desk.ctx.db.begin() as s:
        booked = Visit(
            patient_id=tom.patient.id,
            visit_type="Sports massage",
            status="booked",
            at=clock.now() + timedelta(hours=2),
            created_at=clock.now() - timedelta(days=3),
        )
        s.add(booked)
        s.flush()
        booked_id = booked.id
    today = desk.checkin.today()
    assert [(row.patient.id, row.state) for row in today] == [(tom.patient.id, "expected")]
    result = desk.checkin.check_in(ANNA, tom.patient.id, "Sports massage")
    assert result.visit_id == booked_id
    assert visits(desk) == 1
    assert [row.state for row in desk.checkin.today()] == ["checked_in"]


def test_todays_list_is_read_through_indexes(desk: Services) -> None:
    """A busy clinic's history must not be read to list today (it once scanned patients)."""
    add(desk, "Tom", "Baker", "07400 123789")
    statements = statements_of(desk.ctx.db, desk.checkin.today)
    assert len(statements) >= 2
    assert_no_table_scans(desk.ctx.db, statements, ("patient", "visit", "referral_code"))


def test_todays_list_shows_new_patients_and_ignores_yesterday(
    desk: Services, clock: FixedClock
) -> None:
    clock.advance(timedelta(days=-1))
    old = add(desk, "Old", "Friend", "07400 123111")
    desk.checkin.check_in(ANNA, old.patient.id, "Follow-up")
    clock.advance(timedelta(days=1))
    new = add(desk, "New", "Face", "07400 123222")
    assert [(r.patient.id, r.state) for r in desk.checkin.today()] == [(new.patient.id, "new")]


BAD_CHECK_INS = [
    ("", None, "Please choose a visit type"),
    ("Botox", None, "“Botox” is not one of this clinic's visit types"),
    ("'; DROP TABLE visit;--", None, "is not one of this clinic's visit types"),
    ("Follow-up", -1, "between 0 and £9,999.99"),
    ("Follow-up", 10_000_00, "between 0 and £9,999.99"),
]


def test_bad_check_in_input_is_refused_and_writes_nothing(
    desk: Services, recorder: Recorder
) -> None:
    tom = add(desk, "Tom", "Baker", "07400 123789")
    for visit_type, amount, message in BAD_CHECK_INS:
        with pytest.raises(InvalidInputError, match=message):
            desk.checkin.check_in(ANNA, tom.patient.id, visit_type, amount)
        assert visits(desk) == 0 and recorder.visits == []


def test_checking_in_nobody_is_a_clear_error(desk: Services) -> None:
    with pytest.raises(NotFoundError, match="not on file"):
        desk.checkin.check_in(ANNA, 987654, "Follow-up")


def test_the_first_visit_of_a_referred_patient_says_it_completes_the_referral(
    desk: Services,
) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456")
    tom = add(desk, "Tom", "Baker", "07400 123789", referred_by=sarah.patient.code)
    card = desk.cards.card(tom.patient.id)
    assert card.completes_referral == "This first visit completes Sarah Connolly's referral."
    assert card.referred_by is not None and card.referred_by.other == "Sarah Connolly"
    result = desk.checkin.check_in(ANNA, tom.patient.id, "Initial assessment")
    assert "First visit: Sarah Connolly's referral is complete." in result.notes
    assert desk.cards.card(tom.patient.id).completes_referral is None


def test_the_card_shows_credit_offer_and_flag(desk: Services, clock: FixedClock) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456", "sarah.connolly@example.org")
    tom = add(desk, "Tom", "Baker", "07400 123789", referred_by=sarah.patient.code)
    now = clock.now()
    with desk.ctx.db.begin() as s:
        referral_id = s.scalar(select(Referral.id))

        def reward(patient_id: int, role: str, **kw: object) -> Reward:
            base: dict[str, object] = {
                "referral_id": referral_id,
                "patient_id": patient_id,
                "role": role,
                "kind": "credit",
                "currency": "GBP",
                "amount_minor": 2000,
                "remaining_minor": 2000,
                "status": "available",
                "issued_at": now - timedelta(days=10),
                "usable_from": now - timedelta(days=3),
            }
            base.update(kw)
            return Reward(**base)  # type: ignore[arg-type]

        s.add(reward(sarah.patient.id, "referrer", remaining_minor=1500))
        s.add(
            reward(
                sarah.patient.id, "bonus", referral_id=None, amount_minor=500, remaining_minor=500
            )
        )
        s.add(
            reward(
                sarah.patient.id, "bonus", referral_id=None, status="redeemed", remaining_minor=0
            )
        )
        s.add(
            reward(
                sarah.patient.id,
                "bonus",
                referral_id=None,
                usable_from=now + timedelta(days=4),
                status="held",
            )
        )
        s.add(
            reward(
                tom.patient.id,
                "new_patient",
                kind="percent",
                percent=20,
                amount_minor=0,
                remaining_minor=0,
            )
        )
        s.add(
            FraudFlag(
                referral_id=referral_id,
                rule="household",
                explanation="Tom and Sarah share an address.",
                created_at=now,
            )
        )
    card = desk.cards.card(sarah.patient.id)
    assert card.credit_minor == 2000  # 15.00 + 5.00; redeemed and held rewards do not count
    assert card.flag == "Tom and Sarah share an address."
    assert card.masked_email == "sarah.c…@example.org"
    assert card.masked_phone == "+44 ••• ••• •456"
    assert card.link == f"https://harbourphysio.example/book?ref={sarah.patient.code}"
    assert [(r.other, r.status) for r in card.referrals_made] == [("Tom Baker", "introduced")]
    assert desk.cards.card(tom.patient.id).welcome_offer == "20% off this visit"


# -- late attach ------------------------------------------------------------------------


def test_a_forgotten_referrer_is_attached_within_the_window(
    desk: Services, clock: FixedClock, recorder: Recorder
) -> None:
    # Sarah was a patient first; Tom came 30 days ago without giving her code.
    sarah = add(desk, "Sarah", "Connolly", "07400 123456")
    clock.advance(timedelta(days=1))
    tom = add(desk, "Tom", "Baker", "07400 123789")
    first = desk.checkin.check_in(ANNA, tom.patient.id, "Initial assessment")
    clock.advance(timedelta(days=30))
    assert desk.cards.card(tom.patient.id).can_attach_referrer
    attached = desk.patients.attach_referrer(
        ANNA, referee="07400 123789", referrer=sarah.patient.code, reason="Forgot the code"
    )
    # Tom's first visit already happened, so the referral is attended and rewarded at once.
    assert attached.status == "rewarded"
    assert attached.referrer.id == sarah.patient.id
    # Extra handlers run after the reward handlers, which already moved it on.
    assert recorder.referral_rows_seen == ["rewarded"]
    with desk.ctx.db.read() as s:
        referral = s.get_one(Referral, attached.referral_id)
        assert referral.first_visit_id == first.visit_id
        assert referral.late_attach_reason == "Forgot the code"
        event = s.scalars(select(ReferralEvent).where(ReferralEvent.from_status.is_(None))).one()
        assert event.reason == "late attach: Forgot the code"
        assert (
            s.scalar(select(AuditEvent.reason).where(AuditEvent.action == "referral.late_attach"))
            == "late attach: Forgot the code"
        )
    card = desk.cards.card(tom.patient.id)
    assert not card.can_attach_referrer and card.referred_by is not None


def test_the_window_closes_after_the_setting_and_the_setting_is_honoured(
    desk: Services, clock: FixedClock
) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456")
    clock.advance(timedelta(days=1))
    tom = add(desk, "Tom", "Baker", "07400 123789")
    desk.checkin.check_in(ANNA, tom.patient.id, "Initial assessment")
    clock.advance(timedelta(days=31))
    card = desk.cards.card(tom.patient.id)
    assert not card.can_attach_referrer
    assert card.late_attach_blocked and "closed on" in card.late_attach_blocked
    with pytest.raises(RuleRefusedError, match=r"closed on .* \(30 days after Tom's first"):
        desk.patients.attach_referrer(
            SOLE_OWNER, referee_id=tom.patient.id, referrer_id=sarah.patient.id, reason="Late"
        )
    desk.clinic.set_setting(SOLE_OWNER, "referral.late_attach_days", "45")
    attached = desk.patients.attach_referrer(
        ANNA, referee_id=tom.patient.id, referrer_id=sarah.patient.id, reason="Late"
    )
    assert attached.status == "rewarded"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"reason": None}, InvalidInputError, "Please write why"),
        ({"reason": "   "}, InvalidInputError, "Please write why"),
        ({"reason": "!!!"}, InvalidInputError, "in words"),
        ({"reason": "x" * 501}, InvalidInputError, "under 500"),
    ],
)
def test_a_receptionist_must_give_a_reason(
    desk: Services, clock: FixedClock, kwargs: dict, error: type, message: str
) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456")
    clock.advance(timedelta(days=1))
    tom = add(desk, "Tom", "Baker", "07400 123789")
    with pytest.raises(error, match=message):
        desk.patients.attach_referrer(
            ANNA, referee_id=tom.patient.id, referrer_id=sarah.patient.id, **kwargs
        )


def test_late_attach_refuses_the_impossible(desk: Services, clock: FixedClock) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456", "sarah@example.org")
    clock.advance(timedelta(days=1))
    tom = add(desk, "Tom", "Baker", "07400 123789", referred_by=sarah.patient.code)
    ann = add(desk, "Ann", "Baker", "07400 123000", "SARAH@example.org".replace("SARAH", "ann"))
    with pytest.raises(RuleRefusedError, match="already has a referral"):
        desk.patients.attach_referrer(
            ANNA, referee_id=tom.patient.id, referrer_id=ann.patient.id, reason="x y"
        )
    with pytest.raises(RuleRefusedError, match="own referrer"):
        desk.patients.attach_referrer(
            ANNA, referee_id=ann.patient.id, referrer_id=ann.patient.id, reason="x y"
        )
    with pytest.raises(RuleRefusedError, match="became a patient after Sarah"):
        desk.patients.attach_referrer(
            ANNA, referee_id=sarah.patient.id, referrer_id=ann.patient.id, reason="x y"
        )


def test_late_attach_applies_the_self_referral_rule(desk: Services, clock: FixedClock) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456", "sarah@example.org")
    clock.advance(timedelta(days=1))
    twin = add(desk, "Sara", "Connolly", "07400 123999", "sara@example.org")
    with desk.ctx.db.begin() as s:  # the two records later turn out to share an email
        from frontdesk.store.models import Patient

        s.get_one(Patient, twin.patient.id).email_norm = "sarah@example.org"
    with pytest.raises(SelfReferralError, match="same email as Sarah Connolly"):
        desk.patients.attach_referrer(
            ANNA, referee_id=twin.patient.id, referrer_id=sarah.patient.id, reason="x y"
        )
