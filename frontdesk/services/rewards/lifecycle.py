"""What happens to issued rewards later: holds end, reviews decide, visits are reversed,
credit expires. Each function works in the caller's session and returns notes for the desk."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.referral_stages import Stage
from frontdesk.services.records.context import Actor
from frontdesk.services.records.referral_stage import lock_referral
from frontdesk.services.rewards.issue import Issuer
from frontdesk.services.rewards.ledger import (
    AVAILABLE,
    CANCELLED,
    EXPIRED,
    HELD,
    OPEN,
    PENDING,
    REVERSED,
    close,
    set_status,
)
from frontdesk.store.models import Patient, Referral, Reward


def _open_rewards(session: Session, referral_id: int, statuses: tuple[str, ...]) -> list[Reward]:
    return list(
        session.scalars(
            select(Reward)
            .where(Reward.referral_id == referral_id, Reward.status.in_(statuses))
            .order_by(Reward.id)
            .with_for_update()
        )
    )


def make_available(issuer: Issuer, reward: Reward, why: str) -> str:
    """A reward becomes usable: status, audit, and the patient's text."""
    set_status(issuer.session, reward, AVAILABLE, now=issuer.now, actor=issuer.actor, why=why)
    patient = issuer.session.get_one(Patient, reward.patient_id)
    if reward.role == "new_patient" and not reward.voucher_code:
        return f"{patient.first_name} can now use {issuer.money(reward)}."
    sent = issuer.notify(reward, patient)
    return f"{patient.first_name} can now use {issuer.money(reward)}; {sent}."


def release_due(issuer: Issuer, patient_id: int | None = None) -> list[str]:
    """Rewards whose hold period is over (and whose referral is not under review) become usable."""
    query = (
        select(Reward)
        .outerjoin(Referral, Referral.id == Reward.referral_id)
        .where(Reward.status == HELD, Reward.usable_from <= issuer.now)
        .where((Referral.id.is_(None)) | (Referral.status != Stage.FLAGGED))
        .order_by(Reward.id)
        .with_for_update(of=Reward)
    )
    if patient_id is not None:
        query = query.where(Reward.patient_id == patient_id)
    notes = []
    touched: set[int] = set()
    for reward in issuer.session.scalars(query).all():
        notes.append(make_available(issuer, reward, "hold period over"))
        if reward.referral_id:
            touched.add(reward.referral_id)
    for referral_id in sorted(touched):
        issuer.refresh_stage(lock_referral(issuer.session, referral_id))
    return notes


def hold_for_review(issuer: Issuer, referral: Referral) -> list[str]:
    """A flag was raised: rewards already usable wait for the owner's decision."""
    notes = []
    for reward in _open_rewards(issuer.session, referral.id, (AVAILABLE,)):
        set_status(
            issuer.session,
            reward,
            HELD,
            now=issuer.now,
            actor=issuer.actor,
            why="referral flagged for review",
        )
        patient = issuer.session.get_one(Patient, reward.patient_id)
        notes.append(f"{patient.first_name}'s {issuer.money(reward)} is held for review.")
    return notes


def release_after_review(issuer: Issuer, referral: Referral) -> list[str]:
    """The owner approved: issue anything the referral earned meanwhile, release the rest."""
    notes = issuer.settle(referral)
    for reward in _open_rewards(issuer.session, referral.id, (HELD, PENDING)):
        if reward.usable_from <= issuer.now:
            notes.append(make_available(issuer, reward, "flag approved"))
        elif reward.status == PENDING:
            set_status(
                issuer.session,
                reward,
                HELD,
                now=issuer.now,
                actor=issuer.actor,
                why="flag approved; hold period running",
            )
    issuer.refresh_stage(referral)
    return notes


def end_rewards(issuer: Issuer, referral: Referral, *, reversed_: bool, reason: str) -> list[str]:
    """Take back what the referral's rewards still hold: rejected review or reversed visit.

    Credit already redeemed stays redeemed (it cannot be taken back); only what is left is
    written off, with the reason in the ledger.
    """
    status = REVERSED if reversed_ else CANCELLED
    notes = []
    for reward in _open_rewards(issuer.session, referral.id, OPEN):
        patient = issuer.session.get_one(Patient, reward.patient_id)
        used = reward.amount_minor - reward.remaining_minor
        close(
            issuer.session,
            reward,
            status,
            "reversed",
            now=issuer.now,
            actor=issuer.actor,
            reason=reason,
        )
        what = issuer.money(reward)
        if used:
            notes.append(
                f"{patient.first_name} had already used part of {what}; the rest was taken back."
            )
        else:
            notes.append(f"{patient.first_name}'s {what} was taken back.")
    spent = issuer.session.scalars(
        select(Reward).where(Reward.referral_id == referral.id, Reward.status == "redeemed")
    ).all()
    for reward in spent:
        patient = issuer.session.get_one(Patient, reward.patient_id)
        notes.append(
            f"{patient.first_name} already used {issuer.money(reward)}; it cannot be taken back."
        )
    return notes


def expire_due(session: Session, now: datetime, actor: Actor) -> int:
    """Credit past its expiry date is written off (an 'expired' ledger entry for the rest)."""
    rewards = session.scalars(
        select(Reward)
        .where(Reward.status.in_(OPEN), Reward.expires_at.is_not(None), Reward.expires_at <= now)
        .order_by(Reward.id)
        .with_for_update()
    ).all()
    for reward in rewards:
        close(
            session,
            reward,
            EXPIRED,
            "expired",
            now=now,
            actor=actor,
            reason=f"expired on {reward.expires_at:%Y-%m-%d}",
        )
    return len(rewards)
