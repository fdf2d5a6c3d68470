"""Writing the link "A referred B": the self-referral rule and the referral row itself.

Shared by the new-patient flow and the late attach, so both refuse the same things with
the same words and fire the same ``referral_attached`` event. Where the referral goes next
(attended, rewarded, flagged) belongs to the referral lifecycle handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import ConflictError, PermissionDeniedError, SelfReferralError
from frontdesk.services.records import audit
from frontdesk.services.records.context import Actor
from frontdesk.services.records.effects import EffectHandlers, ReferralAttached
from frontdesk.store.models import Patient, Referral, ReferralEvent, Visit


@dataclass(frozen=True)
class Contact:
    """The phone and email a new (or late-attached) patient is known by."""

    phone_e164: str | None
    email_norm: str | None


def shared_contact(referee: Contact, referrer: Patient) -> str | None:
    """ "phone" / "email" when the two share one (the self-referral rule), else None."""
    if referee.phone_e164 and referee.phone_e164 == referrer.phone_e164:
        return "phone"
    if referee.email_norm and referee.email_norm == referrer.email_norm:
        return "email"
    return None


def check_self_referral(
    actor: Actor, referee: Contact, referee_name: str, referrer: Patient, override: str | None
) -> bool:
    """Refuse a referral to oneself; True when an owner's written reason let it through."""
    field = shared_contact(referee, referrer)
    if field is None:
        return False
    who = f"{referrer.first_name} {referrer.last_name}".strip()
    if override is None:
        raise SelfReferralError(
            f"{referee_name} has the same {field} as {who}, so this looks like a "
            "self-referral and earns no reward. Only an owner can let it through, with a "
            "written reason."
        )
    if not actor.is_owner:
        raise PermissionDeniedError(
            f"Only an owner can let through a referral with the same {field} as the "
            "referrer. Ask the clinic owner."
        )
    return True


def existing_referral(session: Session, referee_id: int) -> Referral | None:
    return session.scalar(select(Referral).where(Referral.referee_id == referee_id))


def starting_status(session: Session, referee_id: int) -> tuple[str, Visit | None, datetime | None]:
    """Where a new referral starts, from the facts: attended, booked or introduced."""
    first = session.scalar(
        select(Visit)
        .where(Visit.patient_id == referee_id, Visit.status == "attended")
        .order_by(Visit.at, Visit.id)
        .limit(1)
    )
    if first is not None:
        return "attended", first, first.at
    booked_at = session.scalar(
        select(func.min(Visit.created_at)).where(
            Visit.patient_id == referee_id, Visit.status == "booked"
        )
    )
    return ("booked", None, booked_at) if booked_at is not None else ("introduced", None, None)


def write_referral(
    session: Session,
    effects: EffectHandlers,
    actor: Actor,
    now: datetime,
    *,
    referrer: Patient,
    referee: Patient,
    code_used: str | None,
    override_reason: str | None,
    late_reason: str | None,
    referee_is_new: bool = False,
) -> tuple[Referral, list[str]]:
    """The referral row, its first history entry and audit, then its handlers' notes.
    ``referee_is_new``: the referee was added in this transaction, so has no referral and no
    visit yet (three queries a new-patient save need not ask)."""
    status: str = "introduced"
    first_visit: Visit | None = None
    when: datetime | None = None
    if not referee_is_new:
        earlier = existing_referral(session, referee.id)
        if earlier is not None:
            raise ConflictError(
                f"{referee.first_name} {referee.last_name} already has a referral on file "
                f"(status {earlier.status}); a patient is referred only once."
            )
        status, first_visit, when = starting_status(session, referee.id)
    referral = Referral(
        referrer_id=referrer.id,
        referee_id=referee.id,
        code_used=code_used,
        channel="desk",
        status=status,
        override_reason=override_reason,
        late_attach_reason=late_reason,
        created_at=now,
        booked_at=when if status in ("booked", "attended") else None,
        attended_at=first_visit.at if first_visit else None,
        first_visit_id=first_visit.id if first_visit else None,
        created_by=actor.staff_id,
    )
    session.add(referral)
    session.flush()
    why = "; ".join(
        part
        for part in (
            f"late attach: {late_reason}" if late_reason else None,
            f"owner override: {override_reason}" if override_reason else None,
        )
        if part
    )
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            from_status=None,
            to_status=status,
            at=now,
            staff_id=actor.staff_id,
            reason=why or None,
        )
    )
    audit.record(
        session,
        actor,
        "referral.late_attach" if late_reason else "referral.create",
        "referral",
        referral.id,
        at=now,
        after={
            "referrer_id": referrer.id,
            "referee_id": referee.id,
            "status": status,
            "code_used": code_used,
        },
        reason=why or None,
    )
    if override_reason:
        audit.record(
            session,
            actor,
            "referral.self_referral_override",
            "referral",
            referral.id,
            at=now,
            after={"referrer_id": referrer.id, "referee_id": referee.id},
            reason=override_reason,
        )
    session.flush()
    notes = effects.referral_attached(
        ReferralAttached(session=session, now=now, actor=actor, referral_id=referral.id)
    )
    return referral, notes
