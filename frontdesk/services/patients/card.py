"""The patient card: what matters at the desk right now, gathered in one read.

Credit to redeem, an open welcome offer, the referral this visit would complete, an open
flag, and whether a forgotten referrer can still be attached.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from frontdesk.domain.clinic_time import calendar_text, clinic_day, day_text
from frontdesk.domain.money import format_money
from frontdesk.domain.phones import mask_phone
from frontdesk.domain.referral_link import booking_link
from frontdesk.services.patients.dto import PatientCard, ReferralLine
from frontdesk.services.patients.service import clinic_today, late_attach_deadline
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.records.patients import active_code, live_patient, patient_ref
from frontdesk.store.models import Clinic, FraudFlag, Patient, Referral, Reward, Visit

MAX_REFERRALS_SHOWN = 20
OPEN_REFERRAL = ("introduced", "booked")


def mask_email(email: str | None) -> str | None:
    """ "sarah.connolly@example.org" → "sarah.c…@example.org"."""
    if not email or "@" not in email:
        return email
    local, domain = email.rsplit("@", 1)
    return f"{local[:7]}…@{domain}" if len(local) > 7 else f"{local}@{domain}"


def _name(patient: Patient | None) -> str:
    return f"{patient.first_name} {patient.last_name}".strip() if patient else "someone"


class PatientCardService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def card(self, patient_id: int) -> PatientCard:
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            clinic = clinic_row(session)
            patient = live_patient(session, patient_id)
            code = active_code(session, patient.id)
            visits, first, last = session.execute(
                select(func.count(Visit.id), func.min(Visit.at), func.max(Visit.at)).where(
                    Visit.patient_id == patient.id, Visit.status == "attended"
                )
            ).one()
            start, end = clinic_day(now, clinic.timezone)
            referral_in = session.scalar(select(Referral).where(Referral.referee_id == patient.id))
            referred_by = (
                _line(session, referral_in, referral_in.referrer_id) if referral_in else None
            )
            completes = None
            if referral_in and referral_in.status in OPEN_REFERRAL and not visits:
                completes = (
                    f"This first visit completes {_name(_get(session, referral_in.referrer_id))}'s"
                    " referral."
                )
            can_attach, until, blocked = self._late_attach(session, patient, referral_in, now)
            return PatientCard(
                patient=patient_ref(patient, code),
                masked_phone=mask_phone(patient.phone_e164) if patient.phone_e164 else "no phone",
                masked_email=mask_email(patient.email),
                sms_status=_sms_status(patient),
                link=booking_link(clinic.booking_url, code),
                currency=clinic.currency,
                credit_minor=self._credit(session, patient.id, now),
                welcome_offer=self._welcome(session, patient.id, clinic, now),
                completes_referral=completes,
                referred_by=referred_by,
                referrals_made=self._made(session, patient.id),
                flag=self._flag(session, patient.id),
                visits=int(visits or 0),
                first_visit=first,
                last_visit=last,
                checked_in_today=last is not None and start <= last < end,
                birth_year=patient.birth_year,
                can_attach_referrer=can_attach,
                late_attach_until=until,
                late_attach_blocked=blocked,
            )

    def _credit(self, session: Session, patient_id: int, now: datetime) -> int:
        total = session.scalar(
            select(func.coalesce(func.sum(Reward.remaining_minor), 0)).where(
                Reward.patient_id == patient_id,
                Reward.status == "available",
                Reward.kind == "credit",
                Reward.usable_from <= now,
                or_(Reward.expires_at.is_(None), Reward.expires_at > now),
            )
        )
        return int(total or 0)

    def _welcome(
        self, session: Session, patient_id: int, clinic: Clinic, now: datetime
    ) -> str | None:
        currency, zone = clinic.currency, clinic.timezone
        reward = session.scalar(
            select(Reward)
            .where(
                Reward.patient_id == patient_id,
                Reward.role == "new_patient",
                Reward.status.in_(("available", "held", "pending_approval")),
            )
            .order_by(Reward.issued_at)
            .limit(1)
        )
        if reward is None:
            return None
        if reward.kind == "percent":
            what = f"{reward.percent}% off this visit"
        elif reward.kind == "item":
            what = reward.item_name or "a free item"
        else:
            what = f"{format_money(reward.remaining_minor, currency)} welcome credit"
        if reward.status == "held" and reward.usable_from > now:
            return f"{what} (usable from {day_text(reward.usable_from, zone)})"
        if reward.status == "pending_approval":
            return f"{what} (waiting for the owner's approval)"
        return what

    def _made(self, session: Session, patient_id: int) -> tuple[ReferralLine, ...]:
        rows = session.scalars(
            select(Referral)
            .where(Referral.referrer_id == patient_id)
            .order_by(Referral.created_at.desc())
            .limit(MAX_REFERRALS_SHOWN)
        ).all()
        return tuple(_line(session, row, row.referee_id) for row in rows)

    def _flag(self, session: Session, patient_id: int) -> str | None:
        return session.scalar(
            select(FraudFlag.explanation)
            .join(Referral, Referral.id == FraudFlag.referral_id)
            .where(
                FraudFlag.status == "open",
                or_(Referral.referee_id == patient_id, Referral.referrer_id == patient_id),
            )
            .order_by(FraudFlag.created_at)
            .limit(1)
        )

    def _late_attach(
        self, session: Session, patient: Patient, referral: Referral | None, now: datetime
    ) -> tuple[bool, object, str | None]:
        if referral is not None:
            return False, None, None
        until = late_attach_deadline(session, patient.id)
        if until is not None and clinic_today(session, now) > until:
            return (
                False,
                until,
                f"The window to attach a referrer closed on {calendar_text(until)}.",
            )
        return True, until, None


def _get(session: Session, patient_id: int | None) -> Patient | None:
    return session.get(Patient, patient_id) if patient_id else None


def _line(session: Session, referral: Referral, other_id: int | None) -> ReferralLine:
    other = _get(session, other_id)
    shown = (
        _name(other)
        if other
        else (referral.prospect_name or referral.professional_name or "a friend")
    )
    return ReferralLine(
        referral_id=referral.id,
        other=shown,
        status=referral.status,
        at=referral.created_at,
        other_id=other.id if other else None,
    )


def _sms_status(patient: Patient) -> str:
    if not patient.phone_e164:
        return "no mobile"
    if patient.phone_invalid:
        return "number invalid"
    if patient.opted_out_at is not None:
        return "opted out"
    return "SMS ✓" if patient.sms_consent else "no SMS consent"
