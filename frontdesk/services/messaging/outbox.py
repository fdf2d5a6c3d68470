"""Putting a message in the outbox, in the caller's transaction (rule 2).

Every part of the app that wants to text a patient (reward notices, referral asks, welcome
offers, replies to a poster keyword) calls ``enqueue`` with the session of the event that
causes it, so the message exists exactly when its cause does. The sync sends it later.

``enqueue`` applies the guardrails (consent, opt-out, one marketing text a day, ask gap and
lifetime cap, quiet hours in the clinic's time zone), renders the clinic's template from the
event's real facts (``facts.py``), adds the opt-out wording to a patient's first marketing
text and records the segment count. A refusal is not an error: it comes back as
``Queued(None, reason)`` in words. A template that needs a value this event lacks is held:
written as failed with the problem in words (``Retry`` fills it in once the fact exists), so
no patient ever gets "Thank you Wei!  has visited…".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain import guardrails
from frontdesk.domain.outbox_states import FAILED
from frontdesk.domain.phones import why_not_textable
from frontdesk.domain.sms_segments import analyze
from frontdesk.domain.templates import (
    MAX_BODY,
    REFERRAL_ASK,
    missing_in,
    missing_problem,
    render,
    render_partial,
    with_opt_out,
)
from frontdesk.services.messaging.facts import clinic_values, patient_values
from frontdesk.services.messaging.templates import template_for
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.store.models import OutboxMessage, Patient

# Statuses that count as "this patient was texted" for the daily limit and the ask gap.
LIVE_STATUSES = ("pending", "sending", "sent", "delivered", "undelivered")


@dataclass(frozen=True)
class Queued:
    """Whether a message was queued, and if not, why (shown to the desk and in the CLI)."""

    message_id: int | None
    reason: str | None = None
    send_at: datetime | None = None  # when it may go out (later than now in quiet hours)
    held: bool = False  # written, but not to be sent: a value was missing (``reason`` says)


MISSING_VALUE = "missing_value"  # the error code of a held text


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
    patient: Patient | None,
    kind: str,
    variables: Mapping[str, str],
    cause: str,
    marketing: bool,
    not_before: datetime | None = None,
    to_phone: str | None = None,
    template_name: str | None = None,
) -> Queued:
    """Queue ``kind`` for ``patient`` unless a guardrail says no; never raises for that.

    ``variables`` are what only this event knows (the friend's name for a reward notice).
    With no patient (a stranger who texted a poster), ``to_phone`` is their number and only
    the clinic's values exist; that is an answer to their own text, so no guardrail applies.
    """
    send_at = not_before or now
    delayed: str | None = None
    if patient is not None:
        verdict = guardrails.check(
            patient_facts(session, patient),
            load_policy(session),
            max(now, send_at),
            marketing=marketing,
            referral_ask=kind == REFERRAL_ASK,
        )
        if not verdict.allowed:
            return Queued(None, verdict.reason)
        send_at = verdict.send_at or now
        delayed = verdict.reason if verdict.delayed else None
        facts = {**patient_values(session, now, patient), **variables}
        phone = patient.phone_e164 or ""
    else:
        facts = {**clinic_values(session), **variables}
        phone = to_phone or ""
    template_id, template = template_for(session, kind, template_name)
    missing = missing_in(template, facts)
    if missing:
        return _hold(
            session, now, patient, phone, kind, (template_id, template), facts, cause, marketing
        )
    body = render(template, facts)
    if marketing and patient is not None and not _had_marketing_text(session, patient.id):
        body = with_opt_out(body)
    if len(body) > MAX_BODY:
        return Queued(None, f"the text would be {len(body):,} characters (at most {MAX_BODY:,})")
    info = analyze(body)
    message = OutboxMessage(
        patient_id=patient.id if patient else None,
        to_phone=phone,
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
    return Queued(message.id, delayed, send_at)


def _hold(
    session: Session,
    now: datetime,
    patient: Patient | None,
    phone: str,
    kind: str,
    chosen: tuple[int | None, str],
    facts: Mapping[str, str],
    cause: str,
    marketing: bool,
) -> Queued:
    """Write the text as failed with its problem, the unknown parts kept as placeholders."""
    template_id, template = chosen
    problem = missing_problem(missing_in(template, facts))
    body = render_partial(template, facts)
    message = OutboxMessage(
        patient_id=patient.id if patient else None,
        to_phone=phone,
        kind=kind,
        template_id=template_id,
        body=body,
        segments=analyze(body).segments,
        encoding=analyze(body).encoding,
        marketing=marketing,
        status=FAILED,
        cause=cause,
        not_before=now,
        next_attempt_at=now,
        attempts=0,
        in_doubt=False,
        error_code=MISSING_VALUE,
        error_text=f"Held, not sent. {problem}",
        created_at=now,
    )
    session.add(message)
    session.flush()
    return Queued(message.id, problem, None, held=True)
