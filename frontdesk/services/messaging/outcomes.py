"""Recording what Twilio said about a message, and what it means for the patient.

An invalid number marks the patient's phone invalid (the desk sees it on the card); an
opted-out number (21610) marks the patient opted out with a consent entry. Each outcome is
one small transaction so a crash never leaves a half-recorded send.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import Integer, bindparam, func, update
from sqlalchemy.orm import Session

from frontdesk.domain import outbox_states as st
from frontdesk.services.records import audit
from frontdesk.sms import twilio_errors as te
from frontdesk.sms.gateway import ProviderMessage
from frontdesk.store.base import UTCDateTime
from frontdesk.store.models import OutboxMessage, Patient


def _price_minor(price: str | None) -> int | None:
    if not price:
        return None
    try:
        return int((abs(Decimal(price)) * 100).quantize(Decimal(1)))
    except InvalidOperation:
        return None


_m = OutboxMessage
_ACCEPTED = (
    update(_m)
    .where(_m.id == bindparam("message_id"))
    .values(
        provider_sid=bindparam("sid"),
        provider_status=bindparam("provider_status"),
        status=bindparam("state"),
        sent_at=bindparam("sent", type_=UTCDateTime()),
        in_doubt=False,
        error_code=None,
        error_text=None,
        segments=func.coalesce(bindparam("num_segments", type_=Integer()), _m.segments),
        price_minor=func.coalesce(bindparam("price", type_=Integer()), _m.price_minor),
    )
)


def record_sent(session: Session, now: datetime, message_id: int, result: ProviderMessage) -> None:
    status = st.from_provider(result.status)
    if status not in (st.FAILED, st.UNDELIVERED, st.CANCELLED):
        # The usual outcome (accepted) is one prebuilt UPDATE: it runs once per text sent.
        done = session.connection().execute(
            _ACCEPTED,
            {
                "message_id": message_id,
                "sid": result.sid,
                "provider_status": result.status,
                "state": status,
                "sent": result.date_created or now,
                "num_segments": result.num_segments or None,
                "price": _price_minor(result.price) or None,
            },
        )
        assert done.rowcount == 1, f"outbox message {message_id} is gone"
        return
    row = session.get(OutboxMessage, message_id)
    assert row is not None
    row.provider_sid = result.sid
    row.provider_status = result.status
    row.status = st.from_provider(result.status)
    if row.status == st.CANCELLED:  # Twilio cancelled a scheduled message: keep it as failed
        row.status = st.FAILED
    row.sent_at = result.date_created or now
    row.in_doubt = False
    row.error_code, row.error_text = None, None
    if result.num_segments:
        row.segments = result.num_segments
    row.price_minor = _price_minor(result.price) or row.price_minor
    if row.status in (st.FAILED, st.UNDELIVERED):
        _delivery_error(session, now, row, result)


def record_failure(
    session: Session, now: datetime, row: OutboxMessage, code: int | None, words: str
) -> None:
    """A permanent refusal at send time."""
    row.status = st.FAILED
    row.in_doubt = False
    row.error_code = str(code) if code else None
    row.error_text = words
    described = te.SEND_ERRORS.get(code or 0)
    if described is not None:
        _consequence(session, now, row, described.consequence)


def record_delivery(
    session: Session, now: datetime, message_id: int, fresh: ProviderMessage
) -> bool:
    """Apply a refreshed status; True when something changed."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        return False
    state = st.from_provider(fresh.status)
    changed = fresh.status != row.provider_status
    row.provider_status = fresh.status
    row.price_minor = _price_minor(fresh.price) or row.price_minor
    if fresh.num_segments:
        row.segments = fresh.num_segments
    if state != row.status and st.can_move(row.status, state):
        row.status = state
        if state == st.DELIVERED:
            row.delivered_at = fresh.date_sent or now
        if state in (st.UNDELIVERED, st.FAILED):
            _delivery_error(session, now, row, fresh)
        changed = True
    return changed


def _delivery_error(
    session: Session, now: datetime, row: OutboxMessage, fresh: ProviderMessage
) -> None:
    described = te.describe_delivery_error(fresh.error_code, fresh.error_message)
    row.error_code = str(fresh.error_code) if fresh.error_code else None
    row.error_text = described.words
    _consequence(session, now, row, described.consequence)


def _consequence(session: Session, now: datetime, row: OutboxMessage, consequence: str) -> None:
    if not consequence or row.patient_id is None:
        return
    patient = session.get(Patient, row.patient_id)
    if patient is None or patient.phone_e164 != row.to_phone:
        return  # the number has changed since: the new one is not known to be bad
    from frontdesk.services.messaging.inbound import SYNC_ACTOR, opt_out

    if consequence == te.PHONE_INVALID and not patient.phone_invalid:
        patient.phone_invalid = True
        audit.record(
            session,
            SYNC_ACTOR,
            "patient.phone_invalid",
            "patient",
            patient.id,
            at=now,
            after={"phone_invalid": True},
            reason=row.error_text,
        )
    elif consequence == te.OPTED_OUT:
        opt_out(session, now, patient, None)
