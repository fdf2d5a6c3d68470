"""Frozen results of the referral, reward and review services (never ORM rows).

Money is given twice: ``*_minor`` integers for arithmetic, and a formatted string
("£20.00") for people. JSON output (``--json``) carries both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from frontdesk.domain.changes import NO_CHANGES, Changes
from frontdesk.domain.reward_program import RewardProgram
from frontdesk.services.records.dto import PatientRef


@dataclass(frozen=True)
class ReferralEventView:
    at: datetime
    from_status: str | None
    to_status: str
    by: str  # staff name, or "Frontdesk" for sweeps and automatic steps
    reason: str | None


@dataclass(frozen=True)
class ReferralRow:
    id: int
    referrer: PatientRef | None
    referee: PatientRef | None
    prospect_name: str | None  # a friend named before they are a patient
    professional_name: str | None
    status: str
    held_status: str | None  # the stage under a flag
    created_at: datetime
    booked_at: datetime | None
    booked_for: datetime | None
    attended_at: datetime | None
    channel: str
    code_used: str | None
    open_flags: int
    rewards: str  # "£20.00 credit + £10.00 credit", or "" before any

    @property
    def friend_name(self) -> str:
        if self.referee:
            return self.referee.name
        return self.prospect_name or "—"

    @property
    def referrer_name(self) -> str:
        if self.referrer:
            return self.referrer.name
        return self.professional_name or "—"


@dataclass(frozen=True)
class RewardView:
    id: int
    patient: PatientRef
    role: str  # referrer, new_patient, bonus
    kind: str  # credit, percent, item
    amount_minor: int
    remaining_minor: int
    amount: str  # "£20.00", "15% off the next session", "free sports massage"
    remaining: str
    currency: str
    status: str  # held, pending_approval, available, redeemed, expired, reversed, cancelled
    state: str  # in words: "on hold until 2 Dec 2026", "waiting for owner approval", …
    issued_at: datetime
    usable_from: datetime
    expires_at: datetime | None
    referral_id: int | None
    voucher_code: str | None
    note: str | None


@dataclass(frozen=True)
class LedgerLine:
    id: int
    at: datetime
    reward_id: int
    entry_type: str  # issued, redeemed, expired, reversed, adjusted
    amount_minor: int
    amount: str
    what: str  # the reward it belongs to, in words
    by: str
    reason: str | None


@dataclass(frozen=True)
class Balance:
    patient: PatientRef
    currency: str
    available_minor: int  # usable credit now
    available: str
    on_hold_minor: int  # credit waiting for its hold period, a review or an approval
    on_hold: str
    offers: tuple[RewardView, ...]  # usable percentages, items and vouchers
    next_expiry: datetime | None


@dataclass(frozen=True)
class PatientRewards:
    balance: Balance
    rewards: tuple[RewardView, ...]
    ledger: tuple[LedgerLine, ...]


@dataclass(frozen=True)
class Redemption:
    patient: PatientRef
    redeemed_minor: int
    redeemed: str
    balance_after_minor: int
    balance_after: str
    parts: tuple[tuple[int, int], ...]  # (reward id, minor units taken)
    message: str
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class PersonCard:
    """One side of the review queue's side-by-side evidence."""

    id: int
    name: str
    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    address: str | None
    postcode: str | None
    code: str | None
    on_file_since: datetime | None
    first_visit_at: datetime | None


@dataclass(frozen=True)
class FlagView:
    id: int
    referral_id: int
    rule: str
    title: str
    explanation: str
    evidence: dict[str, Any]
    highlight: tuple[str, ...]  # fields the two people share: phone, email, address, …
    status: str  # open, approved, rejected
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    decision_reason: str | None
    referral_status: str
    referrer: PersonCard | None
    referee: PersonCard | None
    prospect_name: str | None
    held_rewards: str  # "£20.00 credit + £10.00 credit" waiting on this decision


@dataclass(frozen=True)
class FlagDecision:
    flag: FlagView
    message: str
    closed_flag_ids: tuple[int, ...] = ()  # other flags of a rejected referral, closed with it
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class ProgramView:
    id: int | None  # None until an owner first saves the program
    program: RewardProgram
    fields: dict[str, str]  # key → what the owner sees ("credit £20.00", "7 days", …)
    help: dict[str, str]
    saved_at: datetime | None
    saved_by: str | None
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class SweepReport:
    expired_referrals: int = 0
    expired_rewards: int = 0
    released_rewards: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
