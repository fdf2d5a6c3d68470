"""The clinic's reward program (SPEC §4): what each side earns, when, and the limits.

Pure and validated: a program that makes no sense (a negative credit, 500% off, an unknown
currency, a bonus with no reward) is refused with every problem named, before anything is
stored. Stored as JSON (``to_dict``/``from_dict``) in versioned ``reward_program`` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_money, parse_amount, typical, validate_currency

MAX_MINOR = 100_000_000  # fits every integer column; far above any real reward
MAX_ITEM = 120


class RewardKind(StrEnum):
    CREDIT = "credit"
    PERCENT = "percent"
    ITEM = "item"


class Trigger(StrEnum):
    ATTENDED = "attended"  # the new patient's first attended visit (default, SPEC §5.2)
    BOOKED = "booked"  # their first booking


class Delivery(StrEnum):
    AUTOMATIC = "automatic"  # ledger credit + SMS notice at once
    MANUAL = "manual"  # waits in the owner's approval queue


class NewPatientOffer(StrEnum):
    FIRST_VISIT = "first_visit"  # applied at the desk at the first visit
    VOUCHER = "voucher"  # a single-use voucher code sent when the referral is attached


@dataclass(frozen=True)
class RewardSpec:
    """One side's reward: a fixed credit, a percentage off the next session, or a named item.

    ``value_minor`` is what a percentage or an item is worth, so that the yearly cap per
    patient and the reports can count it.
    """

    kind: RewardKind
    amount_minor: int = 0
    percent: int = 0
    item: str = ""
    value_minor: int = 0

    @property
    def face_value(self) -> int:
        return self.amount_minor if self.kind == RewardKind.CREDIT else self.value_minor

    def describe(self, currency: str) -> str:
        if self.kind == RewardKind.CREDIT:
            return f"{format_money(self.amount_minor, currency)} credit"
        if self.kind == RewardKind.PERCENT:
            return f"{self.percent}% off the next session"
        return self.item

    def problems(self, label: str) -> list[str]:
        found: list[str] = []
        if self.kind == RewardKind.CREDIT:
            if self.amount_minor <= 0:
                found.append(f"The {label} credit must be more than zero.")
            elif self.amount_minor > MAX_MINOR:
                found.append(f"The {label} credit is far too large.")
        elif self.kind == RewardKind.PERCENT and not 1 <= self.percent <= 100:
            found.append(
                f"{self.percent}% off makes no sense for the {label}: "
                "a percentage is between 1 and 100."
            )
        elif self.kind == RewardKind.ITEM and not 0 < len(self.item.strip()) <= MAX_ITEM:
            found.append(f"Name the {label} item in 1 to {MAX_ITEM} characters.")
        if self.value_minor < 0:
            found.append(f"What the {label} reward is worth cannot be negative.")
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "amount_minor": self.amount_minor,
            "percent": self.percent,
            "item": self.item,
            "value_minor": self.value_minor,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RewardSpec:
        return cls(
            kind=RewardKind(data["kind"]),
            amount_minor=int(data.get("amount_minor", 0)),
            percent=int(data.get("percent", 0)),
            item=str(data.get("item", "")),
            value_minor=int(data.get("value_minor", 0)),
        )


@dataclass(frozen=True)
class RewardProgram:
    currency: str
    referrer: RewardSpec | None
    new_patient: RewardSpec | None
    trigger: Trigger = Trigger.ATTENDED
    delivery: Delivery = Delivery.AUTOMATIC
    new_patient_offer: NewPatientOffer = NewPatientOffer.FIRST_VISIT
    hold_days: int = 0  # before the referrer's reward can be used
    cap_per_referrer_per_year: int | None = None  # rewarded referrals per calendar year
    bonus_every: int | None = None  # a bonus on every Nth rewarded referral
    bonus: RewardSpec | None = None
    expiry_months: int | None = 12  # None: credit never expires
    credit_only: bool = True  # never more than the bill: no change given in cash
    yearly_value_cap_minor: int | None = None  # per patient per calendar year
    excluded_payer_types: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def default(cls, currency: str) -> RewardProgram:
        # Sized to the currency: £20 / £10, ¥2,000 / ¥1,000.
        return cls(
            currency=currency,
            referrer=RewardSpec(RewardKind.CREDIT, amount_minor=typical(20, currency)),
            new_patient=RewardSpec(RewardKind.CREDIT, amount_minor=typical(10, currency)),
        )

    def spec_for(self, role: str) -> RewardSpec | None:
        return {"referrer": self.referrer, "new_patient": self.new_patient, "bonus": self.bonus}[
            role
        ]

    def excludes(self, payer_type: str | None) -> bool:
        return bool(payer_type) and payer_type.strip().lower() in self.excluded_payer_types

    # -- validation --------------------------------------------------------------------------
    def validated(self) -> RewardProgram:
        """This program, normalised, or InvalidInputError naming every problem."""
        problems: list[str] = []
        try:
            currency = validate_currency(self.currency)
        except InvalidInputError as error:
            problems.append(error.message)
            currency = self.currency
        for label, spec in (
            ("referrer", self.referrer),
            ("new patient", self.new_patient),
            ("bonus", self.bonus),
        ):
            if spec is not None:
                problems += spec.problems(label)
        if not 0 <= self.hold_days <= 365:
            problems.append("The hold period is 0 to 365 days.")
        if self.cap_per_referrer_per_year is not None and not (
            1 <= self.cap_per_referrer_per_year <= 1000
        ):
            problems.append("The cap per referrer is 1 to 1000 referrals a year (or none).")
        if (self.bonus_every is None) != (self.bonus is None):
            problems.append("A bonus needs both parts: every how many referrals, and what it is.")
        if self.bonus_every is not None and not 2 <= self.bonus_every <= 1000:
            problems.append("A bonus comes on every 2nd to 1000th referral.")
        if self.expiry_months is not None and not 1 <= self.expiry_months <= 120:
            problems.append("Rewards expire after 1 to 120 months (or never).")
        cap = self.yearly_value_cap_minor
        if cap is not None:
            if cap <= 0:
                problems.append("The yearly cap per patient must be more than zero (or none).")
            else:
                problems += self._cap_problems(cap, currency)
        payers = tuple(sorted({p.strip().lower() for p in self.excluded_payer_types if p.strip()}))
        if problems:
            raise InvalidInputError(" ".join(problems))
        return replace(self, currency=currency, excluded_payer_types=payers)

    def _cap_problems(self, cap: int, currency: str) -> list[str]:
        found = []
        for label, spec in (
            ("referrer", self.referrer),
            ("new patient", self.new_patient),
            ("bonus", self.bonus),
        ):
            if spec is None:
                continue
            if spec.kind != RewardKind.CREDIT and spec.value_minor <= 0:
                found.append(
                    f"Say what the {label} reward is worth (add 'worth 30') so the yearly cap "
                    "can count it."
                )
            elif spec.face_value > cap:
                found.append(
                    f"The {label} reward ({format_money(spec.face_value, currency)}) is more than "
                    f"the yearly cap per patient ({format_money(cap, currency)})."
                )
        return found

    # -- storage -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "referrer": self.referrer.to_dict() if self.referrer else None,
            "new_patient": self.new_patient.to_dict() if self.new_patient else None,
            "trigger": self.trigger.value,
            "delivery": self.delivery.value,
            "new_patient_offer": self.new_patient_offer.value,
            "hold_days": self.hold_days,
            "cap_per_referrer_per_year": self.cap_per_referrer_per_year,
            "bonus_every": self.bonus_every,
            "bonus": self.bonus.to_dict() if self.bonus else None,
            "expiry_months": self.expiry_months,
            "credit_only": self.credit_only,
            "yearly_value_cap_minor": self.yearly_value_cap_minor,
            "excluded_payer_types": list(self.excluded_payer_types),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RewardProgram:
        def spec(key: str) -> RewardSpec | None:
            value = data.get(key)
            return RewardSpec.from_dict(value) if value else None

        return cls(
            currency=data["currency"],
            referrer=spec("referrer"),
            new_patient=spec("new_patient"),
            trigger=Trigger(data.get("trigger", Trigger.ATTENDED)),
            delivery=Delivery(data.get("delivery", Delivery.AUTOMATIC)),
            new_patient_offer=NewPatientOffer(
                data.get("new_patient_offer", NewPatientOffer.FIRST_VISIT)
            ),
            hold_days=int(data.get("hold_days", 0)),
            cap_per_referrer_per_year=data.get("cap_per_referrer_per_year"),
            bonus_every=data.get("bonus_every"),
            bonus=spec("bonus"),
            expiry_months=data.get("expiry_months", 12),
            credit_only=bool(data.get("credit_only", True)),
            yearly_value_cap_minor=data.get("yearly_value_cap_minor"),
            excluded_payer_types=tuple(data.get("excluded_payer_types", ())),
        )


# -- what an owner types ---------------------------------------------------------------------
_OFF = {"", "none", "off", "no", "-", "nothing"}
_WORTH = re.compile(r"^(?P<what>.*?)\s+worth\s+(?P<worth>.+)$", re.IGNORECASE)
_PERCENT = re.compile(r"^(?:percent\s+)?(?P<n>-?\d+(?:\.\d+)?)\s*%?(?:\s*off)?$", re.IGNORECASE)


def parse_reward(text: str, currency: str) -> RewardSpec | None:
    """``"£20"``, ``"credit 20"``, ``"15%"``, ``"free sports massage worth 45"``, ``"none"``."""
    raw = " ".join(text.split())
    if raw.lower() in _OFF:
        return None
    value = 0
    match = _WORTH.match(raw)
    if match:
        raw = match["what"].strip()
        value = parse_amount(match["worth"], currency)
    lower = raw.lower()
    if lower.startswith("item "):
        return RewardSpec(RewardKind.ITEM, item=raw[5:].strip(), value_minor=value)
    if lower.endswith(("%", "% off")) or lower.startswith("percent"):
        pct = _PERCENT.match(raw)
        if not pct or "." in pct["n"]:
            raise InvalidInputError(f"{text!r}: a percentage is a whole number, like 15%.")
        return RewardSpec(RewardKind.PERCENT, percent=int(pct["n"]), value_minor=value)
    amount_text = raw[7:] if lower.startswith("credit ") else raw
    if any(ch.isdigit() for ch in amount_text) and not re.search(r"[a-z]{4,}", amount_text, re.I):
        return RewardSpec(RewardKind.CREDIT, amount_minor=parse_amount(amount_text, currency))
    return RewardSpec(RewardKind.ITEM, item=raw, value_minor=value)


def format_reward(spec: RewardSpec | None, currency: str) -> str:
    """The inverse of ``parse_reward``: what the settings page and CLI show."""
    if spec is None:
        return "none"
    worth = ""
    if spec.kind != RewardKind.CREDIT and spec.value_minor:
        worth = f" worth {format_money(spec.value_minor, currency)}"
    if spec.kind == RewardKind.CREDIT:
        return f"credit {format_money(spec.amount_minor, currency)}"
    if spec.kind == RewardKind.PERCENT:
        return f"{spec.percent}%{worth}"
    return f"item {spec.item}{worth}"
