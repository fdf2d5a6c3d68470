"""A stranger who texted the poster keyword, now at the desk: their introduction becomes theirs.

The sync recorded "New contact from the Treatment room 2 poster" under their number; when the
desk adds a patient with that number (and no referrer), the introduction gets them as its
referee, so the poster is credited with the booking and the first visit in Reports.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.services.records.context import Actor
from frontdesk.store.models import Patient, Poster, Referral, ReferralEvent


def claim_poster_introduction(
    session: Session, patient: Patient, actor: Actor, now: datetime
) -> str | None:
    """Attach the open poster introduction for this patient's number; a note for the desk."""
    if not patient.phone_e164:
        return None
    referral = session.scalar(
        select(Referral)
        .where(
            Referral.prospect_phone == patient.phone_e164,
            Referral.referee_id.is_(None),
            Referral.referrer_id.is_(None),
            Referral.poster_id.is_not(None),
            Referral.status == "introduced",
        )
        .order_by(Referral.created_at.desc())
        .limit(1)
    )
    if referral is None:
        return None
    poster = session.get_one(Poster, referral.poster_id)
    referral.referee_id = patient.id
    patient.source_kind, patient.poster_id = "poster", poster.id
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            from_status="introduced",
            to_status="introduced",
            at=now,
            staff_id=actor.staff_id,
            reason=f"{patient.first_name} came in after texting from the {poster.name} poster",
        )
    )
    return f"{patient.first_name} texted from the {poster.name} poster: it is credited."
