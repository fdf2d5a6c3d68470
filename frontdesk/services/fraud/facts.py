"""Gathering the plain facts the fraud rules judge, with a few indexed queries per referral."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from frontdesk.domain.fraud_rules import EarlierRecord, Person, ReferralFacts, Sighting
from frontdesk.services.records.clinic import setting_value
from frontdesk.store.models import Patient, Referral, Visit

MAX_EVIDENCE = 5
# Built once: an alias made per call costs ~1 ms to adapt its columns (a fifth of a check-in).
_OTHER_FRIEND = aliased(Patient)
_OTHER_REFERRER = aliased(Patient)


def person(session: Session, patient: Patient) -> Person:
    first_visit = session.scalar(select(func.min(Visit.at)).where(Visit.patient_id == patient.id))
    return Person(
        id=patient.id,
        first_name=patient.first_name,
        last_name=patient.last_name,
        phone=patient.phone_e164,
        email=patient.email_norm,
        address=patient.address,
        postcode=patient.postcode,
        created_at=patient.created_at,
        first_visit_at=first_visit,
    )


def gather(session: Session, referral: Referral) -> ReferralFacts | None:
    if referral.referrer_id is None:
        return None  # a professional's referral earns nothing and has nothing to check
    referrer = session.get_one(Patient, referral.referrer_id)
    friend = session.get(Patient, referral.referee_id) if referral.referee_id else None
    phone = friend.phone_e164 if friend else referral.prospect_phone
    email = friend.email_norm if friend else None
    return ReferralFacts(
        referral_id=referral.id,
        created_at=referral.created_at,
        referrer=person(session, referrer),
        referee=person(session, friend) if friend else None,
        sightings=tuple(_sightings(session, referral, phone, email)),
        referrer_referral_times=tuple(
            session.scalars(
                select(Referral.created_at).where(
                    Referral.referrer_id == referral.referrer_id,
                    Referral.created_at > referral.created_at - timedelta(hours=24),
                    Referral.created_at <= referral.created_at,
                    Referral.status != "blocked",
                )
            )
        ),
        earlier_records=tuple(_earlier(session, friend, referrer.id)) if friend else (),
        velocity_limit=int(setting_value(session, "fraud.velocity_per_24h")),
        late_attach_days=int(setting_value(session, "referral.late_attach_days")),
    )


def _sightings(
    session: Session, referral: Referral, phone: str | None, email: str | None
) -> list[Sighting]:
    """Referrals under a different referrer's code where this phone or email appeared."""
    if not phone and not email:
        return []
    other_friend, other_referrer = _OTHER_FRIEND, _OTHER_REFERRER
    # Every branch is an index seek: the people with this phone or email (patient indexes),
    # their referrals (unique referee_id), and friends named by phone (prospect_phone). An OR
    # across the joined tables instead made SQLite read every referral (~55 ms at 100k).
    people = []
    if phone:
        people.append(Patient.phone_e164 == phone)
    if email:
        people.append(Patient.email_norm == email)
    matches = [Referral.referee_id.in_(select(Patient.id).where(or_(*people)))]
    if phone:
        matches.append(Referral.prospect_phone == phone)
    rows = session.execute(
        select(
            Referral.id,
            other_referrer.first_name,
            other_referrer.last_name,
            other_friend.phone_e164,
            other_friend.email_norm,
            Referral.prospect_phone,
        )
        .join(other_referrer, other_referrer.id == Referral.referrer_id)
        .outerjoin(other_friend, other_friend.id == Referral.referee_id)
        .where(
            Referral.id != referral.id,
            Referral.referrer_id != referral.referrer_id,
            or_(*matches),
        )
        .order_by(Referral.id)
        .limit(MAX_EVIDENCE)
    ).all()
    found = []
    for row in rows:
        name = f"{row[1]} {row[2]}".strip()
        if phone and phone in (row[3], row[5]):
            found.append(Sighting(row[0], name, "phone", phone))
        elif email and row[4] == email:
            found.append(Sighting(row[0], name, "email", email))
    return found


def _earlier(session: Session, friend: Patient, referrer_id: int) -> list[EarlierRecord]:
    """Older patient records that look like the same person (same phone, email, or name
    and year of birth)."""
    clauses = []
    if friend.phone_e164:
        clauses.append(Patient.phone_e164 == friend.phone_e164)
    if friend.email_norm:
        clauses.append(Patient.email_norm == friend.email_norm)
    if friend.birth_year and friend.name_norm:
        clauses.append(
            (Patient.name_norm == friend.name_norm) & (Patient.birth_year == friend.birth_year)
        )
    if not clauses:
        return []
    rows = session.scalars(
        select(Patient)
        .where(
            Patient.id.not_in((friend.id, referrer_id)),
            Patient.created_at < friend.created_at,
            Patient.erased_at.is_(None),
            or_(*clauses),
        )
        .order_by(Patient.created_at)
        .limit(MAX_EVIDENCE)
    ).all()
    found = []
    for other in rows:
        if friend.phone_e164 and other.phone_e164 == friend.phone_e164:
            matched = "phone"
        elif friend.email_norm and other.email_norm == friend.email_norm:
            matched = "email"
        else:
            matched = "name and year of birth"
        name = f"{other.first_name} {other.last_name}".strip()
        found.append(EarlierRecord(other.id, name, other.created_at, matched))
    return found
