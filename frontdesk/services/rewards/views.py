"""Turning reward and ledger rows into the frozen views the desk sees, in words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.money import format_money
from frontdesk.domain.reward_program import RewardKind
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.dto import PatientRef
from frontdesk.services.records.patients import patient_ref
from frontdesk.services.rewards.dto import Balance, LedgerLine, RewardView
from frontdesk.services.rewards.ledger import (
    AVAILABLE,
    CANCELLED,
    EXPIRED,
    HELD,
    PENDING,
    REDEEMED,
    REVERSED,
    describe,
)
from frontdesk.store.models import LedgerEntry, Patient, Referral, ReferralCode, Reward, Staff


def day(session: Session, at: datetime) -> str:
    """A day on the clinic's calendar (its row is in the session's identity map: no query)."""
    return day_text(at, clinic_row(session).timezone)


def patient_refs(session: Session, ids: Iterable[int]) -> dict[int, PatientRef]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    refs: dict[int, PatientRef] = {}
    # Chunks keep the IN list within every database's parameter limit.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        codes = {
            pid: code
            for pid, code in session.execute(
                select(ReferralCode.patient_id, ReferralCode.code).where(
                    ReferralCode.patient_id.in_(chunk), ReferralCode.active
                )
            )
        }
        for patient in session.scalars(select(Patient).where(Patient.id.in_(chunk))):
            refs[patient.id] = patient_ref(patient, codes.get(patient.id))
    return refs


def staff_names(session: Session) -> dict[int | None, str]:
    names: dict[int | None, str] = {None: "Owner"}
    names.update({row[0]: row[1] for row in session.execute(select(Staff.id, Staff.name))})
    return names


def is_usable(reward: Reward, now: datetime) -> bool:
    return (
        reward.status == AVAILABLE
        and reward.usable_from <= now
        and (reward.expires_at is None or reward.expires_at > now)
    )


def state_in_words(reward: Reward, now: datetime, flagged: bool, zone: str) -> str:
    if reward.status == HELD:
        if flagged:
            return "held for review"
        return f"on hold until {day_text(reward.usable_from, zone)}"
    if reward.status == PENDING:
        return "waiting for owner approval"
    if reward.status == AVAILABLE:
        if reward.expires_at is not None and reward.expires_at <= now:
            return f"expired {day_text(reward.expires_at, zone)}"
        if reward.usable_from > now:
            return f"usable from {day_text(reward.usable_from, zone)}"
        if reward.expires_at is not None:
            return f"usable until {day_text(reward.expires_at, zone)}"
        return "usable"
    return {
        REDEEMED: "used",
        EXPIRED: "expired",
        REVERSED: "taken back",
        CANCELLED: "cancelled",
    }.get(reward.status, reward.status)


def reward_views(session: Session, rewards: list[Reward], now: datetime) -> list[RewardView]:
    refs = patient_refs(session, (r.patient_id for r in rewards))
    zone = clinic_row(session).timezone
    referral_ids = {r.referral_id for r in rewards if r.referral_id}
    flagged = set(
        session.scalars(
            select(Referral.id).where(Referral.id.in_(referral_ids), Referral.status == "flagged")
        )
        if referral_ids
        else ()
    )
    views = []
    for r in rewards:
        credit = r.kind == RewardKind.CREDIT
        views.append(
            RewardView(
                id=r.id,
                patient=refs[r.patient_id],
                role=r.role,
                kind=r.kind,
                amount_minor=r.amount_minor,
                remaining_minor=r.remaining_minor,
                amount=describe(r),
                remaining=format_money(r.remaining_minor, r.currency)
                if credit
                else ("—" if r.status != AVAILABLE else "unused"),
                currency=r.currency,
                status=r.status,
                state=state_in_words(r, now, r.referral_id in flagged, zone),
                issued_at=r.issued_at,
                usable_from=r.usable_from,
                expires_at=r.expires_at,
                referral_id=r.referral_id,
                voucher_code=r.voucher_code,
                note=r.note,
            )
        )
    return views


def balance_of(
    session: Session,
    patient: PatientRef,
    rewards: list[Reward],
    views: list[RewardView],
    currency: str,
    now: datetime,
) -> Balance:
    available = on_hold = 0
    offers = []
    expiries = []
    for reward, view in zip(rewards, views, strict=True):
        credit = reward.kind == RewardKind.CREDIT
        if is_usable(reward, now):
            if credit:
                available += reward.remaining_minor
            else:
                offers.append(view)
            if reward.expires_at:
                expiries.append(reward.expires_at)
        elif credit and (
            reward.status in (HELD, PENDING)
            or (reward.status == AVAILABLE and reward.usable_from > now)
        ):
            on_hold += reward.remaining_minor
    return Balance(
        patient=patient,
        currency=currency,
        available_minor=available,
        available=format_money(available, currency),
        on_hold_minor=on_hold,
        on_hold=format_money(on_hold, currency),
        offers=tuple(offers),
        next_expiry=min(expiries) if expiries else None,
    )


def ledger_lines(session: Session, patient_id: int, rewards: dict[int, Reward]) -> list[LedgerLine]:
    names = staff_names(session)
    entries = session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.patient_id == patient_id)
        .order_by(LedgerEntry.at, LedgerEntry.id)
    )
    lines = []
    for entry in entries:
        reward = rewards[entry.reward_id]
        lines.append(
            LedgerLine(
                id=entry.id,
                at=entry.at,
                reward_id=entry.reward_id,
                entry_type=entry.entry_type,
                amount_minor=entry.amount_minor,
                amount=format_money(entry.amount_minor, reward.currency),
                what=describe(reward),
                by=names.get(entry.staff_id, "Owner"),
                reason=entry.reason,
            )
        )
    return lines
