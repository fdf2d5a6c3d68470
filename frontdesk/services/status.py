"""What the status bar and navigation counts need: one cheap query each."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from frontdesk.services.messaging.messages import NEEDS_DESK
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.records.dto import DeskStatus
from frontdesk.store.models import FraudFlag, InboundMessage, OutboxMessage, SyncState

LAST_SYNC = "last_sync"


class StatusService:
    def __init__(
        self, ctx: ServiceContext, sms_configured: bool | Callable[[], bool] = False
    ) -> None:
        self._ctx = ctx
        self._sms_configured = (
            sms_configured if callable(sms_configured) else (lambda: bool(sms_configured))
        )

    def desk_status(self) -> DeskStatus:
        with self._ctx.db.read() as session:
            waiting = session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.status.in_(("pending", "sending"))
                )
            )
            failed = session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "failed")
            )
            replies = session.scalar(
                select(func.count(InboundMessage.id)).where(
                    InboundMessage.handled_at.is_(None), NEEDS_DESK
                )
            )
            flags = session.scalar(
                select(func.count(FraudFlag.id)).where(FraudFlag.status == "open")
            )
            sync = session.get(SyncState, LAST_SYNC)
            return DeskStatus(
                waiting_messages=waiting or 0,
                failed_messages=failed or 0,
                unhandled_replies=replies or 0,
                open_flags=flags or 0,
                last_sync=sync.updated_at if sync else None,
                sms_configured=self._sms_configured(),
                timezone=clinic_row(session).timezone,
            )
