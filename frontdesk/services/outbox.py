"""Putting a message in the outbox, in the caller's transaction (rule 2).

Every part of the app that wants to text a patient (reward notices, referral asks, welcome
offers, replies to a poster keyword) calls ``enqueue`` with the session of the event that
causes it, so the message exists exactly when its cause does. The sync sends it later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from frontdesk.store.models import OutboxMessage, Patient

# Plain defaults until the clinic edits its templates (the SMS work replaces this table
# with stored, validated templates).
DEFAULT_BODIES: dict[str, str] = {
    "referral_ask": "Hi {first_name}, thanks for visiting {clinic_name}! Know someone who'd "
    "like to feel better too? Give them your code {code}.",
    "soft_checkin": "Hi {first_name}, how are you feeling after your visit to {clinic_name}? "
    "Reply 1-5 (5 = great).",
    "reward_earned": "Thank you {first_name}! A friend you referred has visited "
    "{clinic_name}: you have earned {referrer_reward}.",
    "welcome_offer": "Welcome to {clinic_name}, {first_name}! Your friend's code gives you "
    "{friend_reward} at your first visit.",
    "reminder": "Hi {first_name}, a reminder from {clinic_name}.",
}


@dataclass(frozen=True)
class Queued:
    """Whether a message was queued, and if not, why (shown to the desk and in the CLI)."""

    message_id: int | None
    reason: str | None = None


def enqueue(
    session: Session,
    now: datetime,
    *,
    patient: Patient,
    kind: str,
    variables: Mapping[str, str],
    cause: str,
    marketing: bool,
) -> Queued:
    """Queue ``kind`` for ``patient`` unless they cannot be texted; never raises for that."""
    if not patient.phone_e164 or patient.phone_invalid:
        return Queued(None, "no valid mobile number on file")
    if patient.opted_out_at is not None:
        return Queued(None, "opted out of texts")
    if marketing and not patient.sms_consent:
        return Queued(None, "no SMS consent")
    body = DEFAULT_BODIES[kind].format_map({"first_name": patient.first_name, **variables})
    message = OutboxMessage(
        patient_id=patient.id,
        to_phone=patient.phone_e164,
        kind=kind,
        body=body,
        marketing=marketing,
        status="pending",
        cause=cause,
        not_before=now,
        next_attempt_at=now,
        attempts=0,
        created_at=now,
    )
    session.add(message)
    session.flush()
    return Queued(message.id)
