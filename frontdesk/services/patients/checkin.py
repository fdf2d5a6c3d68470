"""Checking a patient in: an attended visit, and everything it sets in motion, in one go.

The visit is written, then every ``visit_attended`` handler (referral stage, rewards, ask
rules) runs in the same transaction and returns notes for the desk; if any of them fails,
nothing is written. A booked visit for today becomes the attended one, so the expected
list empties as people arrive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.clinic_time import clinic_day
from frontdesk.domain.errors import ConflictError, InvalidInputError, RuleRefusedError
from frontdesk.domain.money import format_money, max_visit_minor
from frontdesk.services.patients.dto import CheckinResult, CheckinUndone, TodayRow
from frontdesk.services.records import audit
from frontdesk.services.records.changes import written
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.effects import EffectHandlers, VisitAttended, VisitReversed
from frontdesk.services.records.patients import active_code, live_patient, patient_ref
from frontdesk.store.models import Patient, Referral, ReferralCode, Visit

# A second check-in of the same person this soon is a double press, not a second visit.
REPEAT_GUARD = timedelta(minutes=5)
# The desk can take back a check-in made by mistake while the patient is still there.
UNDO_WINDOW = timedelta(minutes=2)
TODAY_LIMIT = 300


class CheckinService:
    def __init__(self, ctx: ServiceContext, effects: EffectHandlers) -> None:
        self._ctx = ctx
        self._effects = effects

    def visit_types(self) -> list[str]:
        with self._ctx.db.read() as session:
            return list(setting_value(session, "visit_types"))

    def suggested_visit_type(self, patient_id: int) -> str:
        """Today's booking's type, else the first type for a first visit, else the second."""
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            known: list[str] = list(setting_value(session, "visit_types"))
            booked = _todays_booking(session, patient_id, now, clinic_row(session).timezone)
            if booked is not None and booked.visit_type in known:
                return booked.visit_type
            been = session.scalar(
                select(Visit.id)
                .where(Visit.patient_id == patient_id, Visit.status == "attended")
                .limit(1)
            )
            return known[1] if been is not None and len(known) > 1 else known[0]

    def check_in(
        self,
        actor: Actor,
        patient_id: int,
        visit_type: str,
        amount_minor: int | None = None,
        happy: bool = False,
        *,
        allow_repeat: bool = False,
    ) -> CheckinResult:
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            clinic = clinic_row(session)
            limit = max_visit_minor(clinic.currency)
            if amount_minor is not None and not 0 <= amount_minor < limit:
                top = format_money(limit - 1, clinic.currency)
                raise InvalidInputError(f"The amount paid must be between 0 and {top}.")
            kind = _visit_type(session, visit_type)
            patient = live_patient(session, patient_id)
            name = f"{patient.first_name} {patient.last_name}".strip()
            _refuse_double_press(session, patient, now, allow_repeat)
            first_attended = (
                session.scalar(
                    select(Visit.id)
                    .where(Visit.patient_id == patient.id, Visit.status == "attended")
                    .limit(1)
                )
                is None
            )
            visit = _todays_booking(session, patient.id, now, clinic.timezone)
            if visit is None:
                visit = Visit(patient_id=patient.id, created_at=now)
                session.add(visit)
            visit.visit_type = kind
            visit.status = "attended"
            visit.at = now
            visit.amount_minor = amount_minor
            visit.happy = happy
            visit.plan_complete = False
            visit.staff_id = actor.staff_id
            session.flush()
            audit.record(
                session,
                actor,
                "visit.check_in",
                "visit",
                visit.id,
                at=now,
                after={
                    "patient_id": patient.id,
                    "visit_type": kind,
                    "amount_minor": amount_minor,
                    "happy": happy,
                },
            )
            notes = [_headline(name, kind, amount_minor, clinic.currency, first_attended)]
            completes = _referral_completed(session, patient.id) if first_attended else None
            if completes:
                notes.append(completes)
            notes.extend(
                self._effects.visit_attended(
                    VisitAttended(
                        session=session,
                        now=now,
                        actor=actor,
                        patient_id=patient.id,
                        visit_id=visit.id,
                        visit_type=kind,
                        happy=happy,
                        first_attended=first_attended,
                    )
                )
            )
            return CheckinResult(
                visit_id=visit.id,
                patient=patient_ref(patient, active_code(session, patient.id)),
                visit_type=kind,
                at=now,
                amount_minor=amount_minor,
                currency=clinic.currency,
                happy=happy,
                first_attended=first_attended,
                notes=tuple(notes),
                changes=written(session),
            )

    def undo(self, actor: Actor, visit_id: int) -> CheckinUndone:
        """Take back a check-in made moments ago (wrong patient, double entry)."""
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            visit = session.get(Visit, visit_id)
            if visit is None or visit.status != "attended":
                raise ConflictError("That check-in is already undone.")
            if now - visit.at > UNDO_WINDOW:
                raise RuleRefusedError(
                    "It's too late to undo that check-in at the desk; ask the owner to "
                    "reverse the visit."
                )
            patient = session.get_one(Patient, visit.patient_id)
            visit.status = "cancelled"
            audit.record(
                session,
                actor,
                "visit.undo",
                "visit",
                visit.id,
                at=now,
                before={"status": "attended"},
                after={"status": "cancelled"},
                reason="undone at the desk",
            )
            notes = [f"{patient.first_name}'s check-in is undone."]
            notes.extend(
                self._effects.visit_reversed(
                    VisitReversed(
                        session=session,
                        now=now,
                        actor=actor,
                        patient_id=patient.id,
                        visit_id=visit.id,
                        reason="check-in undone at the desk",
                    )
                )
            )
            return CheckinUndone(tuple(notes), written(session))

    def today(self) -> list[TodayRow]:
        """Today's list: who is checked in, who is expected, who is new today."""
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            start, end = clinic_day(now, clinic_row(session).timezone)
            rows = session.execute(
                select(Visit, Patient, ReferralCode.code)
                .join(Patient, Patient.id == Visit.patient_id)
                .outerjoin(
                    ReferralCode,
                    (ReferralCode.patient_id == Patient.id) & ReferralCode.active,
                )
                .where(
                    Visit.at >= start,
                    Visit.at < end,
                    Visit.status.in_(("attended", "booked")),
                    Patient.erased_at.is_(None),
                )
                .order_by(Visit.at)
                .limit(TODAY_LIMIT)
            ).all()
            seen: set[int] = set()
            result: list[TodayRow] = []
            for visit, patient, code in rows:
                seen.add(patient.id)
                result.append(
                    TodayRow(
                        patient=patient_ref(patient, code),
                        state="checked_in" if visit.status == "attended" else "expected",
                        at=visit.at,
                        visit_type=visit.visit_type,
                        visit_id=visit.id,
                    )
                )
            new_today = session.execute(
                select(Patient, ReferralCode.code)
                .outerjoin(
                    ReferralCode,
                    (ReferralCode.patient_id == Patient.id) & ReferralCode.active,
                )
                .where(
                    Patient.created_at >= start,
                    Patient.created_at < end,
                    Patient.erased_at.is_(None),
                )
                .order_by(Patient.created_at)
                .limit(TODAY_LIMIT)
            ).all()
            for patient, code in new_today:
                if patient.id not in seen:
                    result.append(
                        TodayRow(
                            patient=patient_ref(patient, code),
                            state="new",
                            at=patient.created_at,
                            visit_type=None,
                            visit_id=None,
                        )
                    )
        order = {"expected": 0, "new": 1, "checked_in": 2}
        result.sort(key=lambda row: (order[row.state], row.at))
        return result


