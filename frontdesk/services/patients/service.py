"""New patients (with the friend who sent them) and the late attach of a forgotten referrer.

A new patient and their referral are written in one transaction: either both exist or
neither does. Two checks guard the referral program at this moment:
- self-referral: the new patient's phone or email is the referrer's (refused; an owner may
  let it through with a written reason, which is audited);
- known person: the phone or email is already on file, so this is a returning person and
  earns no referral reward (refused, naming the existing record).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from frontdesk.domain.clinic_time import calendar_text
from frontdesk.domain.errors import InvalidInputError, KnownPersonError, RuleRefusedError
from frontdesk.domain.person_fields import clean_email, clean_person_name, clean_reason
from frontdesk.domain.phones import mask_phone, parse_phone
from frontdesk.domain.referral_code import looks_like_code, normalize_code
from frontdesk.services.lookup.resolve import resolve_patient
from frontdesk.services.patients.dto import AddedPatient, AttachedReferral, NewPatientForm
from frontdesk.services.records import audit
from frontdesk.services.records.changes import written
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.effects import EffectHandlers
from frontdesk.services.records.patients import (
    NewPatient,
    active_code,
    add_patient,
    live_patient,
    patient_ref,
)
from frontdesk.services.referrals.links import (
    Contact,
    check_self_referral,
    existing_referral,
    write_referral,
)
from frontdesk.services.referrals.poster_claim import claim_poster_introduction
from frontdesk.store.models import ConsentEvent, Patient, Visit

OLDEST_BIRTH_YEAR = 1900


class PatientService:
    def __init__(
        self, ctx: ServiceContext, effects: EffectHandlers, rng: random.Random | None = None
    ) -> None:
        self._ctx = ctx
        self._effects = effects
        self._rng = rng or random.SystemRandom()

    # -- new patient ------------------------------------------------------------------------
    def add(
        self,
        actor: Actor,
        form: NewPatientForm,
        *,
        referrer_id: int | None = None,
        referred_by: str | None = None,
        override_reason: str | None = None,
    ) -> AddedPatient:
        """Save a new patient, and the referral when a referrer is given, in one go."""
        name = clean_person_name(form.first_name, form.last_name)
        email = clean_email(form.email)
        reason = clean_reason(override_reason, "override reason")
        now = self._ctx.clock.now()
        if form.birth_year is not None and not (OLDEST_BIRTH_YEAR <= form.birth_year <= now.year):
            raise InvalidInputError(f"{form.birth_year} is not a year of birth.")
        with self._ctx.db.begin() as session:
            clinic = clinic_row(session)
            phone = (
                parse_phone(form.phone, clinic.country)
                if form.phone and form.phone.strip()
                else None
            )
            if phone is None and email is None:
                raise InvalidInputError(
                    "Please give a mobile number or an email, so we can reach the patient "
                    "and tell them apart."
                )
            contact = Contact(phone_e164=phone, email_norm=email)
            _lock_contact(session, contact)
            referrer = None
            if referrer_id is not None:
                referrer = live_patient(session, referrer_id)
            elif referred_by and referred_by.strip():
                referrer = resolve_patient(session, referred_by, clinic.country)
            overridden = False
            if referrer is not None:
                overridden = check_self_referral(actor, contact, name.full, referrer, reason)
            _refuse_known_person(session, contact, name.full, referrer if overridden else None)
            patient, code = add_patient(
                session,
                NewPatient(
                    first_name=name.first,
                    last_name=name.last,
                    phone_e164=phone,
                    email=email,
                    email_norm=email,
                    sms_consent=form.sms_consent,
                    birth_year=form.birth_year,
                    source_kind="patient" if referrer else "walk_in",
                ),
                now,
                self._rng,
            )
            if form.sms_consent:
                session.add(
                    ConsentEvent(
                        patient_id=patient.id,
                        kind="granted",
                        channel="desk",
                        at=now,
                        staff_id=actor.staff_id,
                    )
                )
            audit.record(
                session,
                actor,
                "patient.add",
                "patient",
                patient.id,
                at=now,
                after={
                    "name": name.full,
                    "phone": mask_phone(phone) if phone else None,
                    "email": bool(email),
                    "sms_consent": form.sms_consent,
                    "code": code,
                },
            )
            notes: list[str] = [f"{name.full} is saved. Their code is {code}."]
            referral_id = referral_status = None
            if referrer is not None:
                referral, handler_notes = write_referral(
                    session,
                    self._effects,
                    actor,
                    now,
                    referrer=referrer,
                    referee=patient,
                    code_used=_code_if_typed(referred_by),
                    override_reason=reason if overridden else None,
                    late_reason=None,
                    referee_is_new=True,
                )
                referral_id, referral_status = referral.id, referral.status
                notes.append(f"Referred by {referrer.first_name} {referrer.last_name}.".strip())
                notes.extend(handler_notes)
            else:
                claimed = claim_poster_introduction(session, patient, actor, now)
                notes.extend([claimed] if claimed else [])
            return AddedPatient(
                patient=patient_ref(patient, code),
                referral_id=referral_id,
                referrer=patient_ref(referrer, active_code(session, referrer.id))
                if referrer
                else None,
                notes=tuple(notes),
                overridden=overridden,
                referral_status=referral_status,
                changes=written(session),
            )

    # -- late attach ------------------------------------------------------------------------
    def attach_referrer(
        self,
        actor: Actor,
        *,
        referee_id: int | None = None,
        referee: str | None = None,
        referrer_id: int | None = None,
        referrer: str | None = None,
        reason: str | None,
        override_reason: str | None = None,
    ) -> AttachedReferral:
        """ "My friend forgot to give my code": attach a referrer after the first visit."""
        why = clean_reason(reason)
        override = clean_reason(override_reason, "override reason")
        if why is None and not actor.is_owner:
            raise InvalidInputError("Please write why the referrer is attached late.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            region = clinic_row(session).country
            new = _pick(session, referee_id, referee, region, "the new patient")
            old = _pick(session, referrer_id, referrer, region, "the referrer")
            if new.id == old.id:
                raise RuleRefusedError("A patient can't be their own referrer.")
            new_name = f"{new.first_name} {new.last_name}".strip()
            earlier = existing_referral(session, new.id)
            if earlier is not None:
                raise RuleRefusedError(
                    f"{new_name} already has a referral on file (status {earlier.status}); "
                    "a patient is referred only once."
                )
            if old.created_at > new.created_at:
                raise RuleRefusedError(
                    f"{old.first_name} became a patient after {new.first_name}, so they "
                    f"can't have referred {new.first_name}."
                )
            deadline = late_attach_deadline(session, new.id)
            if deadline is not None and clinic_today(session, now) > deadline:
                raise RuleRefusedError(
                    f"The window to attach a referrer closed on {calendar_text(deadline)} "
                    f"({int(setting_value(session, 'referral.late_attach_days'))} days after "
                    f"{new.first_name}'s first visit)."
                )
            contact = Contact(phone_e164=new.phone_e164, email_norm=new.email_norm)
            overridden = check_self_referral(actor, contact, new_name, old, override)
            referral, notes = write_referral(
                session,
                self._effects,
                actor,
                now,
                referrer=old,
                referee=new,
                code_used=None,
                override_reason=override if overridden else None,
                late_reason=why or "attached by an owner",
            )
            return AttachedReferral(
                referral_id=referral.id,
                referee=patient_ref(new, active_code(session, new.id)),
                referrer=patient_ref(old, active_code(session, old.id)),
                status=referral.status,
                notes=(
                    f"{old.first_name} {old.last_name} is now {new.first_name}'s referrer.".replace(
                        "  ", " "
                    ),
                    *notes,
                ),
                changes=written(session),
            )


def late_attach_deadline(session: Session, patient_id: int) -> date | None:
    """The last day a referrer can be attached: N days after the first visit (None: no
    visit yet, so the window has not started)."""
    first = session.scalar(
        select(Visit.at)
        .where(Visit.patient_id == patient_id, Visit.status == "attended")
        .order_by(Visit.at)
        .limit(1)
    )
    if first is None:
        return None
    days = int(setting_value(session, "referral.late_attach_days"))
    zone = ZoneInfo(clinic_row(session).timezone)
    return first.astimezone(zone).date() + timedelta(days=days)


def clinic_today(session: Session, now: datetime) -> date:
    """Today's date where the clinic is (a visit at 00:30 in Sydney is not yesterday's)."""
    return now.astimezone(ZoneInfo(clinic_row(session).timezone)).date()


def _pick(
    session: Session, patient_id: int | None, query: str | None, region: str, who: str
) -> Patient:
    if patient_id is not None:
        return live_patient(session, patient_id)
    if query is None or not query.strip():
        raise InvalidInputError(f"Say who {who} is: a code, phone number, email or name.")
    return resolve_patient(session, query, region)


def _refuse_known_person(
    session: Session, contact: Contact, name: str, allowed: Patient | None
) -> None:
    """A phone or email already on file means a returning person, not a new patient."""
    clauses = []
    if contact.phone_e164:
        clauses.append(Patient.phone_e164 == contact.phone_e164)
    if contact.email_norm:
        clauses.append(Patient.email_norm == contact.email_norm)
    rows = session.scalars(
        select(Patient).where(or_(*clauses), Patient.erased_at.is_(None)).order_by(Patient.id)
    ).all()
    for existing in rows:
        if allowed is not None and existing.id == allowed.id:
            continue  # the owner accepted sharing the referrer's phone or email
        field = (
            "phone number"
            if contact.phone_e164 and existing.phone_e164 == contact.phone_e164
            else "email"
        )
        who = f"{existing.first_name} {existing.last_name}".strip()
        code = active_code(session, existing.id)
        who += f" ({code})" if code else ""
        raise KnownPersonError(
            f"That {field} is already on file for {who}, so this is a returning person, "
            "not a new patient (no referral reward). Open their record instead.",
            existing.id,
        )


def _code_if_typed(typed: str | None) -> str | None:
    """The referrer's code when the desk was given it (not a name or phone)."""
    if typed and looks_like_code(typed):
        return normalize_code(typed)
    return None


def _lock_contact(session: Session, contact: Contact) -> None:
    """Serialise two desks saving the same phone or email at once (PostgreSQL; SQLite's
    BEGIN IMMEDIATE already serialises every writer)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for value in sorted(v for v in (contact.phone_e164, contact.email_norm) if v):
        key = int.from_bytes(
            hashlib.blake2b(value.encode(), digest_size=8).digest(), "big", signed=True
        )
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
