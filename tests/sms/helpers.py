"""Small helpers shared by the SMS tests."""

from __future__ import annotations

from frontdesk.services.bundle import Services
from frontdesk.services.messaging.outbox import Queued, enqueue
from frontdesk.store.models import OutboxMessage, Patient


def queue(
    sms: Services,
    patient_id: int,
    kind: str = "reward_earned",
    *,
    marketing: bool = False,
    variables: dict[str, str] | None = None,
) -> Queued:
    with sms.ctx.db.begin() as session:
        patient = session.get(Patient, patient_id)
        assert patient is not None
        return enqueue(
            session,
            sms.ctx.clock.now(),
            patient=patient,
            kind=kind,
            variables=variables or {"referrer_reward": "£20 credit", "friend_name": "Tom"},
            cause="test",
            marketing=marketing,
        )


def message(sms: Services, message_id: int) -> OutboxMessage:
    with sms.ctx.db.read() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        session.expunge(row)
        return row
