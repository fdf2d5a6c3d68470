"""Referrals: the list with its filters, each referral's history, and the desk's own moves
(booking, cancelling, overriding a block, expiring the stale ones). Attendance arrives from
check-in through ``on_visit_attended``, in the check-in's transaction."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.referral_stages import Stage, parse_stage, stage_of
from frontdesk.services.records.clinic import setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.effects import VisitAttended, VisitReversed
from frontdesk.services.records.referral_stage import lock_referral, lock_referral_of, move
from frontdesk.services.rewards.dto import ReferralEventView, ReferralRow, RewardView
from frontdesk.services.rewards.issue import Issuer
from frontdesk.services.rewards.ledger import NOT_COUNTED, describe
from frontdesk.services.rewards.service import reverses_first_visit
from frontdesk.services.rewards.views import patient_refs, reward_views, staff_names
from frontdesk.store.models import FraudFlag, Referral, ReferralEvent, Reward, Visit

ATTENDABLE = (Stage.INTRODUCED, Stage.BOOKED, Stage.CANCELLED)
EXPIRABLE = (Stage.INTRODUCED, Stage.BOOKED)
MAX_ROWS = 5000
# A booking recorded late (the friend booked by phone last week) or far ahead, not 1900.
BOOKING_PAST = timedelta(days=60)
BOOKING_AHEAD = timedelta(days=2 * 366)


@dataclass(frozen=True)
class ReferralDetail:
    referral: ReferralRow
    events: tuple[ReferralEventView, ...]
    rewards: tuple[RewardView, ...]
    flag_ids: tuple[int, ...]


class ReferralService:
    def __init__(self, ctx: ServiceContext, rng: random.Random | None = None) -> None:
        self._ctx = ctx
        self._rng = rng or random.SystemRandom()

    # -- reading -----------------------------------------------------------------------------
    def list(
        self,
        status: str | None = None,
        *,
        referrer_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        patient_ids: Sequence[int] | None = None,
        prospect: str | None = None,
        limit: int = MAX_ROWS,
    ) -> list[ReferralRow]:
        """Newest first. ``patient_ids`` keeps referrals where they are referrer or friend;
        ``prospect`` (with it) also keeps friends only named so far ("Anna")."""
        query = select(Referral).order_by(Referral.created_at.desc(), Referral.id.desc())
        if status:
            query = query.where(Referral.status == parse_stage(status).value)
        if referrer_id is not None:
            query = query.where(Referral.referrer_id == referrer_id)
        if since is not None:
            query = query.where(Referral.created_at >= since)
        if until is not None:
            query = query.where(Referral.created_at < until)
        if patient_ids is not None:
            ids = list(patient_ids)[:500]
            people = [Referral.referrer_id.in_(ids), Referral.referee_id.in_(ids)]
            if prospect and prospect.strip():
                named = prospect.strip()
                people.append(Referral.prospect_name.icontains(named, autoescape=True))
            query = query.where(or_(*people))
        with self._ctx.db.read() as session:
            return _rows(session, list(session.scalars(query.limit(limit))))

    def get(self, referral_id: int) -> ReferralRow:
        with self._ctx.db.read() as session:
            return _rows(session, [_get(session, referral_id)])[0]

    def detail(self, referral_id: int) -> ReferralDetail:
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            referral = _get(session, referral_id)
            names = staff_names(session)
            events = tuple(
                ReferralEventView(
                    at=e.at,
                    from_status=e.from_status,
                    to_status=e.to_status,
                    by=names.get(e.staff_id, "Owner"),
                    reason=e.reason,
                )
                for e in session.scalars(
                    select(ReferralEvent)
                    .where(ReferralEvent.referral_id == referral_id)
                    .order_by(ReferralEvent.at, ReferralEvent.id)
                )
            )
            rewards = session.scalars(
                select(Reward).where(Reward.referral_id == referral_id).order_by(Reward.id)
            ).all()
            flags = session.scalars(
                select(FraudFlag.id).where(FraudFlag.referral_id == referral_id)
            ).all()
            return ReferralDetail(
                _rows(session, [referral])[0],
                events,
                tuple(reward_views(session, list(rewards), now)),
                tuple(flags),
            )

    def stage_counts(self) -> dict[str, int]:
        with self._ctx.db.read() as session:
            rows = session.execute(
                select(Referral.status, func.count(Referral.id)).group_by(Referral.status)
            )
            return {status: count for status, count in rows}

    # -- the desk's moves --------------------------------------------------------------------
    def book(
        self,
        actor: Actor,
        referral_id: int,
        *,
        booked_for: datetime | None = None,
        reason: str | None = None,
    ) -> tuple[ReferralRow, list[str]]:
        """The friend booked ("booked for Thursday"); with a booking trigger, rewards follow."""
        now = self._ctx.clock.now()
        if booked_for is not None and booked_for.tzinfo is None:
            raise InvalidInputError("Give the appointment with its time zone.")
        if booked_for is not None and not (now - BOOKING_PAST <= booked_for <= now + BOOKING_AHEAD):
            raise InvalidInputError(
                f"An appointment on {booked_for:%d %b %Y} is not believable: give a date from "
                f"{now - BOOKING_PAST:%d %b %Y} to {now + BOOKING_AHEAD:%d %b %Y}."
            )
        with self._ctx.db.begin() as session:
            referral = lock_referral(session, referral_id)
            move(session, referral, Stage.BOOKED, actor=actor, now=now, reason=reason, system=True)
            referral.booked_at = now
            referral.booked_for = booked_for
            notes = Issuer.for_session(session, now, actor, self._rng).settle(referral)
            session.flush()
            return _rows(session, [referral])[0], notes

    def cancel(self, actor: Actor, referral_id: int, reason: str) -> ReferralRow:
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            referral = lock_referral(session, referral_id)
            if Stage(referral.status) in (Stage.ATTENDED, Stage.REWARDED):
                raise InvalidInputError(
                    "This friend has already attended. To take the reward back, refund or "
                    "cancel their first visit at check-in."
                )
            move(session, referral, Stage.CANCELLED, actor=actor, now=now, reason=reason)
            session.flush()
            return _rows(session, [referral])[0]

    def override_block(self, actor: Actor, referral_id: int, reason: str) -> ReferralRow:
        """An owner lets a blocked self-referral through, with a written, audited reason."""
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            referral = lock_referral(session, referral_id)
            move(session, referral, Stage.INTRODUCED, actor=actor, now=now, reason=reason)
            referral.override_reason = reason
            if referral.first_visit_id is not None:
                move(
                    session,
                    referral,
                    Stage.ATTENDED,
                    actor=actor,
                    now=now,
                    system=True,
                    reason="first visit already attended",
                )
            Issuer.for_session(session, now, actor, self._rng).settle(referral)
            session.flush()
            return _rows(session, [referral])[0]

    def expire_due(self, actor: Actor) -> int:
        """Introduced or booked friends who did not attend within the window expire."""
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            days = int(setting_value(session, "referral.expiry_days"))
            cutoff = now - timedelta(days=days)
            stale = session.scalars(
                select(Referral)
                .where(
                    Referral.status.in_([s.value for s in EXPIRABLE]),
                    Referral.created_at < cutoff,
                    or_(Referral.booked_for.is_(None), Referral.booked_for < now),
                )
                .order_by(Referral.id)
                .with_for_update()
            ).all()
            for referral in stale:
                move(
                    session,
                    referral,
                    Stage.EXPIRED,
                    actor=actor,
                    now=now,
                    system=True,
                    reason=f"not attended within {days} days",
                )
            return len(stale)

    # -- desk events (in the caller's transaction) -------------------------------------------
    def on_visit_attended(self, event: VisitAttended) -> Sequence[str]:
        referral = lock_referral_of(event.session, event.patient_id)
        if referral is None:
            return []
        stage = stage_of(referral.status, referral.held_status)
        if referral.attended_at is not None and stage != Stage.CANCELLED:
            return []
        if stage not in ATTENDABLE:
            if stage in (Stage.EXPIRED, Stage.REJECTED, Stage.BLOCKED):
                return [f"This patient's referral is {stage.value}: it earns no reward."]
            return []
        visit = event.session.get_one(Visit, event.visit_id)
        move(
            event.session,
            referral,
            Stage.ATTENDED,
            actor=event.actor,
            now=event.now,
            system=True,
            reason=f"first visit: {visit.visit_type}",
        )
        referral.attended_at = visit.at
        referral.first_visit_id = visit.id
        return []

    def on_visit_reversed(self, event: VisitReversed) -> Sequence[str]:
        referral = lock_referral_of(event.session, event.patient_id)
        if referral is None or not reverses_first_visit(referral, event.visit_id):
            return []
        if Stage(referral.status) in (Stage.CANCELLED, Stage.REJECTED, Stage.EXPIRED):
            return []
        move(
            event.session,
            referral,
            Stage.CANCELLED,
            actor=event.actor,
            now=event.now,
            system=True,
            reason=f"first visit {event.reason}".strip(),
        )
        return ["The referral is cancelled with its first visit."]


def _get(session: Session, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise InvalidInputError(f"There is no referral {referral_id}.")
    return referral


def _rows(session: Session, referrals: list[Referral]) -> list[ReferralRow]:
    ids = [r.id for r in referrals]
    people = patient_refs(
        session, [p for r in referrals for p in (r.referrer_id, r.referee_id) if p is not None]
    )
    flags: dict[int, int] = {}
    rewards: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for referral_id, count in session.execute(
            select(FraudFlag.referral_id, func.count(FraudFlag.id))
            .where(FraudFlag.referral_id.in_(chunk), FraudFlag.status == "open")
            .group_by(FraudFlag.referral_id)
        ):
            flags[referral_id] = count
        for reward in session.scalars(
            select(Reward)
            .where(Reward.referral_id.in_(chunk), Reward.status.not_in(NOT_COUNTED))
            .order_by(Reward.id)
        ):
            rewards.setdefault(reward.referral_id or 0, []).append(describe(reward))
    return [
        ReferralRow(
            id=r.id,
            referrer=people.get(r.referrer_id) if r.referrer_id else None,
            referee=people.get(r.referee_id) if r.referee_id else None,
            prospect_name=r.prospect_name,
            professional_name=r.professional_name,
            status=r.status,
            held_status=r.held_status,
            created_at=r.created_at,
            booked_at=r.booked_at,
            booked_for=r.booked_for,
            attended_at=r.attended_at,
            channel=r.channel,
            code_used=r.code_used,
            open_flags=flags.get(r.id, 0),
            rewards=" + ".join(rewards.get(r.id, [])),
        )
        for r in referrals
    ]
