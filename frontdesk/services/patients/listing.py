"""The Patients screen's list: pages of patients in name order, filtered as the desk types.

Each filter branch is an indexed prefix (name, surname, reversed phone digits, email, code),
and visit counts are worked out for the rows of one page only, so a page costs the same at
500 patients or 500,000.
"""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from frontdesk.domain.names import normalize_name
from frontdesk.domain.phones import MIN_SUFFIX_DIGITS, digits_of, mask_phone, phone_search_forms
from frontdesk.domain.referral_code import FOLD, SUFFIX_LEN, looks_like_code, normalize_code
from frontdesk.services.patients.dto import PatientPage, PatientRow
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.records.patients import patient_ref
from frontdesk.store.models import Patient, ReferralCode, Visit
from frontdesk.store.prefix import has_prefix

PAGE_SIZE = 200
MAX_FILTER = 100


def _filtered(text: str, region: str, dialect: str) -> Select[tuple[int]]:
    query = select(Patient.id).where(Patient.erased_at.is_(None))
    text = " ".join(text.split())[:MAX_FILTER]
    if not text:
        return query
    clauses = []
    norm = normalize_name(text)
    if norm:
        clauses += [
            has_prefix(Patient.name_norm, norm, dialect),
            has_prefix(Patient.last_norm, norm, dialect),
        ]
    digits = digits_of(text)
    if len(digits) >= MIN_SUFFIX_DIGITS and len(digits) * 2 >= len(text.replace(" ", "")):
        forms = phone_search_forms(text, region)
        clauses.append(
            has_prefix(Patient.phone_rev, forms.suffix_reversed or digits[::-1], dialect)
        )
    if "@" in text:
        clauses.append(has_prefix(Patient.email_norm, text.lower(), dialect))
    compact = "".join(ch for ch in text if ch.isalnum()).upper()
    if len(compact) == SUFFIX_LEN or looks_like_code(text):
        # A whole code, or its last four symbols: both answered by an index.
        codes = select(ReferralCode.patient_id).where(
            (ReferralCode.code == normalize_code(text))
            | (ReferralCode.code_suffix == compact[-SUFFIX_LEN:].translate(FOLD))
        )
        clauses.append(Patient.id.in_(codes))
    if not clauses:
        return query.where(Patient.id.is_(None))  # nothing typed can match (e.g. "!!!")
    return query.where(or_(*clauses))


class PatientListService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def page(self, text: str = "", offset: int = 0, limit: int = PAGE_SIZE) -> PatientPage:
        limit = max(1, min(limit, 1000))
        offset = max(0, offset)
        with self._ctx.db.read() as session:
            ids = _filtered(text, clinic_row(session).country, self._ctx.db.dialect).subquery()
            total = session.scalar(select(func.count()).select_from(ids)) or 0
            rows = session.execute(
                select(Patient, ReferralCode.code)
                .outerjoin(
                    ReferralCode, (ReferralCode.patient_id == Patient.id) & ReferralCode.active
                )
                .where(Patient.id.in_(select(ids.c.id)))
                .order_by(Patient.name_norm, Patient.id)
                .offset(offset)
                .limit(limit)
            ).all()
            page_ids = [patient.id for patient, _code in rows]
            stats = {
                pid: (count, last)
                for pid, count, last in session.execute(
                    select(Visit.patient_id, func.count(Visit.id), func.max(Visit.at))
                    .where(Visit.patient_id.in_(page_ids), Visit.status == "attended")
                    .group_by(Visit.patient_id)
                )
            }
            result = tuple(
                PatientRow(
                    patient=patient_ref(patient, code),
                    masked_phone=mask_phone(patient.phone_e164) if patient.phone_e164 else "",
                    sms_consent=patient.sms_consent,
                    opted_out=patient.opted_out_at is not None,
                    created_at=patient.created_at,
                    last_visit=stats.get(patient.id, (0, None))[1],
                    visits=stats.get(patient.id, (0, None))[0],
                )
                for patient, code in rows
            )
        return PatientPage(rows=result, total=total, offset=offset)
