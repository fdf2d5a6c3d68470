"""The append-only ledger and the reward states it moves through.

A reward row holds a cached ``remaining_minor`` that always equals the sum of its ledger
entries (the database refuses a negative one); balances are derived from those rows. Entries
are only ever added, never changed or deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from frontdesk.domain.money import format_money
from frontdesk.domain.reward_program import RewardKind
from frontdesk.services.records import audit
from frontdesk.services.records.context import Actor
from frontdesk.store.models import LedgerEntry, Reward

HELD = "held"
PENDING = "pending_approval"
AVAILABLE = "available"
REDEEMED = "redeemed"
EXPIRED = "expired"
REVERSED = "reversed"
CANCELLED = "cancelled"

OPEN = (HELD, PENDING, AVAILABLE)  # still worth something to the patient
CLOSED = (REDEEMED, EXPIRED, REVERSED, CANCELLED)
NOT_COUNTED = (REVERSED, CANCELLED)  # never reached the patient: not counted against caps


def describe(reward: Reward) -> str:
    """What the reward is, in words: "£20.00 credit", "15% off the next session", an item."""
    if reward.kind == RewardKind.CREDIT:
        return f"{format_money(reward.amount_minor, reward.currency)} credit"
    if reward.kind == RewardKind.PERCENT:
        return f"{reward.percent}% off the next session"
    return reward.item_name or "a free item"


def add_entry(
    session: Session,
    reward: Reward,
    entry_type: str,
    amount_minor: int,
    *,
    now: datetime,
    actor: Actor,
    reason: str | None = None,
    visit_id: int | None = None,
) -> LedgerEntry:
    entry = LedgerEntry(
        reward_id=reward.id,
        patient_id=reward.patient_id,
        entry_type=entry_type,
        amount_minor=amount_minor,
        at=now,
        staff_id=actor.staff_id,
        visit_id=visit_id,
        reason=reason,
    )
    reward.remaining_minor += amount_minor
    session.add(entry)
    return entry


def close(
    session: Session,
    reward: Reward,
    status: str,
    entry_type: str,
    *,
    now: datetime,
    actor: Actor,
    reason: str,
) -> None:
    """End a reward that is still open: write off what is left and record why."""
    add_entry(
        session, reward, entry_type, -reward.remaining_minor, now=now, actor=actor, reason=reason
    )
    reward.note = reason
    set_status(session, reward, status, now=now, actor=actor, why=reason)


def set_status(
    session: Session, reward: Reward, status: str, *, now: datetime, actor: Actor, why: str
) -> None:
    before = reward.status
    reward.status = status
    audit.record(
        session,
        actor,
        f"reward.{status}",
        "reward",
        reward.id,
        at=now,
        before={"status": before},
        after={"status": status},
        reason=why,
    )
