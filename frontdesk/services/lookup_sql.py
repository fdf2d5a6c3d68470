"""The lookup's statements, built once per dialect: SQLAlchemy then reuses their compiled
form and the driver its prepared statement, so a search pays for its rows, not for SQL."""

from __future__ import annotations

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import aliased

from frontdesk.store.models import Clinic, Patient, Referral, ReferralCode, Visit
from frontdesk.store.prefix import starts_with

PHONE_POOL = 32
EMAIL_POOL = 8


class LookupStatements:
    def __init__(self, dialect: str, name_pool: int) -> None:
        live = Patient.erased_at.is_(None)
        self.country = select(Clinic.country).where(Clinic.id == 1)
        self.code = select(ReferralCode.patient_id).where(ReferralCode.code == bindparam("code"))
        self.near_codes = select(ReferralCode.code, ReferralCode.patient_id).where(
            ReferralCode.code.in_(bindparam("codes", expanding=True)), ReferralCode.active
        )
        self.email = (
            select(Patient.id)
            .where(starts_with(Patient.email_norm, "email", dialect), live)
            .limit(EMAIL_POOL)
        )
        # One statement, two index walks (SQLite "MULTI-INDEX OR", PostgreSQL BitmapOr).
        self.phone = (
            select(Patient.id)
            .where(
                or_(
                    Patient.phone_e164 == bindparam("e164"),
                    starts_with(Patient.phone_rev, "rev", dialect),
                ),
                live,
            )
            .limit(PHONE_POOL)
        )

        def names(*where: object) -> object:
            return select(Patient.id, Patient.name_norm).where(*where, live).limit(name_pool)

        first_key, last_key = bindparam("first_key"), bindparam("last_key")
        self.name_prefix = names(starts_with(Patient.name_norm, "name", dialect))
        self.name_keys = names(Patient.first_key == first_key, Patient.last_key == last_key)
        self.first_key_last = names(
            Patient.first_key == first_key, starts_with(Patient.last_norm, "last", dialect)
        )
        self.last_prefix = names(starts_with(Patient.last_norm, "last", dialect))
        self.first_key = names(Patient.first_key == first_key)
        self.last_key = names(Patient.last_key == last_key)

        referrer = aliased(Patient)
        code = (
            select(ReferralCode.code)
            .where(ReferralCode.patient_id == Patient.id, ReferralCode.active)
            .correlate(Patient)
            .scalar_subquery()
        )
        last_visit = (
            select(func.max(Visit.at))
            .where(Visit.patient_id == Patient.id, Visit.status == "attended")
            .correlate(Patient)
            .scalar_subquery()
        )
        self.hits = (
            select(
                Patient.id,
                Patient.first_name,
                Patient.last_name,
                Patient.phone_e164,
                Patient.email,
                Patient.birth_year,
                code.label("code"),
                last_visit.label("last_visit"),
                Referral.status.label("referral_status"),
                referrer.first_name.label("referrer_first"),
                referrer.last_name.label("referrer_last"),
            )
            .outerjoin(Referral, Referral.referee_id == Patient.id)
            .outerjoin(referrer, referrer.id == Referral.referrer_id)
            .where(Patient.id.in_(bindparam("ids", expanding=True)))
        )
