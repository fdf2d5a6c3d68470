"""Claiming the next due text for sending: the row goes ``sending`` before any POST.

Written as two Core statements (one SELECT joined to the patient, one UPDATE) rather than
ORM loads: it runs once per text, so at 10k queued texts the ORM's per-row cost was most of
the sync's own time. The rules are unchanged — a blocked patient's text is cancelled (unless
it is in doubt: that one is reconciled first), quiet hours push it to their end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from frontdesk.domain import outbox_states as st
from frontdesk.domain.guardrails import Policy, in_quiet_hours, quiet_hours_end
from frontdesk.store.base import UTCDateTime
from frontdesk.store.models import OutboxMessage, Patient


@dataclass(frozen=True)
class Claimed:
    id: int
    in_doubt: bool
    to: str
    body: str
    segments: int


def blocked_reason(
    erased_at: datetime | None, opted_out_at: datetime | None, phone_invalid: bool | None
) -> str | None:
    """Why a patient may no longer be texted, in words (None: they may)."""
    if erased_at is not None:
        return "The patient's data was erased."
    if opted_out_at is not None:
        return "The patient opted out (texted STOP) before it was sent."
    if phone_invalid:
        return "The patient's number is marked invalid."
    return None


_m, _p = OutboxMessage, Patient
# Built once: constructing a statement costs more than running it on SQLite.
_DUE = (
    select(_m.id, _m.in_doubt, _m.to_phone, _m.body, _m.segments, _m.patient_id,
           _p.erased_at, _p.opted_out_at, _p.phone_invalid)
    .outerjoin(_p, _p.id == _m.patient_id)
    .where(_m.status == st.PENDING, _m.next_attempt_at <= bindparam("now", type_=UTCDateTime()))
    .order_by(_m.next_attempt_at, _m.id)
    .limit(1)
    .with_for_update(skip_locked=True, of=_m)
)  # fmt: skip
_THIS = update(_m).where(_m.id == bindparam("message_id"))
_CANCEL = _THIS.values(status=st.CANCELLED, error_text=bindparam("why"))
_LATER = _THIS.values(next_attempt_at=bindparam("later", type_=UTCDateTime()))
_CLAIM = _THIS.values(
    status=st.SENDING,
    claimed_at=bindparam("now", type_=UTCDateTime()),
    last_attempt_at=bindparam("now", type_=UTCDateTime()),
    claimed_by=bindparam("holder"),
    from_phone=bindparam("from_number"),
    attempts=_m.attempts + 1,
)


def claim_next(
    session: Session, now: datetime, policy: Policy, holder: str, from_number: str
) -> tuple[Claimed | None, int]:
    """The next due text, now claimed (or None when none is due), and how many were cancelled."""
    db = session.connection()
    quiet = in_quiet_hours(now, policy)
    cancelled = 0
    while True:
        row = db.execute(_DUE, {"now": now}).first()
        if row is None:
            return None, cancelled
        blocked = blocked_reason(row.erased_at, row.opted_out_at, row.phone_invalid)
        if blocked and not row.in_doubt:
            db.execute(_CANCEL, {"message_id": row.id, "why": blocked})
            cancelled += 1
            continue
        if quiet and row.patient_id is not None:
            db.execute(_LATER, {"message_id": row.id, "later": quiet_hours_end(now, policy)})
            continue
        db.execute(
            _CLAIM, {"message_id": row.id, "now": now, "holder": holder, "from_number": from_number}
        )
        return Claimed(row.id, bool(row.in_doubt), row.to_phone, row.body, row.segments), cancelled
