"""The reward program's fields as an owner sees them: a key, plain-language help, and a parser.

Shared by ``frontdesk rewards program set KEY VALUE`` and the settings page, so both accept
the same words and refuse the same nonsense.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from frontdesk.domain.errors import InvalidInputError, RuleRefusedError
from frontdesk.domain.money import format_money, parse_amount
from frontdesk.domain.reward_program import (
    Delivery,
    NewPatientOffer,
    RewardProgram,
    Trigger,
    format_reward,
    parse_reward,
)

_NEVER = {"", "none", "never", "off", "no", "-"}


@dataclass(frozen=True)
class ProgramField:
    key: str
    label: str
    help: str
    parse: Callable[[str, RewardProgram], dict[str, Any]]
    show: Callable[[RewardProgram], str]


def _int_or_none(raw: str, name: str) -> int | None:
    text = raw.strip().lower()
    if text in _NEVER:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInputError(f"{name} needs a whole number (or 'none'), not {raw!r}.") from None


def _int(raw: str, name: str) -> int:
    value = _int_or_none(raw, name)
    return 0 if value is None else value


def _choice(raw: str, enum: Any, name: str) -> Any:
    text = raw.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum(text)
    except ValueError:
        known = " or ".join(member.value for member in enum)
        raise InvalidInputError(f"{name} is {known}, not {raw!r}.") from None


def _bool(raw: str, name: str) -> bool:
    text = raw.strip().lower()
    if text in {"1", "yes", "true", "on"}:
        return True
    if text in {"0", "no", "false", "off"}:
        return False
    raise InvalidInputError(f"{name} is yes or no, not {raw!r}.")


def _money_or_none(raw: str, currency: str) -> int | None:
    return None if raw.strip().lower() in _NEVER else parse_amount(raw, currency)


def _show_int(value: int | None, unit: str, none: str = "none") -> str:
    return none if value is None else f"{value} {unit}"


FIELDS: tuple[ProgramField, ...] = (
    ProgramField(
        "referrer",
        "Referrer reward",
        "What the patient who recommends you earns: a credit like '20', a percentage like "
        "'15%', or a free item like 'free sports massage worth 45'. 'none' for nothing.",
        lambda raw, p: {"referrer": parse_reward(raw, p.currency)},
        lambda p: format_reward(p.referrer, p.currency),
    ),
    ProgramField(
        "new_patient",
        "New-patient reward",
        "What the friend gets on their first visit, written the same way.",
        lambda raw, p: {"new_patient": parse_reward(raw, p.currency)},
        lambda p: format_reward(p.new_patient, p.currency),
    ),
    ProgramField(
        "currency",
        "Currency",
        "The three-letter code of the currency rewards are in, like GBP, EUR or USD.",
        lambda raw, p: {"currency": raw.strip().upper()},
        lambda p: p.currency,
    ),
    ProgramField(
        "trigger",
        "Reward when",
        "'attended': when the friend's first visit is checked in (recommended). "
        "'booked': as soon as they book.",
        lambda raw, p: {"trigger": _choice(raw, Trigger, "The trigger")},
        lambda p: p.trigger.value,
    ),
    ProgramField(
        "delivery",
        "Delivery",
        "'automatic': credit and a thank-you text at once. 'manual': each reward waits for an "
        "owner's approval.",
        lambda raw, p: {"delivery": _choice(raw, Delivery, "Delivery")},
        lambda p: p.delivery.value,
    ),
    ProgramField(
        "new_patient_offer",
        "New-patient offer",
        "'first_visit': applied at the desk at their first visit. 'voucher': a single-use "
        "voucher code is texted to them when they are referred.",
        lambda raw, p: {"new_patient_offer": _choice(raw, NewPatientOffer, "The offer")},
        lambda p: p.new_patient_offer.value,
    ),
    ProgramField(
        "hold_days",
        "Hold period",
        "Days after the friend's first visit before the referrer's reward can be used. A "
        "refunded or no-show first visit in that time takes the reward back. 0 for none.",
        lambda raw, p: {"hold_days": _int(raw, "The hold period")},
        lambda p: _show_int(p.hold_days, "days"),
    ),
    ProgramField(
        "expiry_months",
        "Rewards expire after",
        "Months a reward stays usable ('never' to keep it forever).",
        lambda raw, p: {"expiry_months": _int_or_none(raw, "Expiry")},
        lambda p: _show_int(p.expiry_months, "months", "never"),
    ),
    ProgramField(
        "cap_per_referrer_per_year",
        "Cap per referrer",
        "Most referrals one patient is rewarded for in a calendar year ('none' for no cap).",
        lambda raw, p: {"cap_per_referrer_per_year": _int_or_none(raw, "The cap")},
        lambda p: _show_int(p.cap_per_referrer_per_year, "a year"),
    ),
    ProgramField(
        "bonus_every",
        "Bonus on every",
        "A bonus on every Nth rewarded referral (5: the 5th, 10th, …). 'none' for no bonus.",
        lambda raw, p: {"bonus_every": _int_or_none(raw, "The bonus")},
        lambda p: _show_int(p.bonus_every, "referrals"),
    ),
    ProgramField(
        "bonus",
        "Bonus reward",
        "What the bonus is, written like a reward ('50', '25%', 'free massage worth 40').",
        lambda raw, p: {"bonus": parse_reward(raw, p.currency)},
        lambda p: format_reward(p.bonus, p.currency),
    ),
    ProgramField(
        "yearly_value_cap",
        "Yearly cap per patient",
        "Most reward value one patient may receive in a calendar year, e.g. where gifts to "
        "patients on government insurance are limited by law. 'none' for no cap.",
        lambda raw, p: {"yearly_value_cap_minor": _money_or_none(raw, p.currency)},
        lambda p: (
            "none"
            if p.yearly_value_cap_minor is None
            else format_money(p.yearly_value_cap_minor, p.currency)
        ),
    ),
    ProgramField(
        "excluded_payer_types",
        "Excluded payer types",
        "Payer types that never earn rewards (comma separated, e.g. medicare, medicaid).",
        lambda raw, p: {
            "excluded_payer_types": tuple(
                x.strip() for x in raw.split(",") if x.strip() and x.strip().lower() not in _NEVER
            )
        },
        lambda p: ", ".join(p.excluded_payer_types) or "none",
    ),
    ProgramField(
        "credit_only",
        "Credit only",
        "Rewards are credit against the clinic's services, never cash: a redemption can "
        "never be more than the bill.",
        lambda raw, p: {"credit_only": _credit_only(raw)},
        lambda p: "yes" if p.credit_only else "no",
    ),
)

BY_KEY = {f.key: f for f in FIELDS}


def _credit_only(raw: str) -> bool:
    """Rewards are credit, never cash (SPEC §4): the switch can be confirmed, not turned off."""
    if not _bool(raw, "Credit only"):
        raise RuleRefusedError(
            "Rewards are credit against the clinic's services, never cash, so a redemption "
            "can never be more than the bill: credit only stays on."
        )
    return True


def field_for(key: str) -> ProgramField:
    norm = key.strip().lower().replace("-", "_").replace(".", "_")
    norm = {"new": "new_patient", "friend": "new_patient", "hold": "hold_days"}.get(norm, norm)
    try:
        return BY_KEY[norm]
    except KeyError:
        known = ", ".join(BY_KEY)
        raise InvalidInputError(f"The reward program has no {key!r}. Known: {known}.") from None


def with_field(program: RewardProgram, key: str, raw: str) -> RewardProgram:
    """``program`` with one field changed from what an owner typed, validated whole."""
    spec = field_for(key)
    return replace(program, **spec.parse(raw, program)).validated()


def describe(program: RewardProgram) -> dict[str, str]:
    return {f.key: f.show(program) for f in FIELDS}
