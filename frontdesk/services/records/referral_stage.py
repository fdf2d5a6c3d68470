"""Moving a referral between stages: checked, stored with who/when/why, audited.

Every change of a referral's stage, from any module, goes through ``move`` in the caller's
session. Callers lock the referral row first (``lock_referral``) so that two desks racing
over the same referral see each other's result instead of overwriting it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidInputError, NotFoundError
from frontdesk.domain.referral_stages import (
    PROGRESS,
    Stage,
    check_transition,
    needs_owner,
    needs_reason,
)
from frontdesk.services.records import audit
from frontdesk.services.records.context import Actor
from frontdesk.store.models import Referral, ReferralEvent

MAX_REASON = 500


def lock_referral(session: Session, referral_id: int) -> Referral:
    """The referral, read fresh and locked for this transaction (FOR UPDATE on PostgreSQL;
    SQLite writers already hold the database lock from BEGIN IMMEDIATE)."""
    referral = session.scalar(
        select(Referral)
        .where(Referral.id == referral_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if referral is None:
        raise NotFoundError(f"There is no referral {referral_id}.")
    return referral


def lock_referral_of(session: Session, referee_id: int) -> Referral | None:
    return session.scalar(
        select(Referral)
        .where(Referral.referee_id == referee_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def clean_reason(reason: str | None) -> str | None:
    text = " ".join((reason or "").split())
    if len(text) > MAX_REASON:
        raise InvalidInputError(f"Keep the reason under {MAX_REASON} characters.")
    return text or None


def move(
    session: Session,
    referral: Referral,
    to: Stage,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    system: bool = False,
) -> None:
    """Move ``referral`` to ``to``. ``system`` marks moves Frontdesk makes by itself (a
    check-in, a sweep), which need no owner and no typed reason."""
    current = Stage(referral.status)
    why = clean_reason(reason)
    if current == Stage.FLAGGED and to in PROGRESS and system:
        # Under review the referral still books and attends; the flag keeps holding it.
        held = Stage(referral.held_status or Stage.INTRODUCED)
        check_transition(held, to)
        referral.held_status = to.value
        _record(session, referral, held.value, to.value, actor, now, why or "while under review")
        return
    check_transition(current, to)
    if not system:
        if needs_owner(current, to):
            actor.require_owner(f"move a {current.value} referral to {to.value}")
        if needs_reason(current, to) and not why:
            raise InvalidInputError(f"Say why the referral is {to.value}: a reason is required.")
    if to == Stage.FLAGGED:
        referral.held_status = current.value
    elif current == Stage.FLAGGED:
        referral.held_status = None
    referral.status = to.value
    _record(session, referral, current.value, to.value, actor, now, why)


def _record(
    session: Session,
    referral: Referral,
    before: str,
    after: str,
    actor: Actor,
    now: datetime,
    reason: str | None,
) -> None:
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            from_status=before,
            to_status=after,
            at=now,
            staff_id=actor.staff_id,
            reason=reason,
        )
    )
    audit.record(
        session,
        actor,
        "referral.stage",
        "referral",
        referral.id,
        at=now,
        before={"status": before},
        after={"status": after, "held_status": referral.held_status},
        reason=reason,
    )
