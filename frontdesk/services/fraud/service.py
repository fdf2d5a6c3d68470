"""Fraud flags: the rules run when a referral is attached and when the friend attends; a
flagged referral holds its rewards until an owner approves or rejects it in the review queue.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.domain.errors import ConflictError, InvalidInputError, NotFoundError
from frontdesk.domain.fraud_rules import run_rules
from frontdesk.domain.referral_stages import Stage, can_move
from frontdesk.services.fraud.facts import gather
from frontdesk.services.fraud.views import flag_views
from frontdesk.services.records import audit
from frontdesk.services.records.changes import written
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.effects import ReferralAttached, VisitAttended
from frontdesk.services.records.referral_stage import (
    clean_reason,
    lock_referral,
    lock_referral_of,
    move,
)
from frontdesk.services.rewards.dto import FlagDecision, FlagView
from frontdesk.services.rewards.issue import Issuer
from frontdesk.services.rewards.lifecycle import end_rewards, hold_for_review, release_after_review
from frontdesk.services.rewards.views import day, staff_names
from frontdesk.store.models import FraudFlag, Referral

OPEN, APPROVED, REJECTED = "open", "approved", "rejected"
CHECKED_STAGES = (Stage.INTRODUCED, Stage.BOOKED, Stage.ATTENDED, Stage.FLAGGED)


class FraudService:
    def __init__(self, ctx: ServiceContext, rng: random.Random | None = None) -> None:
        self._ctx = ctx
        self._rng = rng or random.SystemRandom()

    # -- desk events (in the caller's transaction) -------------------------------------------
    def on_referral_attached(self, event: ReferralAttached) -> Sequence[str]:
        referral = lock_referral(event.session, event.referral_id)
        return self.check(event.session, referral, event.now, event.actor)

    def on_visit_attended(self, event: VisitAttended) -> Sequence[str]:
        referral = lock_referral_of(event.session, event.patient_id)
        if referral is None:
            return []
        return self.check(event.session, referral, event.now, event.actor)

    def check(self, session: Session, referral: Referral, now: datetime, actor: Actor) -> list[str]:
        """Run every rule not yet recorded for this referral; flag and hold on a finding."""
        if Stage(referral.status) not in CHECKED_STAGES:
            return []
        facts = gather(session, referral)
        if facts is None:
            return []
        seen = frozenset(
            session.scalars(select(FraudFlag.rule).where(FraudFlag.referral_id == referral.id))
        )
        raised = []
        for finding in run_rules(facts, skip=seen):
            flag = FraudFlag(
                referral_id=referral.id,
                rule=finding.rule,
                explanation=finding.explanation,
                evidence_json=json.dumps(finding.evidence, default=str, sort_keys=True),
                status=OPEN,
                created_at=now,
            )
            try:
                with session.begin_nested():
                    session.add(flag)
                    session.flush()
            except IntegrityError:
                continue  # the other desk raised the same flag a moment ago
            audit.record(
                session,
                actor,
                "flag.raise",
                "fraud_flag",
                flag.id,
                at=now,
                after={"rule": finding.rule, "referral_id": referral.id},
            )
            raised.append(finding.explanation)
        if not raised:
            return []
        notes = [f"Flagged for the owner's review: {text}" for text in raised]
        if referral.status != Stage.FLAGGED and can_move(Stage(referral.status), Stage.FLAGGED):
            move(
                session,
                referral,
                Stage.FLAGGED,
                actor=actor,
                now=now,
                system=True,
                reason=raised[0],
            )
            issuer = Issuer.for_session(session, now, actor, self._rng)
            notes += hold_for_review(issuer, referral)
        return notes

    # -- the review queue --------------------------------------------------------------------
    def queue(self) -> list[FlagView]:
        """Open flags, oldest first: the owner works through them one at a time."""
        return self.list(OPEN)

    def queue_ids(self) -> list[int]:
        """The open flags' ids, oldest first: cheap, for counts and one-at-a-time review."""
        with self._ctx.db.read() as session:
            return list(
                session.scalars(
                    select(FraudFlag.id)
                    .where(FraudFlag.status == OPEN)
                    .order_by(FraudFlag.created_at, FraudFlag.id)
                )
            )

    def list(self, status: str | None = None) -> list[FlagView]:
        if status is not None and status not in (OPEN, APPROVED, REJECTED):
            raise InvalidInputError("A flag is open, approved or rejected.")
        query = select(FraudFlag).order_by(FraudFlag.created_at, FraudFlag.id)
        if status:
            query = query.where(FraudFlag.status == status)
        with self._ctx.db.read() as session:
            return flag_views(session, list(session.scalars(query.limit(2000))))

    def get(self, flag_id: int) -> FlagView:
        with self._ctx.db.read() as session:
            flag = session.get(FraudFlag, flag_id)
            if flag is None:
                raise NotFoundError(f"There is no flag {flag_id}.")
            return flag_views(session, [flag])[0]

    def approve(self, actor: Actor, flag_id: int, reason: str | None = None) -> FlagDecision:
        """The referral is genuine: once no flag on it is open, its rewards are released."""
        actor.require_owner("decide flagged referrals")
        why = clean_reason(reason)
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            flag = self._open_flag(session, flag_id)
            referral = lock_referral(session, flag.referral_id)
            self._decide(session, flag, APPROVED, actor, now, why)
            others = self._other_open(session, flag)
            notes: list[str] = []
            if others:
                notes.append(f"{len(others)} more flag(s) on this referral still to review.")
            elif referral.status == Stage.FLAGGED:
                back = Stage(referral.held_status or Stage.INTRODUCED)
                move(
                    session,
                    referral,
                    back,
                    actor=actor,
                    now=now,
                    reason=f"flag approved{': ' + why if why else ''}",
                )
                issuer = Issuer.for_session(session, now, actor, self._rng)
                notes += release_after_review(issuer, referral)
            changes = written(session)  # flushes, so the view below reads the decision
            view = flag_views(session, [flag])[0]
        return FlagDecision(view, " ".join(["Approved.", *notes]), changes=changes)

    def reject(self, actor: Actor, flag_id: int, reason: str) -> FlagDecision:
        """Not a genuine referral: it is rejected and its rewards are taken back."""
        actor.require_owner("decide flagged referrals")
        why = clean_reason(reason)
        if not why:
            raise InvalidInputError("Say why the referral is rejected: a reason is required.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            flag = self._open_flag(session, flag_id)
            referral = lock_referral(session, flag.referral_id)
            self._decide(session, flag, REJECTED, actor, now, why)
            closed = []
            for other in self._other_open(session, flag):
                self._decide(session, other, REJECTED, actor, now, f"closed with flag {flag.id}")
                closed.append(other.id)
            notes: list[str] = []
            if referral.status == Stage.FLAGGED:
                move(session, referral, Stage.REJECTED, actor=actor, now=now, reason=why)
                issuer = Issuer.for_session(session, now, actor, self._rng)
                notes = end_rewards(issuer, referral, reversed_=False, reason=f"rejected: {why}")
            changes = written(session)  # flushes, so the view below reads the decision
            view = flag_views(session, [flag])[0]
        return FlagDecision(view, " ".join(["Rejected.", *notes]), tuple(closed), changes)

    # -- helpers -----------------------------------------------------------------------------
    def _open_flag(self, session: Session, flag_id: int) -> FraudFlag:
        flag = session.scalar(
            select(FraudFlag)
            .where(FraudFlag.id == flag_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if flag is None:
            raise NotFoundError(f"There is no flag {flag_id}.")
        if flag.status != OPEN:
            who = staff_names(session).get(flag.decided_by, "Owner")
            when = day(session, flag.decided_at) if flag.decided_at else "earlier"
            raise ConflictError(
                f"Flag {flag_id} was already {flag.status} by {who} on {when}; "
                "a decision is not made twice."
            )
        return flag

    def _other_open(self, session: Session, flag: FraudFlag) -> list[FraudFlag]:
        return list(
            session.scalars(
                select(FraudFlag)
                .where(
                    FraudFlag.referral_id == flag.referral_id,
                    FraudFlag.id != flag.id,
                    FraudFlag.status == OPEN,
                )
                .with_for_update()
            )
        )

    def _decide(
        self,
        session: Session,
        flag: FraudFlag,
        status: str,
        actor: Actor,
        now: datetime,
        reason: str | None,
    ) -> None:
        flag.status = status
        flag.decided_at = now
        flag.decided_by = actor.staff_id
        flag.decision_reason = reason
        audit.record(
            session,
            actor,
            f"flag.{status}",
            "fraud_flag",
            flag.id,
            at=now,
            before={"status": OPEN},
            after={"status": status},
            reason=reason,
        )
