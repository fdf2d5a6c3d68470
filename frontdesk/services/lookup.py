"""One query string → ranked patients, by code, phone (any format or last digits), name or email.

Every branch is an indexed query (code unique index, E.164 index, reversed-digits prefix,
normalised-name prefix, phonetic keys): nothing scans the patient table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidPhoneError
from frontdesk.domain.names import name_similarity, normalize_name, phonetic_key
from frontdesk.domain.phones import mask_phone, phone_search_forms
from frontdesk.domain.referral_code import looks_like_code, near_misses, normalize_code
from frontdesk.domain.voucher import normalize_voucher
from frontdesk.services.clinic import clinic_row
from frontdesk.services.context import ServiceContext
from frontdesk.services.dto import LookupResult, PatientRef, SearchHit
from frontdesk.services.patient_records import patient_ref
from frontdesk.services.resolve import active_code, resolve_patient
from frontdesk.store.models import Patient, Referral, ReferralCode, Reward, Visit

MAX_HITS = 8
MAX_QUERY = 200


class LookupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def resolve(self, query: str) -> PatientRef:
        """The one patient a query names (code, phone, email or unique name), or an error
        that says who matched and what would tell them apart."""
        with self._ctx.db.read() as session:
            patient = resolve_patient(session, query, clinic_row(session).country)
            return patient_ref(patient, active_code(session, patient.id))

    def lookup(self, query: str, limit: int = MAX_HITS) -> LookupResult:
        text = " ".join(query.split())[:MAX_QUERY]
        if not text:
            return LookupResult(query="", hits=())
        with self._ctx.db.read() as session:
            region = clinic_row(session).country
            scored: dict[int, tuple[float, str]] = {}
            suggestions: tuple[str, ...] = ()
            voucher = normalize_voucher(text)
            if voucher:
                _merge(scored, self._by_voucher(session, voucher), 1.0, "voucher")
            if looks_like_code(text):
                found, suggestions = self._by_code(session, text)
                _merge(scored, found, 1.0, "code")
            if "@" in text:
                _merge(scored, self._by_email(session, text), 0.95, "email")
            digits = sum(ch.isdigit() for ch in text)
            if digits >= 4 and digits >= len(text.replace(" ", "")) // 2:
                _merge(scored, self._by_phone(session, text, region), 0.97, "phone")
            if any(ch.isalpha() for ch in text) and "@" not in text:
                for pid, score in self._by_name(session, text):
                    _merge(scored, [pid], score, "name")
            ranked = sorted(scored.items(), key=lambda item: -item[1][0])[:limit]
            hits = tuple(self._hit(session, pid, score, how) for pid, (score, how) in ranked)
        return LookupResult(query=text, hits=hits, suggestions=suggestions)

    # -- branches ---------------------------------------------------------------------------
    def _by_code(self, session: Session, text: str) -> tuple[list[int], tuple[str, ...]]:
        code = normalize_code(text)
        pid = session.scalar(select(ReferralCode.patient_id).where(ReferralCode.code == code))
        if pid is not None:
            return [pid], ()
        candidates = near_misses(text)
        if not candidates:
            return [], ()
        rows = session.execute(
            select(ReferralCode.code, ReferralCode.patient_id).where(
                ReferralCode.code.in_(candidates), ReferralCode.active
            )
        ).all()
        return [row.patient_id for row in rows], tuple(sorted(row.code for row in rows))

    def _by_voucher(self, session: Session, voucher: str) -> list[int]:
        """The new patient holding a single-use welcome voucher."""
        return list(
            session.scalars(select(Reward.patient_id).where(Reward.voucher_code == voucher))
        )

    def _by_email(self, session: Session, text: str) -> list[int]:
        email = text.strip().lower()
        return list(
            session.scalars(
                select(Patient.id)
                .where(Patient.email_norm.startswith(email, autoescape=True))
                .where(Patient.erased_at.is_(None))
                .limit(MAX_HITS)
            )
        )

    def _by_phone(self, session: Session, text: str, region: str) -> list[int]:
        try:
            forms = phone_search_forms(text, region)
        except InvalidPhoneError:
            return []
        clauses = []
        if forms.e164:
            clauses.append(Patient.phone_e164 == forms.e164)
        if forms.suffix_reversed:
            clauses.append(Patient.phone_rev.startswith(forms.suffix_reversed, autoescape=True))
        if not clauses:
            return []
        return list(
            session.scalars(
                select(Patient.id)
                .where(or_(*clauses), Patient.erased_at.is_(None))
                .limit(MAX_HITS * 4)
            )
        )

    def _by_name(self, session: Session, text: str) -> Iterable[tuple[int, float]]:
        norm = normalize_name(text)
        tokens = norm.split(" ")
        first, last = tokens[0], tokens[-1]
        clauses = [
            Patient.name_norm.startswith(norm, autoescape=True),
            Patient.last_norm.startswith(last, autoescape=True),
        ]
        if len(first) >= 3:
            clauses.append(Patient.first_key == phonetic_key(first))
        if len(tokens) > 1 and len(last) >= 3:
            clauses.append(Patient.last_key == phonetic_key(last))
        rows = session.execute(
            select(Patient.id, Patient.name_norm)
            .where(or_(*clauses), Patient.erased_at.is_(None))
            .limit(200)
        ).all()
        for row in rows:
            exact_prefix = row.name_norm.startswith(norm)
            similarity = name_similarity(norm, row.name_norm[: max(len(norm), 1) + 6])
            yield row.id, (0.9 if exact_prefix else 0.5) + 0.09 * similarity

    # -- presentation -----------------------------------------------------------------------
    def _hit(self, session: Session, pid: int, score: float, how: str) -> SearchHit:
        patient = session.get_one(Patient, pid)
        code = session.scalar(
            select(ReferralCode.code).where(ReferralCode.patient_id == pid, ReferralCode.active)
        )
        last_visit: datetime | None = session.scalar(
            select(func.max(Visit.at)).where(Visit.patient_id == pid, Visit.status == "attended")
        )
        referral = session.scalar(select(Referral).where(Referral.referee_id == pid))
        fact = None
        badge = None
        if referral is not None:
            badge = referral.status
            if referral.referrer_id:
                referrer = session.get_one(Patient, referral.referrer_id)
                fact = f"referred by {referrer.first_name} {referrer.last_name[:1]}.".strip()
        return SearchHit(
            patient=patient_ref(patient, code),
            masked_phone=mask_phone(patient.phone_e164) if patient.phone_e164 else "no phone",
            matched_on=how,
            score=round(score, 3),
            birth_year=patient.birth_year,
            last_visit=last_visit,
            badge=badge,
            fact=fact,
        )


def _merge(
    scored: dict[int, tuple[float, str]], ids: Iterable[int], score: float, how: str
) -> None:
    for pid in ids:
        if pid not in scored or scored[pid][0] < score:
            scored[pid] = (score, how)
