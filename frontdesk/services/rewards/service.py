"""Rewards: issued by desk events, redeemed at checkout, approved by the owner, never negative.

The event handlers (``on_visit_attended``, ``on_referral_attached``, ``on_visit_reversed``)
run inside the check-in's transaction; every other method is one unit of work of its own.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import (
    ConflictError,
    InsufficientCreditError,
    InvalidInputError,
    NotFoundError,
    RuleRefusedError,
)
from frontdesk.domain.money import format_money
from frontdesk.domain.referral_stages import Stage
from frontdesk.domain.reward_program import RewardKind, RewardProgram
from frontdesk.domain.reward_program_fields import FIELDS, describe, with_field
from frontdesk.domain.reward_rules import Credit, allocate
from frontdesk.services.records import audit
from frontdesk.services.records.changes import written
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.effects import ReferralAttached, VisitAttended, VisitReversed
from frontdesk.services.records.referral_stage import clean_reason, lock_referral, lock_referral_of
from frontdesk.services.rewards.dto import ProgramView, Redemption, RewardView, SweepReport
from frontdesk.services.rewards.issue import Issuer
from frontdesk.services.rewards.ledger import CANCELLED, HELD, PENDING, REDEEMED, add_entry, close
from frontdesk.services.rewards.lifecycle import (
    end_rewards,
    expire_due,
    make_available,
    release_due,
)
from frontdesk.services.rewards.program_store import active_program, save_program
from frontdesk.services.rewards.reads import RewardReads
from frontdesk.services.rewards.refusals import check_usable, not_enough
from frontdesk.services.rewards.views import day, is_usable, patient_refs, reward_views, staff_names
from frontdesk.store.models import Patient, Referral, Reward


class RewardService(RewardReads):
    def __init__(self, ctx: ServiceContext, rng: random.Random | None = None) -> None:
        self._ctx = ctx
        self._rng = rng or random.SystemRandom()

    def _issuer(self, session: Session, actor: Actor) -> Issuer:
        return Issuer.for_session(session, self._ctx.clock.now(), actor, self._rng)

    # -- desk events (in the caller's transaction) -------------------------------------------
    def on_visit_attended(self, event: VisitAttended) -> Sequence[str]:
        issuer = Issuer.for_session(event.session, event.now, event.actor, self._rng)
        notes = []
        referral = lock_referral_of(event.session, event.patient_id)
        if referral is not None:
            notes += issuer.settle(referral)
        # The patient at the desk: any credit whose hold just ended is usable at checkout.
        return notes + release_due(issuer, patient_id=event.patient_id)

    def on_referral_attached(self, event: ReferralAttached) -> Sequence[str]:
        issuer = Issuer.for_session(event.session, event.now, event.actor, self._rng)
        referral = lock_referral(event.session, event.referral_id)
        return issuer.issue_voucher(referral) + issuer.settle(referral)

    def on_visit_reversed(self, event: VisitReversed) -> Sequence[str]:
        referral = lock_referral_of(event.session, event.patient_id)
        if referral is None or not reverses_first_visit(referral, event.visit_id):
            return []
        issuer = Issuer.for_session(event.session, event.now, event.actor, self._rng)
        reason = f"first visit {event.reason}".strip()
        return end_rewards(issuer, referral, reversed_=True, reason=reason)

    # -- the program -------------------------------------------------------------------------
    def program(self) -> ProgramView:
        with self._ctx.db.read() as session:
            active = active_program(session)
            names = staff_names(session)
        return _program_view(active.id, active.program, active.saved_at, names, active.saved_by)

    def save_program(self, actor: Actor, program: RewardProgram) -> ProgramView:
        actor.require_owner("change the reward program")
        checked = program.validated()
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            saved = save_program(session, checked, actor, now)
            changes = written(session)
        view = _program_view(saved.id, checked, now, {actor.staff_id: actor.name}, actor.staff_id)
        return replace(view, changes=changes)

    def set_program_field(self, actor: Actor, key: str, raw: str) -> ProgramView:
        actor.require_owner("change the reward program")
        return self.save_program(actor, with_field(self.program().program, key, raw))

    # -- checkout ----------------------------------------------------------------------------
    def redeem(
        self,
        actor: Actor,
        patient_id: int,
        amount_minor: int,
        *,
        bill_minor: int | None = None,
        visit_id: int | None = None,
    ) -> Redemption:
        """Use ``amount_minor`` of the patient's credit, soonest-expiring first."""
        if amount_minor <= 0:
            raise InvalidInputError("Redeem an amount above zero.")
        if bill_minor is not None and bill_minor < 0:
            raise InvalidInputError("The bill cannot be negative.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            issuer = self._issuer(session, actor)
            release_due(issuer, patient_id=patient_id)
            patient = session.get(Patient, patient_id)
            if patient is None or patient.erased_at is not None:
                raise NotFoundError(f"There is no patient {patient_id}.")
            program = issuer.program
            money = lambda minor: format_money(minor, program.currency)  # noqa: E731
            if program.credit_only and bill_minor is not None and amount_minor > bill_minor:
                raise RuleRefusedError(
                    f"{money(amount_minor)} is more than the bill ({money(bill_minor)}): "
                    "rewards are credit for the clinic's services, never cash."
                )
            credits = [r for r in self._credits(session, patient_id) if is_usable(r, now)]
            total = sum(r.remaining_minor for r in credits)
            if amount_minor > total:
                raise InsufficientCreditError(
                    not_enough(session, patient, amount_minor, total, money, now)
                )
            parts = allocate(
                [Credit(r.id, r.remaining_minor, r.expires_at, r.issued_at) for r in credits],
                amount_minor,
            )
            by_id = {r.id: r for r in credits}
            for reward_id, take in parts:
                reward = by_id[reward_id]
                add_entry(
                    session,
                    reward,
                    "redeemed",
                    -take,
                    now=now,
                    actor=actor,
                    reason="redeemed at checkout",
                    visit_id=visit_id,
                )
                if reward.remaining_minor == 0:
                    reward.status = REDEEMED
            audit.record(
                session,
                actor,
                "reward.redeem",
                "patient",
                patient_id,
                at=now,
                after={"amount": amount_minor, "parts": parts, "visit_id": visit_id},
            )
            ref = patient_refs(session, [patient_id])[patient_id]
            changes = written(session)
        left = total - amount_minor
        return Redemption(
            patient=ref,
            redeemed_minor=amount_minor,
            redeemed=money(amount_minor),
            balance_after_minor=left,
            balance_after=money(left),
            parts=tuple(parts),
            message=f"{patient.first_name} used {money(amount_minor)} credit; {money(left)} left.",
            changes=changes,
        )

    def redeem_offer(self, actor: Actor, reward_id: int, visit_id: int | None = None) -> RewardView:
        """Use a percentage, a free item or a voucher (single use: it is spent whole)."""
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            issuer = self._issuer(session, actor)
            reward = self._locked(session, reward_id)
            release_due(issuer, patient_id=reward.patient_id)
            session.refresh(reward)
            check_usable(session, reward, issuer)
            add_entry(
                session,
                reward,
                "redeemed",
                -reward.remaining_minor,
                now=now,
                actor=actor,
                reason="used at checkout",
                visit_id=visit_id,
            )
            reward.status = REDEEMED
            audit.record(
                session,
                actor,
                "reward.redeem",
                "reward",
                reward.id,
                at=now,
                after={"visit_id": visit_id},
            )
            session.flush()
            return reward_views(session, [reward], now)[0]

    # -- the owner's approval queue ----------------------------------------------------------
    def approve(self, actor: Actor, reward_id: int) -> tuple[RewardView, str]:
        actor.require_owner("approve rewards")
        with self._ctx.db.begin() as session:
            issuer = self._issuer(session, actor)
            reward = self._pending(session, reward_id, "approved")
            if reward.usable_from <= issuer.now:
                note = make_available(issuer, reward, "approved by the owner")
            else:
                reward.status = HELD
                audit.record(
                    session,
                    actor,
                    "reward.approve",
                    "reward",
                    reward.id,
                    at=issuer.now,
                    after={"status": HELD},
                )
                note = f"Approved; usable from {day(session, reward.usable_from)}."
            if reward.referral_id:
                issuer.refresh_stage(lock_referral(session, reward.referral_id))
            session.flush()
            return reward_views(session, [reward], issuer.now)[0], note

    def decline(self, actor: Actor, reward_id: int, reason: str) -> RewardView:
        actor.require_owner("decline rewards")
        why = clean_reason(reason)
        if not why:
            raise InvalidInputError("Say why the reward is declined: a reason is required.")
        with self._ctx.db.begin() as session:
            issuer = self._issuer(session, actor)
            reward = self._pending(session, reward_id, "declined")
            close(
                session,
                reward,
                CANCELLED,
                "reversed",
                now=issuer.now,
                actor=actor,
                reason=f"declined: {why}",
            )
            if reward.referral_id:
                issuer.refresh_stage(lock_referral(session, reward.referral_id))
            session.flush()
            return reward_views(session, [reward], issuer.now)[0]

    # -- housekeeping ------------------------------------------------------------------------
    def sweep(self, actor: Actor) -> SweepReport:
        """End holds that are over and write off expired credit (run at start and hourly)."""
        with self._ctx.db.begin() as session:
            issuer = self._issuer(session, actor)
            released = release_due(issuer)
            expired = expire_due(session, issuer.now, actor)
        return SweepReport(
            expired_rewards=expired, released_rewards=len(released), notes=tuple(released)
        )

    # -- helpers -----------------------------------------------------------------------------
    def _credits(self, session: Session, patient_id: int) -> list[Reward]:
        return list(
            session.scalars(
                select(Reward)
                .where(
                    Reward.patient_id == patient_id,
                    Reward.kind == RewardKind.CREDIT,
                    Reward.remaining_minor > 0,
                )
                .order_by(Reward.id)
                .with_for_update()
            )
        )

    def _locked(self, session: Session, reward_id: int) -> Reward:
        reward = session.scalar(select(Reward).where(Reward.id == reward_id).with_for_update())
        if reward is None:
            raise NotFoundError(f"There is no reward {reward_id}.")
        return reward

    def _pending(self, session: Session, reward_id: int, verb: str) -> Reward:
        reward = self._locked(session, reward_id)
        if reward.status != PENDING:
            raise ConflictError(f"Reward {reward_id} is not waiting for approval any more.")
        referral = session.get(Referral, reward.referral_id) if reward.referral_id else None
        if referral is not None and referral.status == Stage.FLAGGED:
            raise RuleRefusedError(
                f"Reward {reward_id} can't be {verb} while its referral is under review: "
                "decide the flag in the review queue first."
            )
        return reward


def reverses_first_visit(referral: Referral, visit_id: int) -> bool:
    """A reversed visit matters if it was the friend's first visit, or their first booking."""
    if referral.first_visit_id is not None:
        return referral.first_visit_id == visit_id
    return referral.status in (Stage.BOOKED, Stage.FLAGGED) and referral.attended_at is None


def _program_view(
    program_id: int | None,
    program: RewardProgram,
    saved_at,  # type: ignore[no-untyped-def]
    names: dict[int | None, str],
    saved_by: int | None,
) -> ProgramView:
    return ProgramView(
        id=program_id,
        program=program,
        fields=describe(program),
        help={f.key: f.help for f in FIELDS},
        saved_at=saved_at,
        saved_by=names.get(saved_by, "Owner") if saved_at else None,
    )


def count_open_approvals(session: Session) -> int:
    return session.scalar(select(func.count(Reward.id)).where(Reward.status == PENDING)) or 0
