"""Replies fetched from Twilio: stored once per SID, understood, and acted on.

STOP-family words opt the patient out (recorded in the consent history, and every text
still waiting for them is cancelled before the send step runs); START/UNSTOP/YES opt back
in; a 4-5 rating leads to a referral ask; 1-3 and anything else go to the desk's inbox,
attached to the patient and to the text they answered.

The poster keyword ("FRIEND", or "FRIEND TREATMENT ROOM 2" as a poster's QR pre-fills it)
answers a patient with their code and link; from a number not on file it creates an
introduction credited to that poster and answers with how to book and the welcome offer.
CREDIT / BALANCE answers a patient with their credit (a few times a day at most), and
never tells an unknown number anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from frontdesk.domain import replies
from frontdesk.domain.outbox_states import CANCELLED, PENDING, SENDING
from frontdesk.domain.templates import BALANCE_REPLY, KEYWORD_REPLY, POSTER_WELCOME
from frontdesk.services.messaging.asks import after_rating
from frontdesk.services.messaging.outbox import enqueue
from frontdesk.services.records import audit
from frontdesk.services.records.context import Actor
from frontdesk.sms.gateway import ProviderMessage
from frontdesk.store.models import (
    ConsentEvent,
    InboundMessage,
    OutboxMessage,
    Patient,
    Poster,
    Referral,
    ReferralEvent,
)

SYNC_ACTOR = Actor(name="SMS sync", role="receptionist")
ANSWERS_PER_DAY = 3  # keyword answers per number and kind: enough for a person, no use to a bot


@dataclass(frozen=True)
class Stored:
    intent: str
    for_desk: bool


def _patient_for(session: Session, phone: str) -> Patient | None:
    return session.scalar(
        select(Patient)
        .where(Patient.phone_e164 == phone, Patient.erased_at.is_(None))
        .order_by(Patient.id.desc())
        .limit(1)
    )


def _answered(session: Session, patient_id: int, before: datetime) -> OutboxMessage | None:
    return session.scalar(
        select(OutboxMessage)
        .where(
            OutboxMessage.patient_id == patient_id,
            OutboxMessage.sent_at.is_not(None),
            OutboxMessage.sent_at <= before,
        )
        .order_by(OutboxMessage.sent_at.desc())
        .limit(1)
    )


def store_reply(
    session: Session, now: datetime, message: ProviderMessage, poster_keyword: str | None
) -> Stored | None:
    """Store and act on one inbound message; None when this SID was stored before."""
    if session.scalar(select(InboundMessage.id).where(InboundMessage.provider_sid == message.sid)):
        return None
    received = message.date_sent or message.date_created or now
    patient = _patient_for(session, message.from_)
    meaning = replies.classify(message.body, poster_keyword)
    answered = _answered(session, patient.id, received) if patient else None
    row = InboundMessage(
        provider_sid=message.sid,
        from_phone=message.from_,
        to_phone=message.to,
        body=message.body,
        received_at=received,
        patient_id=patient.id if patient else None,
        in_reply_to_id=answered.id if answered else None,
        intent=meaning.intent,
        rating=meaning.rating,
    )
    session.add(row)
    session.flush()
    for_desk = _act(session, now, row, patient, meaning)
    if not for_desk:
        row.handled_at = now
    return Stored(meaning.intent, for_desk)


def _act(
    session: Session,
    now: datetime,
    row: InboundMessage,
    patient: Patient | None,
    meaning: replies.ReplyMeaning,
) -> bool:
    """Do what the reply asks; True when a person at the desk should read it."""
    if meaning.intent == replies.OPT_OUT:
        if patient is not None:
            opt_out(session, now, patient, row)
        return False
    if meaning.intent == replies.OPT_IN:
        if patient is not None and patient.opted_out_at is not None:
            patient.opted_out_at = None
            _consent(session, now, patient, "opted_in", row)
        return False
    if meaning.intent == replies.RATING and patient is not None and meaning.rating is not None:
        decision = after_rating(session, now, patient, row, meaning.rating)
        return decision is None  # 1-3 (or no decision): the desk follows up
    if meaning.intent == replies.KEYWORD:
        return _keyword(session, now, row, patient, meaning.rest)
    if meaning.intent == replies.BALANCE and patient is not None:
        _balance(session, now, row, patient)
        return False
    if meaning.intent in (replies.RATING, replies.BALANCE):
        row.intent = replies.TEXT  # from an unknown number: words for the desk
    return True


def poster_for(session: Session, words: tuple[str, ...]) -> Poster | None:
    """The poster whose tag the words start with: "TREATMENT ROOM 2 please" and the QR's own
    "TREATMENT-ROOM-2" both find the "treatment-room-2" poster; the longest tag wins."""
    if not words:
        return None
    by_key = {
        poster.source_tag.replace("-", ""): poster for poster in session.scalars(select(Poster))
    }
    for end in range(len(words), 0, -1):
        poster = by_key.get("".join(words[:end]).lower())
        if poster is not None:
            return poster
    return None


def _keyword(
    session: Session,
    now: datetime,
    row: InboundMessage,
    patient: Patient | None,
    rest: tuple[str, ...],
) -> bool:
    poster = poster_for(session, rest)
    if poster is None and len(rest) > replies.KEYWORD_EXTRA_WORDS:
        row.intent = replies.TEXT  # "Friend of mine wants to book": words for the desk
        return True
    cause = f"keyword:{row.provider_sid}"[:60]
    kind = KEYWORD_REPLY if patient is not None else POSTER_WELCOME
    if patient is None:
        _introduce(session, now, row, poster)
    if _answered_today(session, now, row.from_phone, kind):
        return False  # asked again and again: the earlier answers stand
    enqueue(
        session, now, patient=patient, to_phone=row.from_phone, kind=kind, variables={},
        cause=cause, marketing=False,
    )  # fmt: skip
    return False


def _introduce(session: Session, now: datetime, row: InboundMessage, poster: Poster | None) -> None:
    """An introduction for a stranger who texted the keyword, once per number."""
    known = session.scalar(
        select(Referral.id).where(Referral.prospect_phone == row.from_phone).limit(1)
    )
    if known is not None:
        return
    where = f"the {poster.name} poster" if poster else "a poster"
    referral = Referral(
        prospect_phone=row.from_phone,
        prospect_name=f"New contact from {where}"[:200],
        channel="poster",
        poster_id=poster.id if poster else None,
        status="introduced",
        created_at=row.received_at,
    )
    session.add(referral)
    session.flush()
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            from_status=None,
            to_status="introduced",
            at=row.received_at,
            reason=f"Texted {row.body[:120]!r} from {where}",
        )
    )
    audit.record(
        session, SYNC_ACTOR, "referral.introduce", "referral", referral.id, at=now,
        after={"poster": poster.source_tag if poster else None, "from_reply": row.id},
    )  # fmt: skip


def _answered_today(session: Session, now: datetime, phone: str, kind: str) -> bool:
    answered = session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.to_phone == phone,
            OutboxMessage.kind == kind,
            OutboxMessage.created_at > now - timedelta(days=1),
        )
    )
    return int(answered or 0) >= ANSWERS_PER_DAY


def _balance(session: Session, now: datetime, row: InboundMessage, patient: Patient) -> None:
    if _answered_today(session, now, row.from_phone, BALANCE_REPLY):
        return  # asked again and again: the earlier answers stand
    enqueue(
        session, now, patient=patient, kind=BALANCE_REPLY, variables={},
        cause=f"balance:{row.provider_sid}"[:60], marketing=False,
    )  # fmt: skip


def opt_out(session: Session, now: datetime, patient: Patient, row: InboundMessage | None) -> None:
    if patient.opted_out_at is None:
        patient.opted_out_at = row.received_at if row else now
        _consent(session, now, patient, "opted_out", row)
    # Nothing still waiting may go to someone who said STOP.
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.patient_id == patient.id,
            OutboxMessage.status.in_((PENDING, SENDING)),
            OutboxMessage.provider_sid.is_(None),
            OutboxMessage.in_doubt.is_(False),
        )
        .values(status=CANCELLED, error_text="The patient opted out (texted STOP).")
    )


def _consent(
    session: Session, now: datetime, patient: Patient, kind: str, row: InboundMessage | None
) -> None:
    session.add(
        ConsentEvent(
            patient_id=patient.id,
            kind=kind,
            channel="sms",
            at=row.received_at if row else now,
            inbound_id=row.id if row else None,
        )
    )
    audit.record(
        session,
        SYNC_ACTOR,
        f"consent.{kind}",
        "patient",
        patient.id,
        at=now,
        after={"kind": kind, "channel": "sms"},
    )
