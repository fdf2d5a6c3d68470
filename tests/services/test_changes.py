"""A write's result says what it changed, so the desk refreshes exactly that (and flags)."""

from __future__ import annotations

from dataclasses import replace

from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.reward_program import Trigger
from frontdesk.services.bundle import Services
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER
from tests.services.desk import Desk

P, R, W, F, M, S = (
    Topic.PATIENTS,
    Topic.REFERRALS,
    Topic.REWARDS,
    Topic.FLAGS,
    Topic.MESSAGES,
    Topic.SETTINGS,
)


def _shared_phone_flag_at_check_in(desk: Desk) -> tuple[int, int]:
    """Sarah refers Tom; Mary names Tom's phone for her friend: Tom's visit raises a flag."""
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker", phone="+447700900555")
    desk.refer(sarah, tom, status="booked")
    mary = desk.patient("Mary", "Jones")
    desk.refer(mary, None, prospect_name="Tommy", prospect_phone="+447700900555")
    return sarah, tom


def test_a_plain_check_in_changes_patients_only(services: Services, desk: Desk) -> None:
    tom = desk.patient("Tom", "Baker")
    result = services.checkin.check_in(SOLE_OWNER, tom, "Initial assessment")
    assert result.changes == Changes.of(P)
    undone = services.checkin.undo(SOLE_OWNER, result.visit_id)
    assert P in undone.changes and F not in undone.changes


def test_a_check_in_that_raises_a_flag_says_so(services: Services, desk: Desk) -> None:
    _sarah, tom = _shared_phone_flag_at_check_in(desk)
    flags_before = len(services.fraud.queue())
    result = services.checkin.check_in(SOLE_OWNER, tom, "Initial assessment")
    assert len(services.fraud.queue()) == flags_before + 1
    assert {P, R, W, F} <= result.changes.topics
    assert S not in result.changes


def test_a_new_patient_with_a_referrer_changes_patients_and_referrals(
    services: Services, desk: Desk
) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    added = services.patients.add(
        SOLE_OWNER, NewPatientForm("Lily", "Evans", phone="07400 765432"), referrer_id=sarah
    )
    assert added.referral_id is not None
    assert {P, R} <= added.changes.topics
    assert F not in added.changes and W not in added.changes
    alone = services.patients.add(SOLE_OWNER, NewPatientForm("Ann", "Lee", phone="07400 765433"))
    assert R not in alone.changes and P in alone.changes


def test_redeeming_changes_rewards(services: Services, desk: Desk) -> None:
    program = services.rewards.program().program
    services.rewards.save_program(SOLE_OWNER, replace(program, trigger=Trigger.BOOKED))
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    desk.refer(sarah, tom, status="booked")
    assert services.rewards.balance(sarah).available_minor > 0
    redeemed = services.rewards.redeem(SOLE_OWNER, sarah, 500)
    assert redeemed.changes == Changes.of(W)


def test_deciding_a_flag_changes_flags_referrals_and_rewards(
    services: Services, desk: Desk
) -> None:
    _sarah, tom = _shared_phone_flag_at_check_in(desk)
    services.checkin.check_in(SOLE_OWNER, tom, "Initial assessment")
    first, second = services.fraud.queue()[-2:]
    approved = services.fraud.approve(SOLE_OWNER, second.id, "genuine")
    assert F in approved.changes
    rejected = services.fraud.reject(SOLE_OWNER, first.id, "not genuine")
    assert {F, R} <= rejected.changes.topics
    assert P not in rejected.changes and M not in rejected.changes


def test_saving_settings_changes_settings(services: Services) -> None:
    saved = services.clinic.save_settings(SOLE_OWNER, {"sms.quiet_start": "21:30"})
    assert saved.values == {"sms.quiet_start": "21:30"}
    assert saved.changes == Changes.of(S)


def test_each_write_reports_only_its_own_changes(services: Services, desk: Desk) -> None:
    """Topics do not leak from one unit of work into the next."""
    tom = desk.patient("Tom", "Baker")
    services.checkin.check_in(SOLE_OWNER, tom, "Initial assessment")
    saved = services.clinic.save_settings(SOLE_OWNER, {"sms.quiet_start": "21:00"})
    assert saved.changes == Changes.of(S)


def test_saving_the_reward_program_changes_settings_and_rewards(services: Services) -> None:
    program = services.rewards.program().program
    view = services.rewards.save_program(SOLE_OWNER, replace(program, trigger=Trigger.BOOKED))
    assert view.changes == Changes.of(S, W)
