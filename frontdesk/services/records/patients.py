"""Patient rows inside a unit of work: creating them and reading a live one.

Creation is shared by the patient service, the CSV import and the demo generator, so every
way a patient enters the database fills the search columns and the personal code the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.domain.errors import NotFoundError
from frontdesk.domain.names import normalize_name, phonetic_key
from frontdesk.domain.phones import digits_reversed
from frontdesk.domain.referral_code import generate_code
from frontdesk.services.records.dto import PatientRef
from frontdesk.store.models import Patient, ReferralCode

CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class NewPatient:
    first_name: str
    last_name: str
    phone_e164: str | None
    email: str | None
    email_norm: str | None
    sms_consent: bool = False
    birth_year: int | None = None
    address: str | None = None
    postcode: str | None = None
    payer_type: str | None = None
    source_kind: str = "walk_in"
    source_detail: str | None = None


def search_columns(
    first_name: str, last_name: str, phone_e164: str | None
) -> dict[str, str | None]:
    first = normalize_name(first_name)
    last = normalize_name(last_name)
    return {
        "name_norm": f"{first} {last}".strip(),
        "last_norm": last,
        "first_key": phonetic_key(first.split(" ")[0]) if first else "",
        "last_key": phonetic_key(last.split(" ")[-1]) if last else "",
        "phone_rev": digits_reversed(phone_e164) if phone_e164 else None,
    }


def build_patient(new: NewPatient, now: datetime) -> Patient:
    return Patient(
        first_name=new.first_name,
        last_name=new.last_name,
        phone_e164=new.phone_e164,
        email=new.email,
        email_norm=new.email_norm,
        sms_consent=new.sms_consent,
        birth_year=new.birth_year,
        address=new.address,
        postcode=new.postcode,
        payer_type=new.payer_type,
        source_kind=new.source_kind,
        source_detail=new.source_detail,
        created_at=now,
        phone_invalid=False,
        **search_columns(new.first_name, new.last_name, new.phone_e164),
    )


def unique_code(
    session: Session | None, first_name: str, rng: random.Random, taken: set[str]
) -> str:
    """A fresh code no one has ever had (codes are never reused, retired ones included)."""
    for _ in range(CODE_ATTEMPTS):
        code = generate_code(first_name, rng)
        if code in taken:
            continue
        if (
            session is None
            or session.scalar(select(ReferralCode.id).where(ReferralCode.code == code)) is None
        ):
            taken.add(code)
            return code
    raise RuntimeError("could not find a free referral code; the code space is exhausted")


def add_patient(
    session: Session, new: NewPatient, now: datetime, rng: random.Random
) -> tuple[Patient, str]:
    patient = build_patient(new, now)
    session.add(patient)
    session.flush()
    tried: set[str] = set()
    for _ in range(CODE_ATTEMPTS):
        code = unique_code(session, new.first_name, rng, tried)
        try:
            # Another desk may take the same code between our check and our insert: the
            # unique constraint says so, and only this savepoint is rolled back.
            with session.begin_nested():
                session.add(
                    ReferralCode(patient_id=patient.id, code=code, active=True, created_at=now)
                )
        except IntegrityError:
            continue
        return patient, code
    raise RuntimeError("could not find a free referral code; the code space is exhausted")


def patient_ref(patient: Patient, code: str | None) -> PatientRef:
    name = f"{patient.first_name} {patient.last_name}".strip()
    return PatientRef(
        id=patient.id, name=name, phone=patient.phone_e164, email=patient.email, code=code
    )


def active_code(session: Session, patient_id: int) -> str | None:
    return session.scalar(
        select(ReferralCode.code).where(ReferralCode.patient_id == patient_id, ReferralCode.active)
    )


def live_patient(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None or patient.erased_at is not None:
        raise NotFoundError("That patient is not on file (they may have been erased).")
    return patient
