"""The review queue's view of a flag: the two people side by side, what they share marked."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain.fraud_rules import TITLES, email_domain, normalize_address
from frontdesk.services.rewards.dto import FlagView, PersonCard
from frontdesk.services.rewards.ledger import HELD, PENDING, describe
from frontdesk.services.rewards.views import staff_names
from frontdesk.store.models import FraudFlag, Patient, Referral, ReferralCode, Reward, Visit


def card(session: Session, patient: Patient | None) -> PersonCard | None:
    if patient is None:
        return None
    code = session.scalar(
        select(ReferralCode.code).where(ReferralCode.patient_id == patient.id, ReferralCode.active)
    )
    first_visit = session.scalar(select(func.min(Visit.at)).where(Visit.patient_id == patient.id))
    return PersonCard(
        id=patient.id,
        name=f"{patient.first_name} {patient.last_name}".strip(),
        first_name=patient.first_name,
        last_name=patient.last_name,
        phone=patient.phone_e164,
        email=patient.email,
        address=patient.address,
        postcode=patient.postcode,
        code=code,
        on_file_since=patient.created_at,
        first_visit_at=first_visit,
    )


def shared_fields(a: PersonCard | None, b: PersonCard | None) -> list[str]:
    """Which details the two people have in common (highlighted in the review queue)."""
    if a is None or b is None:
        return []
    shared = []
    if a.phone and a.phone == b.phone:
        shared.append("phone")
    if a.email and b.email and a.email.lower() == b.email.lower():
        shared.append("email")
    elif email_domain(a.email) and email_domain(a.email) == email_domain(b.email):
        shared.append("email_domain")
    if a.last_name and a.last_name.strip().lower() == b.last_name.strip().lower():
        shared.append("last_name")
    if a.address and normalize_address(a.address) == normalize_address(b.address):
        shared.append("address")
    if a.postcode and normalize_address(a.postcode) == normalize_address(b.postcode):
        shared.append("postcode")
    return shared


def flag_views(session: Session, flags: list[FraudFlag]) -> list[FlagView]:
    names = staff_names(session)
    views = []
    for flag in flags:
        referral = session.get_one(Referral, flag.referral_id)
        referrer = card(session, session.get(Patient, referral.referrer_id or -1))
        referee = card(session, session.get(Patient, referral.referee_id or -1))
        evidence = json.loads(flag.evidence_json or "{}")
        highlight = sorted(
            set(evidence.get("highlight", [])) | set(shared_fields(referrer, referee))
        )
        held = session.scalars(
            select(Reward).where(
                Reward.referral_id == referral.id, Reward.status.in_((HELD, PENDING))
            )
        ).all()
        views.append(
            FlagView(
                id=flag.id,
                referral_id=flag.referral_id,
                rule=flag.rule,
                title=TITLES.get(flag.rule, flag.rule.replace("_", " ").capitalize()),
                explanation=flag.explanation,
                evidence=evidence,
                highlight=tuple(highlight),
                status=flag.status,
                created_at=flag.created_at,
                decided_at=flag.decided_at,
                decided_by=names.get(flag.decided_by, "Owner") if flag.decided_at else None,
                decision_reason=flag.decision_reason,
                referral_status=referral.status,
                referrer=referrer,
                referee=referee,
                prospect_name=referral.prospect_name,
                held_rewards=" + ".join(describe(r) for r in held),
            )
        )
    return views
