"""The Messages screen and CLI: the outbox, the replies inbox, and what staff do with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from frontdesk.domain import outbox_states as st
from frontdesk.domain.errors import ConflictError, InvalidInputError, NotFoundError
from frontdesk.domain.phones import mask_phone, parse_phone
from frontdesk.domain.sms_segments import analyze
from frontdesk.domain.templates import KINDS, missing_in, missing_problem, render
from frontdesk.services.messaging.facts import clinic_values, patient_values
from frontdesk.services.messaging.outbox import MISSING_VALUE
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.store.models import (
    InboundMessage,
    OutboxMessage,
    Patient,
    Referral,
    ReferralEvent,
    Visit,
)

MAX_ROWS = 5_000


@dataclass(frozen=True)
class OutboxRow:
    id: int
    patient_id: int | None
    patient_name: str
    to: str  # masked
    kind: str
    kind_label: str
    status: str
    state: str  # in words
    body: str
    segments: int
    encoding: str
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class InboxRow:
    id: int
    patient_id: int | None
    patient_name: str
    from_: str  # masked
    body: str
    received_at: datetime
    intent: str
    rating: int | None
    handled_at: datetime | None
    answers: str | None  # the text this replies to
    last_visit: datetime | None
    referral_status: str | None


# A reply needs the desk when it is words, or a low rating (1-3).
NEEDS_DESK = or_(
    InboundMessage.intent == "text",
    and_(InboundMessage.intent == "rating", InboundMessage.rating <= 3),
)


def _name(patient: Patient | None) -> str:
    if patient is None:
        return "Unknown number"
    return f"{patient.first_name} {patient.last_name}".strip()


class MessagesService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- outbox -------------------------------------------------------------------------------
    def outbox(self, status: str | None = None, limit: int = MAX_ROWS) -> list[OutboxRow]:
        if status is not None and status not in st.TRANSITIONS and status != "waiting":
            known = ", ".join([*st.TRANSITIONS, "waiting"])
            raise InvalidInputError(f"There is no message status {status!r}. Use one of: {known}.")
        with self._ctx.db.read() as session:
            query = (
                select(OutboxMessage, Patient)
                .outerjoin(Patient, Patient.id == OutboxMessage.patient_id)
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
                .limit(limit)
            )
            if status == "waiting":
                query = query.where(OutboxMessage.status.in_(tuple(st.WAITING)))
            elif status:
                query = query.where(OutboxMessage.status == status)
            return [_outbox_row(m, p) for m, p in session.execute(query)]

    def cancel(self, actor: Actor, message_id: int) -> OutboxRow:
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = self._message(session, message_id)
            if row.status != st.PENDING or row.in_doubt:
                raise ConflictError("Only a message still waiting to be sent can be cancelled.")
            row.status, row.error_text = st.CANCELLED, f"Cancelled by {actor.name}."
            audit.record(session, actor, "message.cancel", "outbox_message", row.id, at=now)
            return _outbox_row(
                row, session.get(Patient, row.patient_id) if row.patient_id else None
            )

    def retry(self, actor: Actor, message_id: int) -> OutboxRow:
        """Send a failed message again (e.g. after the number was corrected)."""
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = self._message(session, message_id)
            if row.status != st.FAILED or row.provider_sid is not None:
                raise ConflictError(
                    "Only a message that was held or that Twilio refused can be sent again."
                )
            patient = session.get(Patient, row.patient_id) if row.patient_id else None
            if patient is not None and patient.opted_out_at is not None:
                raise ConflictError(f"{patient.first_name} has opted out of texts.")
            if patient is not None and patient.phone_e164:
                row.to_phone = patient.phone_e164
            if row.error_code == MISSING_VALUE:
                _fill_held(session, now, row, patient)
            row.status, row.next_attempt_at = st.PENDING, now
            row.error_code = row.error_text = None
            audit.record(session, actor, "message.retry", "outbox_message", row.id, at=now)
            return _outbox_row(row, patient)

    def _message(self, session: Session, message_id: int) -> OutboxMessage:
        row = session.get(OutboxMessage, message_id)
        if row is None:
            raise NotFoundError(f"There is no message {message_id}.")
        return row

    # -- inbox --------------------------------------------------------------------------------
    def inbox(self, include_handled: bool = False, limit: int = MAX_ROWS) -> list[InboxRow]:
        answered = aliased(OutboxMessage)
        last_visit = (
            select(func.max(Visit.at))
            .where(Visit.patient_id == InboundMessage.patient_id, Visit.status == "attended")
            .correlate(InboundMessage)
            .scalar_subquery()
        )
        referral_status = (
            select(Referral.status)
            .where(Referral.referee_id == InboundMessage.patient_id)
            .correlate(InboundMessage)
            .limit(1)
            .scalar_subquery()
        )
        with self._ctx.db.read() as session:
            query = (
                select(InboundMessage, Patient, answered.body, last_visit, referral_status)
                .outerjoin(Patient, Patient.id == InboundMessage.patient_id)
                .outerjoin(answered, answered.id == InboundMessage.in_reply_to_id)
                .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
                .limit(limit)
            )
            if not include_handled:
                query = query.where(InboundMessage.handled_at.is_(None), NEEDS_DESK)
            return [
                InboxRow(
                    id=m.id,
                    patient_id=m.patient_id,
                    patient_name=_name(p),
                    from_=mask_phone(m.from_phone),
                    body=m.body,
                    received_at=m.received_at,
                    intent=m.intent,
                    rating=m.rating,
                    handled_at=m.handled_at,
                    answers=body,
                    last_visit=visit_at,
                    referral_status=ref_status,
                )
                for m, p, body, visit_at, ref_status in session.execute(query)
            ]

    def mark_handled(self, actor: Actor, inbound_id: int) -> None:
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.get(InboundMessage, inbound_id)
            if row is None:
                raise NotFoundError(f"There is no reply {inbound_id}.")
            if row.handled_at is None:
                row.handled_at, row.handled_by = now, actor.staff_id
                audit.record(session, actor, "reply.handled", "inbound_message", row.id, at=now)

    def create_introduction(
        self, actor: Actor, inbound_id: int, friend_name: str, friend_phone: str | None = None
    ) -> int:
        """'My sister Anna wants to book' → an introduced referral the desk can follow up."""
        name = " ".join(friend_name.split())
        if not name:
            raise InvalidInputError("Type the friend's name.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.get(InboundMessage, inbound_id)
            if row is None:
                raise NotFoundError(f"There is no reply {inbound_id}.")
            if row.patient_id is None:
                raise InvalidInputError(
                    "This reply is from a number that is not on file; add the patient first."
                )
            phone = parse_phone(friend_phone, clinic_row(session).country) if friend_phone else None
            referral = Referral(
                referrer_id=row.patient_id,
                prospect_name=name[:200],
                prospect_phone=phone,
                channel="sms",
                status="introduced",
                created_at=now,
                created_by=actor.staff_id,
            )
            session.add(referral)
            session.flush()
            session.add(
                ReferralEvent(
                    referral_id=referral.id,
                    from_status=None,
                    to_status="introduced",
                    at=now,
                    staff_id=actor.staff_id,
                    reason=f"From a text reply: {row.body[:200]}",
                )
            )
            row.handled_at, row.handled_by = row.handled_at or now, actor.staff_id
            audit.record(
                session,
                actor,
                "referral.introduce",
                "referral",
                referral.id,
                at=now,
                after={"prospect_name": name, "from_reply": row.id},
            )
            return referral.id

    def unhandled_count(self) -> int:
        with self._ctx.db.read() as session:
            return int(
                session.scalar(
                    select(func.count(InboundMessage.id)).where(
                        InboundMessage.handled_at.is_(None), NEEDS_DESK
                    )
                )
                or 0
            )


def _fill_held(
    session: Session, now: datetime, row: OutboxMessage, patient: Patient | None
) -> None:
    """A held text is still a template for what was missing: fill it from today's facts."""
    facts = patient_values(session, now, patient) if patient else clinic_values(session)
    missing = missing_in(row.body, facts)
    if missing:
        raise ConflictError(f"This text still can't go. {missing_problem(missing)}")
    row.body = render(row.body, facts)
    info = analyze(row.body)
    row.segments, row.encoding = info.segments, info.encoding


def _outbox_row(message: OutboxMessage, patient: Patient | None) -> OutboxRow:
    state = st.STATE_WORDS.get(message.status, message.status)
    if message.status == st.PENDING and message.in_doubt:
        state = "Checking with Twilio"
    elif message.status == st.PENDING and message.attempts:
        state = "Retrying"
    elif message.status == st.FAILED and message.error_code == MISSING_VALUE:
        state = "Held"
    waiting = message.status in st.WAITING
    return OutboxRow(
        id=message.id,
        patient_id=message.patient_id,
        patient_name=_name(patient),
        to=mask_phone(message.to_phone),
        kind=message.kind,
        kind_label=KINDS[message.kind].label if message.kind in KINDS else message.kind,
        status=message.status,
        state=state,
        body=message.body,
        segments=message.segments,
        encoding=message.encoding,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at if waiting else None,
        created_at=message.created_at,
        sent_at=message.sent_at,
        error=message.error_text,
    )
