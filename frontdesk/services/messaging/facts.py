"""The facts a text is rendered from — one path for queued texts and the editor's preview.

Each event passes what only it knows (the friend's name for a reward notice); everything
else comes from the database as it is at that moment: the patient's code and personal link,
both rewards of the program in force in the clinic's money, the usable credit and its expiry.
A value that does not exist (no booking page, no code) is simply absent, so the strict render
reports it instead of sending a gap.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.money import format_money
from frontdesk.domain.referral_link import booking_link
from frontdesk.domain.reward_program import RewardKind, RewardProgram
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.program import active_program
from frontdesk.store.models import Patient, ReferralCode, Reward

USABLE = "available"  # rewards.ledger.AVAILABLE: messaging sits below rewards, so named here


def clinic_values(session: Session, program: RewardProgram | None = None) -> dict[str, str]:
    """What any text may say, whoever it goes to (also a stranger who texted a poster)."""
    clinic = clinic_row(session)
    program = program or active_program(session).program
    values = {"clinic_name": clinic.name}
    if clinic.booking_url:
        values["booking_link"] = clinic.booking_url
    for key, spec in (
        ("referrer_reward", program.referrer),
        ("friend_reward", program.new_patient),
    ):
        if spec is not None:
            values[key] = spec.describe(program.currency)
    return values


def patient_values(session: Session, now: datetime, patient: Patient) -> dict[str, str]:
    """The clinic's values plus this patient's own: name, code, link, credit."""
    clinic = clinic_row(session)
    program = active_program(session).program
    values = clinic_values(session, program)
    if patient.first_name.strip():
        values["first_name"] = patient.first_name.strip()
    code = session.scalar(
        select(ReferralCode.code).where(
            ReferralCode.patient_id == patient.id, ReferralCode.active.is_(True)
        )
    )
    if code:
        values["code"] = code
        link = booking_link(clinic.booking_url, code)
        if link:
            values["link"] = link
    available, expiry = usable_credit(session, patient.id, now)
    values["balance"] = format_money(available, program.currency)
    values["credit_expiry"] = expiry_sentence(available, expiry, clinic.timezone)
    return values


def usable_credit(session: Session, patient_id: int, now: datetime) -> tuple[int, datetime | None]:
    """Credit the patient can spend now (minor units) and the earliest expiry among it."""
    total, first_expiry = session.execute(
        select(
            func.coalesce(func.sum(Reward.remaining_minor), 0), func.min(Reward.expires_at)
        ).where(
            Reward.patient_id == patient_id,
            Reward.kind == RewardKind.CREDIT,
            Reward.status == USABLE,
            Reward.remaining_minor > 0,
            Reward.usable_from <= now,
            or_(Reward.expires_at.is_(None), Reward.expires_at > now),
        )
    ).one()
    return int(total or 0), first_expiry


def expiry_sentence(available: int, expiry: datetime | None, timezone: str) -> str:
    if available <= 0:
        return "Nothing to spend yet."
    if expiry is None:
        return "It does not expire."
    return f"It expires on {day_text(expiry, timezone)}."
