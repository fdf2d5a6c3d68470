"""Why a redemption is refused, in words for the desk: what the patient has, and why it
can't be used right now (on hold, waiting for approval, expired, taken back)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.errors import RuleRefusedError
from frontdesk.domain.reward_program import RewardKind
from frontdesk.services.rewards.issue import Issuer
from frontdesk.services.rewards.ledger import (
    AVAILABLE,
    CANCELLED,
    EXPIRED,
    HELD,
    PENDING,
    REDEEMED,
    REVERSED,
)
from frontdesk.services.rewards.views import day
from frontdesk.store.models import Patient, Reward


def check_usable(session: Session, reward: Reward, issuer: Issuer) -> None:
    """Refuse to use a single reward (an offer or voucher) that is not usable now."""
    name = session.get_one(Patient, reward.patient_id).first_name
    what = issuer.money(reward)
    now = issuer.now
    if reward.status == AVAILABLE and reward.expires_at and reward.expires_at <= now:
        raise RuleRefusedError(
            f"{name}'s {what} expired on {day_text(reward.expires_at, issuer.zone)}."
        )
    if reward.status == AVAILABLE and reward.usable_from > now:
        raise RuleRefusedError(
            f"{name}'s {what} is usable from {day_text(reward.usable_from, issuer.zone)}."
        )
    messages = {
        REDEEMED: f"{name}'s {what} has already been used.",
        EXPIRED: f"{name}'s {what} has expired.",
        REVERSED: f"{name}'s {what} was taken back ({reward.note or 'reversed'}).",
        CANCELLED: f"{name}'s {what} was cancelled ({reward.note or 'declined'}).",
        HELD: f"{name}'s {what} is on hold and can't be used yet.",
        PENDING: f"{name}'s {what} is waiting for an owner's approval.",
    }
    if reward.status in messages:
        raise RuleRefusedError(messages[reward.status])


def not_enough(
    session: Session,
    patient: Patient,
    amount: int,
    total: int,
    money: Callable[[int], str],
    now: datetime,
) -> str:
    """Why ``amount`` can't be redeemed: the balance, or what stops the credit being used."""
    name = patient.first_name
    if total:
        return f"{name} has {money(total)} credit available; {money(amount)} is more than that."
    rows = list(
        session.scalars(
            select(Reward)
            .where(Reward.patient_id == patient.id, Reward.kind == RewardKind.CREDIT)
            .order_by(Reward.issued_at.desc())
        )
    )
    for reward in rows:
        if reward.status in (HELD, PENDING) or (
            reward.status == AVAILABLE and reward.usable_from > now
        ):
            return f"{name}'s {money(reward.amount_minor)} credit is not usable yet " + (
                f"(on hold until {day(session, reward.usable_from)})."
                if reward.status != PENDING
                else "(waiting for an owner's approval)."
            )
    for reward in rows:
        if reward.status == EXPIRED or (reward.expires_at and reward.expires_at <= now):
            return f"{name}'s credit expired on {day(session, reward.expires_at or now)}."
        if reward.status in (REVERSED, CANCELLED):
            return f"{name}'s {money(reward.amount_minor)} credit was taken back ({reward.note})."
    if any(r.status == REDEEMED for r in rows):
        return f"{name} has already used all their credit."
    return f"{name} has no credit to redeem."
