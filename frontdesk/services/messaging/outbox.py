"""Putting a message in the outbox, in the caller's transaction (rule 2).

Every part of the app that wants to text a patient (reward notices, referral asks, welcome
offers, replies to a poster keyword) calls ``enqueue`` with the session of the event that
causes it, so the message exists exactly when its cause does. The sync sends it later.

``enqueue`` applies the guardrails (consent, opt-out, one marketing text a day, ask gap and
lifetime cap, quiet hours in the clinic's time zone), renders the clinic's template, adds
the opt-out wording to a patient's first marketing text and records the segment count.
A refusal is not an error: it comes back as ``Queued(None, reason)`` in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain import guardrails
from frontdesk.domain.phones import why_not_textable
from frontdesk.domain.sms_segments import analyze
from frontdesk.domain.templates import MAX_BODY, REFERRAL_ASK, render, with_opt_out
from frontdesk.services.messaging.templates import template_for
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.store.models import OutboxMessage, Patient, ReferralCode

# Kept for callers written against the first version; the bodies now come from templates.
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

# Statuses that count as "this patient was texted" for the daily limit and the ask gap.
LIVE_STATUSES = ("pending", "sending", "sent", "delivered", "undelivered")


@dataclass(frozen=True)
class Queued:
    """Whether a message was queued, and if not, why (shown to the desk and in the CLI)."""

    message_id: int | None
    reason: str | None = None
    send_at: datetime | None = None  # when it may go out (later than now in quiet hours)


def load_policy(session: Session) -> guardrails.Policy:
    clinic = clinic_row(session)
    return guardrails.Policy.from_settings(
        clinic.timezone,
        setting_value(session, "sms.quiet_start"),
        setting_value(session, "sms.quiet_end"),
        int(setting_value(session, "sms.min_ask_gap_days")),
        int(setting_value(session, "sms.ask_lifetime_cap")),
    )


def patient_facts(session: Session, patient: Patient) -> guardrails.PatientFacts:
    live = OutboxMessage.status.in_(LIVE_STATUSES)
    mine = OutboxMessage.patient_id == patient.id
    last_marketing = session.scalar(
        select(func.max(OutboxMessage.not_before)).where(mine, live, OutboxMessage.marketing)
    )
    asks = session.execute(
        select(func.count(OutboxMessage.id), func.max(OutboxMessage.not_before)).where(
            mine, live, OutboxMessage.kind == REFERRAL_ASK
        )
    ).one()
    return guardrails.PatientFacts(
        has_phone=bool(patient.phone_e164),
        phone_invalid=bool(patient.phone_invalid),
        consent=bool(patient.sms_consent),
        opted_out=patient.opted_out_at is not None or patient.erased_at is not None,
        last_marketing_at=last_marketing,
        last_ask_at=asks[1],
        asks_total=int(asks[0] or 0),
        not_mobile=why_not_textable(patient.phone_e164),
    )


def standard_variables(session: Session, patient: Patient) -> dict[str, str]:
    clinic = clinic_row(session)
    code = session.scalar(
        select(ReferralCode.code).where(
            ReferralCode.patient_id == patient.id, ReferralCode.active.is_(True)
        )
    )
    values = {"first_name": patient.first_name, "clinic_name": clinic.name}
    if code:
        values["code"] = code
        if clinic.booking_url:
            joiner = "&" if "?" in clinic.booking_url else "?"
            values["link"] = f"{clinic.booking_url}{joiner}ref={code}"
    return values


def _had_marketing_text(session: Session, patient_id: int) -> bool:
    return (
        session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.patient_id == patient_id,
                OutboxMessage.marketing.is_(True),
                OutboxMessage.status.in_(LIVE_STATUSES),
            )
            .limit(1)
        )
        is not None
    )


def enqueue(
    session: Session,
    now: datetime,
    *,
    patient: Patient,
    kind: str,
    variables: Mapping[str, str],
    cause: str,
    marketing: bool,
    not_before: datetime | None = None,
) -> Queued:
    """Queue ``kind`` for ``patient`` unless a guardrail says no; never raises for that."""
    policy = load_policy(session)
    verdict = guardrails.check(
        patient_facts(session, patient),
        policy,
        max(now, not_before or now),
        marketing=marketing,
        referral_ask=kind == REFERRAL_ASK,
    )
    if not verdict.allowed:
        return Queued(None, verdict.reason)
    template_id, template = template_for(session, kind)
    body = render(template, {**standard_variables(session, patient), **variables})
    if marketing and not _had_marketing_text(session, patient.id):
        body = with_opt_out(body)
    if len(body) > MAX_BODY:
        return Queued(None, f"the text would be {len(body):,} characters (at most {MAX_BODY:,})")
    info = analyze(body)
    send_at = verdict.send_at or now
    message = OutboxMessage(
        patient_id=patient.id,
        to_phone=patient.phone_e164,
        kind=kind,
        template_id=template_id,
        body=body,
        segments=info.segments,
        encoding=info.encoding,
        marketing=marketing,
        status="pending",
        cause=cause,
        not_before=send_at,
        next_attempt_at=send_at,
        attempts=0,
        in_doubt=False,
        created_at=now,
    )
    session.add(message)
    session.flush()
    return Queued(message.id, verdict.reason if verdict.delayed else None, send_at)
