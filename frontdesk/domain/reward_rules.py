"""Pure decisions about rewards: when one is usable, when it expires, how caps and bonuses
apply, and which credits a redemption draws from. The services only gather the facts."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.domain.errors import InvalidInputError, RuleRefusedError
from frontdesk.domain.money import format_money
from frontdesk.domain.reward_program import RewardKind, RewardProgram, RewardSpec

REFERRER = "referrer"
NEW_PATIENT = "new_patient"
BONUS = "bonus"


def add_months(at: datetime, months: int) -> datetime:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = at.month - 1 + months
    year, month = at.year + index // 12, index % 12 + 1
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)


def usable_from(role: str, trigger_at: datetime, program: RewardProgram) -> datetime:
    """The welcome offer is usable at once (it is for the first visit); others wait the hold."""
    if role == NEW_PATIENT:
        return trigger_at
    return trigger_at + timedelta(days=program.hold_days)


def expires_at(start: datetime, program: RewardProgram) -> datetime | None:
    return None if program.expiry_months is None else add_months(start, program.expiry_months)


def year_start(now: datetime, timezone: str) -> datetime:
    """1 January, 00:00 in the clinic's time zone, as UTC: caps count calendar years."""
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def bonus_due(rewarded_count: int, program: RewardProgram) -> bool:
    """``rewarded_count`` includes the referral being rewarded now."""
    every = program.bonus_every
    return bool(every) and program.bonus is not None and rewarded_count % every == 0


@dataclass(frozen=True)
class CapDecision:
    spec: RewardSpec | None  # what may be issued (a credit may be trimmed), or None
    note: str | None  # why it was trimmed or withheld, for the desk


def apply_value_cap(
    spec: RewardSpec, received_this_year: int, program: RewardProgram, name: str
) -> CapDecision:
    """Trim a credit to what the yearly cap still allows; withhold an item that won't fit."""
    cap = program.yearly_value_cap_minor
    if cap is None:
        return CapDecision(spec, None)
    room = max(cap - received_this_year, 0)
    cur = program.currency
    if spec.face_value <= room:
        return CapDecision(spec, None)
    limit = format_money(cap, cur)
    if spec.kind == RewardKind.CREDIT and room > 0:
        trimmed = RewardSpec(RewardKind.CREDIT, amount_minor=room)
        return CapDecision(
            trimmed,
            f"{name}'s reward was reduced to {format_money(room, cur)}: the yearly limit "
            f"per patient is {limit}.",
        )
    return CapDecision(None, f"{name} gets no reward: they reached this year's limit of {limit}.")


@dataclass(frozen=True)
class Credit:
    """A usable credit reward as the redemption sees it."""

    reward_id: int
    remaining_minor: int
    expires_at: datetime | None
    issued_at: datetime


def allocate(credits: Sequence[Credit], amount_minor: int) -> list[tuple[int, int]]:
    """(reward id, amount) to take, soonest-expiring credit first. Refuses more than there is."""
    if amount_minor <= 0:
        raise InvalidInputError("Redeem an amount above zero.")
    total = sum(c.remaining_minor for c in credits)
    if amount_minor > total:
        raise RuleRefusedError("Not enough credit.")  # the service words it with names
    far = datetime.max.replace(tzinfo=UTC)
    order = sorted(credits, key=lambda c: (c.expires_at or far, c.issued_at, c.reward_id))
    taken: list[tuple[int, int]] = []
    left = amount_minor
    for credit in order:
        if left == 0:
            break
        take = min(credit.remaining_minor, left)
        if take:
            taken.append((credit.reward_id, take))
            left -= take
    return taken