def _visit_type(session: Session, raw: str) -> str:
    known: list[str] = list(setting_value(session, "visit_types"))
    typed = " ".join(raw.split())
    if not typed:
        raise InvalidInputError(f"Please choose a visit type: {', '.join(known)}.")
    for kind in known:
        if kind.casefold() == typed.casefold():
            return kind
    matches = [kind for kind in known if kind.casefold().startswith(typed.casefold())]
    if len(matches) == 1:
        return matches[0]
    raise InvalidInputError(
        f"“{typed[:40]}” is not one of this clinic's visit types: {', '.join(known)}."
    )


def _refuse_double_press(session: Session, patient: Patient, now: datetime, allow: bool) -> None:
    if allow:
        return
    recent = session.scalar(
        select(Visit.at)
        .where(
            Visit.patient_id == patient.id,
            Visit.status == "attended",
            Visit.at > now - REPEAT_GUARD,
        )
        .order_by(Visit.at.desc())
        .limit(1)
    )
    if recent is not None:
        minutes = max(int((now - recent).total_seconds() // 60), 0)
        ago = "just now" if minutes == 0 else f"{minutes} min ago"
        raise ConflictError(f"{patient.first_name} was already checked in {ago}.")


def _todays_booking(session: Session, patient_id: int, now: datetime, tz: str) -> Visit | None:
    start, end = clinic_day(now, tz)
    return session.scalar(
        select(Visit)
        .where(
            Visit.patient_id == patient_id,
            Visit.status == "booked",
            Visit.at >= start,
            Visit.at < end,
        )
        .order_by(Visit.at)
        .limit(1)
    )


def _referral_completed(session: Session, patient_id: int) -> str | None:
    referral = session.scalar(select(Referral).where(Referral.referee_id == patient_id))
    if referral is None or referral.referrer_id is None:
        return None
    if referral.status not in ("introduced", "booked", "attended"):
        return None
    referrer = session.get_one(Patient, referral.referrer_id)
    return (
        f"First visit: {referrer.first_name} {referrer.last_name}'s referral is complete."
    ).replace("  ", " ")


def _headline(name: str, kind: str, amount: int | None, currency: str, first_attended: bool) -> str:
    paid = f", {format_money(amount, currency)} paid" if amount else ""
    first = " — first visit" if first_attended else ""
    return f"{name} is checked in: {kind}{paid}{first}."
