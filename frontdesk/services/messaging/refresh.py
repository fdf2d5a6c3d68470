"""Delivery statuses for recent texts: one paged list call, single fetches only as a fallback.

Listing the clinic's sent messages (From = the clinic's number, sent since the oldest text
still waiting for a final status) costs a request per 100 messages; a text Twilio has not
sent yet has no send date, so it is not in that list and is fetched on its own (a bounded
number per sync).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from frontdesk.domain import outbox_states as st
from frontdesk.services.messaging.outcomes import record_delivery
from frontdesk.services.records.context import ServiceContext
from frontdesk.sms.gateway import GatewayError, ProviderMessage, SmsGateway
from frontdesk.store.models import OutboxMessage

log = logging.getLogger(__name__)

REFRESH_WINDOW = timedelta(days=3)  # after that a text stays 'sent' (Twilio keeps quiet)
REFRESH_LIMIT = 2_000
FETCH_LIMIT = 50  # single fetches per sync for texts not yet in the sent list


def refresh_statuses(
    ctx: ServiceContext,
    gateway: SmsGateway,
    from_number: str,
    probe: Callable[[str, int | None], None],
    should_stop: Callable[[], bool],
) -> int:
    """Apply Twilio's current status to recent 'sent' texts; returns how many changed."""
    since = ctx.clock.now() - REFRESH_WINDOW
    with ctx.db.read() as session:
        rows = session.execute(
            select(OutboxMessage.id, OutboxMessage.provider_sid, OutboxMessage.sent_at)
            .where(
                OutboxMessage.status == st.SENT,
                OutboxMessage.provider_sid.is_not(None),
                OutboxMessage.sent_at >= since,
            )
            .order_by(OutboxMessage.sent_at)
            .limit(REFRESH_LIMIT)
        ).all()
    if not rows:
        return 0
    wanted = {sid: message_id for message_id, sid, _sent in rows}
    fresh: dict[str, ProviderMessage] = {}
    oldest = min(sent for _id, _sid, sent in rows if sent is not None)
    try:
        for message in gateway.list_messages(
            from_=from_number, sent_on_or_after=oldest - timedelta(days=1)
        ):
            if message.sid in wanted:
                fresh[message.sid] = message
                if len(fresh) == len(wanted):
                    break
        for sid in [sid for sid in wanted if sid not in fresh][:FETCH_LIMIT]:
            if should_stop():
                break
            fresh[sid] = gateway.fetch(sid)
    except GatewayError as error:
        log.info("status refresh stopped: %s", error)  # what was read is still applied
    changed = 0
    for sid, message in fresh.items():
        if should_stop():
            break
        probe("refreshing", wanted[sid])
        with ctx.db.begin() as session:
            changed += record_delivery(session, ctx.clock.now(), wanted[sid], message)
    return changed
