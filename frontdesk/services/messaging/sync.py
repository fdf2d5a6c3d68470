"""One sync: fetch replies, apply scheduled asks, send what is due, refresh statuses.

Never double-sends. A message is claimed (``sending``) in a committed transaction before
the POST; its outcome is recorded after it, in the transaction that claims the next message
(one commit per text, not two). A claimed message found after a crash,
or one whose POST failed ambiguously (timeout, dropped connection, 5xx), is marked *in
doubt* and reconciled against Twilio's message list (same To, From and Body, created after
the message was queued, SID not already ours) before it may be sent again. Only the desk
holding the drain lease sends.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain import outbox_states as st
from frontdesk.domain.guardrails import Policy
from frontdesk.domain.phones import mask_phone_for_log
from frontdesk.services.messaging import lease
from frontdesk.services.messaging.asks import run_scheduled
from frontdesk.services.messaging.claim import Claimed, blocked_reason, claim_next
from frontdesk.services.messaging.inbound import store_reply
from frontdesk.services.messaging.outbox import load_policy
from frontdesk.services.messaging.outcomes import record_failure, record_sent
from frontdesk.services.messaging.refresh import refresh_statuses
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.services.records.context import ServiceContext
from frontdesk.sms.gateway import (
    AmbiguousError,
    GatewayError,
    NotSentError,
    ProviderMessage,
    RejectedError,
    SetupError,
    SmsGateway,
)
from frontdesk.sms.rate import RateLimiter
from frontdesk.store.models import OutboxMessage, Patient, SyncState

log = logging.getLogger(__name__)

INBOUND_CURSOR = "inbound_cursor"
LAST_SYNC = "last_sync"
FIRST_LOOKBACK = timedelta(days=3)
CURSOR_OVERLAP = timedelta(days=1)  # Twilio filters by date: re-read a day, dedupe by SID
RECONCILE_SLACK = timedelta(minutes=10)  # clock skew between this PC and Twilio
LEASE_TTL = timedelta(minutes=2)


@dataclass(frozen=True)
class SyncReport:
    ran: bool
    skipped: str | None = None  # why nothing was done (not set up, another desk is sending)
    replies: int = 0
    opt_outs: int = 0
    for_desk: int = 0
    asks: int = 0
    sent: int = 0
    reconciled: int = 0
    failed: int = 0
    retrying: int = 0
    cancelled: int = 0
    statuses: int = 0
    waiting: int = 0
    error: str | None = None  # the problem that stopped this sync, in words

    def summary(self) -> str:
        if not self.ran:
            return self.skipped or "Nothing to do."
        parts = [f"{self.sent} sent"]
        if self.reconciled:
            parts.append(f"{self.reconciled} confirmed already sent")
        if self.replies:
            parts.append(f"{self.replies} new repl{'ies' if self.replies != 1 else 'y'}")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.statuses:
            parts.append(f"{self.statuses} status updates")
        parts.append(f"{self.waiting} waiting")
        text = ", ".join(parts) + "."
        return f"{text} {self.error}" if self.error else text


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


Probe = Callable[[str, int | None], None]


class SyncEngine:
    """Runs syncs for one desk. ``gateway`` is None while SMS is not set up."""

    def __init__(
        self,
        ctx: ServiceContext,
        gateway: SmsGateway | None,
        *,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        holder: str | None = None,
        probe: Probe | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self._ctx = ctx
        self._gateway = gateway
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._monotonic = monotonic
        self.holder = holder or lease.new_holder_id()
        self._probe = probe or (lambda _point, _id: None)
        self._should_stop = should_stop or (lambda: False)

    # -- the whole sync -------------------------------------------------------------------
    def run_once(self) -> SyncReport:
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            clinic = clinic_row(session)
            from_number = clinic.sms_number
        if self._gateway is None or not from_number:
            what = "the Twilio account" if self._gateway is None else "the clinic's SMS number"
            return SyncReport(
                False,
                skipped=f"SMS is not set up ({what} is missing): messages wait in the outbox.",
                waiting=self.waiting(),
            )
        with self._ctx.db.begin() as session:
            other = lease.acquire(session, self.holder, now, LEASE_TTL)
        if other is not None:
            return SyncReport(
                False,
                skipped=f"Another desk ({lease.describe_holder(other)}) is sending messages.",
                waiting=self.waiting(),
            )
        tally = _Tally()
        try:
            self._fetch_replies(from_number, tally)
            self._scheduled_asks(tally)
            if tally.error is None:
                self._send_due(from_number, tally)
            if tally.error is None:
                self._refresh_statuses(from_number, tally)
        finally:
            with self._ctx.db.begin() as session:
                lease.release(session, self.holder, self._ctx.clock.now())
                _touch(session, LAST_SYNC, None, self._ctx.clock.now())
        c = tally.counts
        return SyncReport(
            True,
            replies=c.get("replies", 0),
            opt_outs=c.get("opt_out", 0),
            for_desk=c.get("for_desk", 0),
            asks=c.get("asks", 0),
            sent=c.get("sent", 0),
            reconciled=c.get("reconciled", 0),
            failed=c.get("failed", 0),
            retrying=c.get("retrying", 0),
            cancelled=c.get("cancelled", 0),
            statuses=c.get("statuses", 0),
            waiting=self.waiting(),
            error=tally.error,
        )

    def waiting(self) -> int:
        with self._ctx.db.read() as session:
            return int(
                session.scalar(
                    select(func.count(OutboxMessage.id)).where(
                        OutboxMessage.status.in_(tuple(st.WAITING))
                    )
                )
                or 0
            )

    # -- 1. replies ---------------------------------------------------------------------------
    def _fetch_replies(self, clinic_number: str, tally: _Tally) -> None:
        assert self._gateway is not None
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            row = session.get(SyncState, INBOUND_CURSOR)
            cursor = datetime.fromisoformat(row.value) if row and row.value else None
            keyword = str(setting_value(session, "sms.poster_keyword") or "") or None
        since = (cursor - CURSOR_OVERLAP) if cursor else now - FIRST_LOOKBACK
        newest = cursor
        try:
            for message in self._gateway.list_messages(to=clinic_number, sent_on_or_after=since):
                if message.direction != "inbound":
                    continue
                stamp = message.date_sent or message.date_created
                with self._ctx.db.begin() as session:
                    stored = store_reply(session, self._ctx.clock.now(), message, keyword)
                if stored is not None:
                    tally.add("replies")
                    tally.add(stored.intent)
                    if stored.for_desk:
                        tally.add("for_desk")
                if stamp and (newest is None or stamp > newest):
                    newest = stamp
        except SetupError as error:
            tally.error = str(error)
            return
        except GatewayError as error:
            # Replies wait for the next sync; sending can still be tried (it may work).
            log.info("could not fetch replies: %s", error)
            return
        if newest is not None and newest != cursor:
            with self._ctx.db.begin() as session:
                _touch(session, INBOUND_CURSOR, newest.isoformat(), self._ctx.clock.now())

    # -- 2. scheduled asks --------------------------------------------------------------------
    def _scheduled_asks(self, tally: _Tally) -> None:
        with self._ctx.db.begin() as session:
            tally.add("asks", run_scheduled(session, self._ctx.clock.now()))

    # -- 3. send ------------------------------------------------------------------------------
    def _send_due(self, from_number: str, tally: _Tally) -> None:
        self._recover_claims()
        with self._ctx.db.read() as session:
            rate = int(setting_value(session, "sms.segments_per_second"))
            policy = load_policy(session)  # quiet hours: read once per sync, not per text
        limiter = RateLimiter(rate, self._monotonic, self._sleep)
        renewed = self._monotonic()
        # A text Twilio accepted, recorded with the next claim. A crash before that commit
        # leaves it 'sending', which the next sync reconciles: still never sent twice.
        posted: tuple[int, ProviderMessage] | None = None
        try:
            while not self._should_stop():
                if self._monotonic() - renewed > LEASE_TTL.total_seconds() / 4:
                    if not self._renew_lease():
                        tally.error = "Another desk took over sending."
                        return
                    renewed = self._monotonic()
                claimed = self._claim_next(from_number, policy, tally, posted)
                posted = None
                if claimed is None:
                    return
                outcome = self._send_claimed(claimed, from_number, limiter, tally)
                if outcome is False:
                    return
                posted = outcome if isinstance(outcome, tuple) else None
        finally:
            if posted:
                with self._ctx.db.begin() as session:
                    record_sent(session, self._ctx.clock.now(), *posted)

    def _send_claimed(
        self,
        claimed: Claimed,
        from_number: str,
        limiter: RateLimiter,
        tally: _Tally,
    ) -> tuple[int, ProviderMessage] | bool:
        """Send one claimed text: its result to record, True to go on, False to stop."""
        assert self._gateway is not None
        message_id, in_doubt, to, body = claimed.id, claimed.in_doubt, claimed.to, claimed.body
        self._probe("claimed", message_id)
        if in_doubt:
            found = self._reconcile(message_id, to, from_number, body, tally)
            if found is None:
                return False  # Twilio's list is out of reach: we still do not know
            if found:
                return True
        if in_doubt and self._cancel_if_opted_out(message_id, tally):
            return True
        limiter.wait(claimed.segments)
        try:
            result = self._gateway.send(to, from_number, body)
        except GatewayError as error:
            return not self._after_failure(message_id, error, tally)
        self._probe("posted", message_id)
        tally.add("sent")
        return message_id, result

    def _recover_claims(self) -> None:
        """Messages left 'sending' by a crash are in doubt: reconcile them before resending."""
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            for row in session.scalars(
                select(OutboxMessage).where(OutboxMessage.status == st.SENDING)
            ):
                log.warning("message %s was claimed by %s and not finished", row.id, row.claimed_by)
                row.status, row.in_doubt, row.next_attempt_at = st.PENDING, True, now

    def _claim_next(
        self,
        from_number: str,
        policy: Policy,
        tally: _Tally,
        posted: tuple[int, ProviderMessage] | None,
    ) -> Claimed | None:
        with self._ctx.db.begin() as session:
            now = self._ctx.clock.now()
            if posted is not None:
                record_sent(session, now, *posted)
            claimed, cancelled = claim_next(session, now, policy, self.holder, from_number)
        if cancelled:
            tally.add("cancelled", cancelled)
        return claimed

    def _reconcile(
        self, message_id: int, to: str, from_: str, body: str, tally: _Tally
    ) -> bool | None:
        """Look for this message in Twilio's list: True found (recorded), False absent,
        None when the list could not be read."""
        assert self._gateway is not None
        with self._ctx.db.read() as session:
            row = session.get(OutboxMessage, message_id)
            assert row is not None
            earliest = row.created_at - RECONCILE_SLACK
        try:
            candidates = [
                m
                for m in self._gateway.list_messages(to=to, from_=from_)
                if m.body == body
                and not m.direction.startswith("inbound")
                and (m.date_created is None or m.date_created >= earliest)
            ]
        except GatewayError as error:
            self._after_failure(message_id, NotSentError(str(error)), tally, keep_doubt=True)
            return None
        with self._ctx.db.begin() as session:
            taken = set(
                session.scalars(
                    select(OutboxMessage.provider_sid).where(
                        OutboxMessage.provider_sid.in_([m.sid for m in candidates])
                    )
                )
            )
            ordered = sorted(candidates, key=lambda m: (m.date_created is None, m.date_created))
            match = next((m for m in ordered if m.sid not in taken), None)
            if match is None:
                return False
            record_sent(session, self._ctx.clock.now(), message_id, match)
        log.info(
            "message %s to %s was already sent (%s)", message_id, mask_phone_for_log(to), match.sid
        )
        tally.add("reconciled")
        return True

    def _cancel_if_opted_out(self, message_id: int, tally: _Tally) -> bool:
        with self._ctx.db.begin() as session:
            row = session.get(OutboxMessage, message_id)
            patient = session.get(Patient, row.patient_id) if row and row.patient_id else None
            blocked = _blocked(patient)
            if row is None or not blocked:
                return False
            row.status, row.error_text, row.in_doubt = st.CANCELLED, blocked, False
        tally.add("cancelled")
        return True

    def _after_failure(
        self, message_id: int, error: GatewayError, tally: _Tally, keep_doubt: bool = False
    ) -> bool:
        """Record a failed attempt; True when the send loop should stop for this sync."""
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.get(OutboxMessage, message_id)
            assert row is not None
            if isinstance(error, RejectedError):
                record_failure(session, now, row, error.code, str(error))
                tally.add("failed")
                return False
            if isinstance(error, SetupError):
                row.status, row.attempts = st.PENDING, max(row.attempts - 1, 0)
                row.error_code = str(error.code) if error.code else None
                row.error_text = str(error)
                tally.error = str(error)
                return True
            retry_after = error.retry_after if isinstance(error, NotSentError) else None
            doubt = keep_doubt or row.in_doubt or isinstance(error, AmbiguousError)
            if now - row.created_at > st.GIVE_UP_AFTER and not doubt:
                row.status = st.FAILED
                row.error_text = "Twilio could not be reached for a week; not sent."
                tally.add("failed")
                return False
            row.status, row.in_doubt = st.PENDING, doubt
            row.next_attempt_at = now + st.backoff(row.attempts, self._rng, retry_after)
            row.error_code, row.error_text = None, str(error)
            tally.add("retrying")
            tally.error = str(error)
        return True  # Twilio is down or slow: the rest waits for the next sync

    def _renew_lease(self) -> bool:
        with self._ctx.db.begin() as session:
            return lease.acquire(session, self.holder, self._ctx.clock.now(), LEASE_TTL) is None

    # -- 4. delivery statuses -----------------------------------------------------------------
    def _refresh_statuses(self, from_number: str, tally: _Tally) -> None:
        assert self._gateway is not None
        tally.add(
            "statuses",
            refresh_statuses(self._ctx, self._gateway, from_number, self._probe, self._should_stop),
        )


def _blocked(patient: Patient | None) -> str | None:
    if patient is None:
        return None
    return blocked_reason(patient.erased_at, patient.opted_out_at, patient.phone_invalid)


def _touch(session: Session, name: str, value: str | None, now: datetime) -> None:
    row = session.get(SyncState, name)
    if row is None:
        session.add(SyncState(name=name, value=value, updated_at=now))
    else:
        if value is not None:
            row.value = value
        row.updated_at = now
