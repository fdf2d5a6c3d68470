"""Turning ranked patient ids into search rows that tell two people apart at a glance.

A handful of batched queries for the whole page of hits (codes, last visits, referrals,
flags, credit), never a query per row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from frontdesk.domain.amounts import format_money
from frontdesk.domain.phones import mask_phone
from frontdesk.services.dto import SearchHit
from frontdesk.services.patient_records import patient_ref
from frontdesk.store.models import FraudFlag, Patient, Referral, ReferralCode, Reward, Visit


def last_visits(session: Session, ids: list[int]) -> dict[int, datetime]:
    return dict(
        session.execute(
            select(Visit.patient_id, func.max(Visit.at))
            .where(Visit.patient_id.in_(ids), Visit.status == "attended")
            .group_by(Visit.patient_id)
        ).all()
    )


def build_hits(
    session: Session,
    ranked: list[tuple[int, float, str]],
    visits: dict[int, datetime],
    currency: str,
    now: datetime,
) -> tuple[SearchHit, ...]:
    ids = [pid for pid, _score, _how in ranked]
    if not ids:
        return ()
    patients = {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(ids)))}
    codes = dict(
        session.execute(
            select(ReferralCode.patient_id, ReferralCode.code).where(
                ReferralCode.patient_id.in_(ids), ReferralCode.active
            )
        ).all()
    )
    referrer = aliased(Patient)
    referred = {
        row.referee_id: row
        for row in session.execute(
            select(
                Referral.referee_id,
                Referral.status,
                referrer.first_name,
                referrer.last_name,
            )
            .outerjoin(referrer, referrer.id == Referral.referrer_id)
            .where(Referral.referee_id.in_(ids))
        )
    }
    flagged: set[int] = set()
    # From these patients' referrals to their open flags (both by index), not the reverse.
    links = session.execute(
        select(Referral.id, Referral.referee_id, Referral.referrer_id).where(
            or_(Referral.referee_id.in_(ids), Referral.referrer_id.in_(ids))
        )
    ).all()
    if links:
        open_flags = set(
            session.scalars(
                select(FraudFlag.referral_id).where(
                    FraudFlag.referral_id.in_([link.id for link in links]),
                    FraudFlag.status == "open",
                )
            )
        )
        for link in links:
            if link.id in open_flags:
                flagged.update(p for p in (link.referee_id, link.referrer_id) if p in patients)
    credit = dict(
        session.execute(
            select(Reward.patient_id, func.sum(Reward.remaining_minor))
            .where(
                Reward.patient_id.in_(ids),
                Reward.status == "available",
                Reward.kind == "credit",
                Reward.usable_from <= now,
                or_(Reward.expires_at.is_(None), Reward.expires_at > now),
            )
            .group_by(Reward.patient_id)
        ).all()
    )
    hits = []
    for pid, score, how in ranked:
        patient = patients[pid]
        referral = referred.get(pid)
        badge = "flagged" if pid in flagged else (referral.status if referral else None)
        facts = []
        if pid in flagged:
            facts.append("flagged for review")
        if credit.get(pid):
            facts.append(f"{format_money(int(credit[pid]), currency)} credit")
        if referral is not None and referral.first_name:
            facts.append(f"referred by {referral.first_name} {referral.last_name[:1]}.".strip())
        hits.append(
            SearchHit(
                patient=patient_ref(patient, codes.get(pid)),
                masked_phone=mask_phone(patient.phone_e164) if patient.phone_e164 else "no phone",
                matched_on=how,
                score=round(score, 3),
                birth_year=patient.birth_year,
                last_visit=visits.get(pid),
                badge=badge,
                fact=" · ".join(facts) or None,
            )
        )
    return tuple(hits)
