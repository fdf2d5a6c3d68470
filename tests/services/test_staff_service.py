"""Staff accounts, sign-in and the owner-only rules, through the services on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import (
    ConflictError,
    InvalidInputError,
    PermissionDeniedError,
)
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.services.staff.audit_log import AuditFilter
from frontdesk.services.staff.service import NO_MATCH, LockedOutError
from frontdesk.store.models import AuditEvent, Staff


def _audit_count(services: Services) -> int:
    with services.ctx.db.read() as session:
        return int(session.scalar(select(func.count(AuditEvent.id))) or 0)


@pytest.fixture
def team(services: Services) -> tuple[Actor, Actor]:
    owner = services.staff.add(SOLE_OWNER, "Sam Owner", "owner", "1234")
    desk = services.staff.add(owner, "Anna Desk", "receptionist", "5678")
    return owner, desk


def test_the_first_account_must_be_an_owner(services: Services) -> None:
    with pytest.raises(InvalidInputError, match="first staff account must be an owner"):
        services.staff.add(SOLE_OWNER, "Anna", "receptionist", "1234")
    assert not services.staff.has_accounts()


def test_sign_in_with_the_right_pin_acts_as_that_member(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    actor = services.staff.sign_in("Anna Desk", "5678")
    assert (actor.name, actor.role, actor.staff_id) == (
        "Anna Desk",
        "receptionist",
        team[1].staff_id,
    )


def test_unknown_name_and_wrong_pin_get_the_same_words_and_are_audited(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    with pytest.raises(PermissionDeniedError) as wrong_pin:
        services.staff.sign_in("Anna Desk", "0000")
    with pytest.raises(PermissionDeniedError) as unknown:
        services.staff.sign_in("Mallory", "0000")
    assert wrong_pin.value.message == unknown.value.message == NO_MATCH
    failed = services.audit.list(team[0], AuditFilter(kind="staff.sign_in_failed"))
    assert sorted(e.who for e in failed) == ["Anna Desk", "Mallory"]


def test_once_accounts_exist_nobody_acts_without_signing_in(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    with pytest.raises(InvalidInputError, match="--staff NAME"):
        services.staff.sign_in(None, None)


def test_lockout_grows_and_survives_a_restart(
    services: Services, team: tuple[Actor, Actor], clock: FixedClock
) -> None:
    for _ in range(3):
        with pytest.raises(PermissionDeniedError):
            services.staff.sign_in("Anna Desk", "0000")
    with pytest.raises(LockedOutError) as first:
        services.staff.sign_in("Anna Desk", "5678")  # even the right PIN waits
    assert first.value.seconds == 30
    assert "30 seconds" in first.value.message

    clock.advance(timedelta(seconds=31))
    with pytest.raises(PermissionDeniedError):
        services.staff.sign_in("Anna Desk", "0000")
    # A restart: new services over the same database remember the lock-out.
    restarted = build_services(services.ctx)
    with pytest.raises(LockedOutError) as second:
        restarted.staff.sign_in("Anna Desk", "5678")
    assert second.value.seconds == 60
    assert "1 minute" in second.value.message

    clock.advance(timedelta(seconds=61))
    assert restarted.staff.sign_in("Anna Desk", "5678").name == "Anna Desk"
    clock.advance(timedelta(seconds=1))
    with pytest.raises(PermissionDeniedError) as after_success:
        restarted.staff.sign_in("Anna Desk", "0000")  # the count started again
    assert not isinstance(after_success.value, LockedOutError)


def test_the_last_owner_can_be_neither_disabled_nor_demoted(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    owner, _ = team
    before = _audit_count(services)
    with pytest.raises(ConflictError, match="last owner"):
        services.staff.disable(owner, "Sam Owner")
    with pytest.raises(ConflictError, match="last owner"):
        services.staff.set_role(owner, "Sam Owner", "receptionist")
    sam = next(m for m in services.staff.list() if m.name == "Sam Owner")
    assert (sam.role, sam.active) == ("owner", True)
    assert _audit_count(services) == before
    services.staff.set_role(owner, "Anna Desk", "owner")
    assert services.staff.disable(owner, "Sam Owner").active is False


def test_a_disabled_member_cannot_sign_in_but_keeps_their_name_in_the_audit(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    owner, _ = team
    services.staff.disable(owner, "Anna Desk")
    with pytest.raises(PermissionDeniedError, match="do not match"):
        services.staff.sign_in("Anna Desk", "5678")
    assert "Anna Desk" in [m.name for m in services.staff.list()]
    services.staff.enable(owner, "Anna Desk")
    assert services.staff.sign_in("Anna Desk", "5678").role == "receptionist"


def test_rename_role_and_pin_changes_are_audited_with_before_and_after(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    owner, _ = team
    services.staff.rename(owner, "Anna Desk", "Anna Smith")
    services.staff.set_role(owner, "Anna Smith", "owner")
    services.staff.set_pin(owner, "Anna Smith", "9876")
    entries = {e.action: e for e in services.audit.list(owner, AuditFilter(kind="staff"))}
    assert entries["staff.rename"].before == '{"name": "Anna Desk"}'
    assert entries["staff.rename"].after == '{"name": "Anna Smith"}'
    assert entries["staff.role"].after == '{"role": "owner"}'
    assert "9876" not in (entries["staff.set_pin"].after or "")
    assert services.staff.sign_in("Anna Smith", "9876").is_owner


def test_a_receptionist_changes_only_their_own_pin(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    _, desk = team
    services.staff.set_pin(desk, "Anna Desk", "1111")
    assert services.staff.sign_in("Anna Desk", "1111").name == "Anna Desk"
    with pytest.raises(PermissionDeniedError, match="Only an owner"):
        services.staff.set_pin(desk, "Sam Owner", "2222")
    assert services.staff.sign_in("Sam Owner", "1234").is_owner


def test_an_owner_stepping_in_is_named_with_the_receptionist_who_asked(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    owner, desk = team
    with pytest.raises(PermissionDeniedError, match="not an owner"):
        services.staff.authorise_owner("Anna Desk", "5678", on_behalf_of=desk)
    stepping_in = services.staff.authorise_owner("Sam Owner", "1234", on_behalf_of=desk)
    services.clinic.set_setting(stepping_in, "referral.late_attach_days", "45")
    entry = services.audit.list(owner, AuditFilter(kind="setting"))[0]
    assert entry.who == "Sam Owner (for Anna Desk)"
    assert services.audit.list(owner, AuditFilter(staff="Anna Desk", kind="setting"))


def _owner_only_actions(tmp_path: Path) -> dict[str, Callable[[Services, Actor], Any]]:
    return {
        "change a setting": lambda s, a: s.clinic.set_setting(a, "referral.late_attach_days", "45"),
        "change the reward program": lambda s, a: s.rewards.set_program_field(a, "hold_days", "7"),
        "change a template": lambda s, a: s.templates.save(
            a, "referral_ask", "Hi {first_name}, share {code}"
        ),
        "export patients": lambda s, a: s.exports.export(a, "patients", tmp_path / "p.csv"),
        "add staff": lambda s, a: s.staff.add(a, "New Person", "receptionist", "4444"),
        "disable staff": lambda s, a: s.staff.disable(a, "Sam Owner"),
        "read the audit log": lambda s, a: s.audit.list(a),
    }


@pytest.mark.parametrize(
    "action",
    [
        "change a setting",
        "change the reward program",
        "change a template",
        "export patients",
        "add staff",
        "disable staff",
        "read the audit log",
    ],
)
def test_owner_only_actions_refuse_a_receptionist_and_change_nothing(
    services: Services, team: tuple[Actor, Actor], tmp_path: Path, action: str
) -> None:
    owner, desk = team
    run = _owner_only_actions(tmp_path)[action]
    before = _audit_count(services)
    settings_before = services.clinic.get_settings()
    with pytest.raises(PermissionDeniedError, match="Only an owner"):
        run(services, desk)
    assert _audit_count(services) == before
    assert services.clinic.get_settings() == settings_before
    assert not (tmp_path / "p.csv").exists()
    with services.ctx.db.read() as session:
        assert session.scalar(select(func.count(Staff.id)).where(Staff.active)) == 2
    if action != "disable staff":  # the owner is the last owner: refused for that reason
        run(services, owner)


def test_each_kind_of_change_is_audited_with_who_and_found_by_patient(
    services: Services, team: tuple[Actor, Actor]
) -> None:
    from frontdesk.services.patients.dto import NewPatientForm

    owner, desk = team
    sarah = services.patients.add(
        desk, NewPatientForm("Sarah", "Connolly", phone="07400 123456", sms_consent=True)
    ).patient.id
    tom = services.patients.add(
        desk, NewPatientForm("Tom", "Baker", phone="07400 123789"), referrer_id=sarah
    ).patient.id
    services.checkin.check_in(desk, tom, "Initial assessment")
    services.clinic.set_setting(owner, "referral.late_attach_days", "45")
    services.templates.save(owner, "referral_ask", "Hi {first_name}, share {code}")

    everything = services.audit.list(owner)
    kinds = {entry.action.split(".")[0] for entry in everything}
    assert {"patient", "referral", "visit", "reward", "setting", "template", "staff"} <= kinds
    assert {e.who for e in everything if e.action == "visit.check_in"} == {"Anna Desk"}

    about_tom = services.audit.list(owner, AuditFilter(patient_id=tom))
    assert {e.action for e in about_tom} >= {"patient.add", "referral.create", "visit.check_in"}
    assert all(e.entity in {"patient", "visit", "referral", "reward"} for e in about_tom)
    about_sarah = {e.action for e in services.audit.list(owner, AuditFilter(patient_id=sarah))}
    assert "reward.issue" in about_sarah and "visit.check_in" not in about_sarah
