"""Clinic settings, declared once with their type, default, limits and plain-language help.

Values are stored as JSON in the ``setting`` table so every desk on a shared database agrees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.plain_text import refuse_control_characters
from frontdesk.domain.replies import START_WORDS, STOP_WORDS

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class SettingSpec:
    key: str
    kind: type | str  # int, bool, str, or "time" / "list"
    default: Any
    help: str
    minimum: int | None = None
    maximum: int | None = None
    rule: Callable[[Any], Any] | None = None  # the setting's own check, after its type's

    def parse(self, raw: str) -> Any:
        value = self._parse(raw)
        return self.rule(value) if self.rule is not None else value

    def _parse(self, raw: str) -> Any:
        """Turn what a person typed into a typed value, or say precisely what is wrong."""
        refuse_control_characters(raw.strip(), self.key, lines=self.key in MULTILINE)
        text = raw.strip()
        if self.kind is int:
            try:
                value = int(text)
            except ValueError:
                raise InvalidInputError(f"{self.key} needs a whole number, not {raw!r}.") from None
            self.check_range(value)
            return value
        if self.kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off"}:
                return False
            raise InvalidInputError(f"{self.key} is yes or no, not {raw!r}.")
        if self.kind == "time":
            if not _TIME.match(text):
                raise InvalidInputError(f"{self.key} is a time like 20:00, not {raw!r}.")
            return text
        if self.kind == "list":
            items = [item.strip() for item in text.split(",") if item.strip()]
            if not items:
                raise InvalidInputError(f"{self.key} needs at least one item.")
            return items
        if not text and self.default:
            raise InvalidInputError(f"{self.key} cannot be empty.")
        return text

    def check_range(self, value: int) -> None:
        if self.minimum is not None and value < self.minimum:
            raise InvalidInputError(f"{self.key} must be at least {self.minimum}.")
        if self.maximum is not None and value > self.maximum:
            raise InvalidInputError(f"{self.key} must be at most {self.maximum}.")

    def encode(self, value: Any) -> str:
        return json.dumps(value)

    def decode(self, stored: str) -> Any:
        return json.loads(stored)


MULTILINE = frozenset({"print.aftercare_text"})  # printed as a block: line breaks are kept
# Words carriers and Twilio act on themselves: a poster must never ask a patient to send one.
_CARRIER_WORDS = STOP_WORDS | START_WORDS | {"HELP", "INFO", "REVOKE", "OPTIN"}


def _poster_keyword(word: str) -> str:
    keyword = word.strip().upper()
    if not keyword.isascii() or not keyword.isalnum() or not 2 <= len(keyword) <= 20:
        raise InvalidInputError(
            "sms.poster_keyword is one word of 2 to 20 letters or digits, like FRIEND."
        )
    if keyword in _CARRIER_WORDS:
        raise InvalidInputError(
            f"sms.poster_keyword cannot be {keyword}: texting it would opt the patient out or "
            "in (or ask the carrier for help) instead of getting their code. Pick another word."
        )
    return keyword


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "visit_types",
            "list",
            ["Initial assessment", "Follow-up", "Sports massage", "Plan review"],
            "The kinds of visit the desk records, comma separated.",
        ),
        SettingSpec(
            "referral.late_attach_days",
            int,
            30,
            "Days after a new patient's first visit during which a forgotten referrer can "
            "still be attached.",
            0,
            365,
        ),
        SettingSpec(
            "referral.expiry_days",
            int,
            90,
            "An introduced friend who has not attended within this many days expires.",
            1,
            730,
        ),
        SettingSpec(
            "fraud.velocity_per_24h",
            int,
            5,
            "Flag a referrer who brings more than this many new patients in 24 hours.",
            1,
            100,
        ),
        SettingSpec("sms.quiet_start", "time", "20:00", "No texts to patients from this time…"),
        SettingSpec("sms.quiet_end", "time", "09:00", "…until this time, clinic time."),
        SettingSpec(
            "sms.min_ask_gap_days",
            int,
            60,
            "Days between two referral asks to the same patient.",
            1,
            3650,
        ),
        SettingSpec(
            "sms.ask_lifetime_cap", int, 3, "Most referral asks a patient ever gets.", 0, 50
        ),
        SettingSpec(
            "sms.segment_price_micros",
            int,
            40_000,
            "What one SMS segment costs, in millionths of the currency (40000 = 0.04).",
            0,
            10_000_000_000,  # millionths of a won or a rupiah add up
        ),
        SettingSpec(
            "sms.segments_per_second",
            int,
            1,
            "How fast the clinic's number may send (Twilio: 1/s for a long code).",
            1,
            100,
        ),
        SettingSpec(
            "sms.poster_keyword",
            str,
            "FRIEND",
            "The word a patient texts from a poster's QR code to get their personal code.",
            rule=lambda word: _poster_keyword(word),
        ),
        SettingSpec(
            "print.friend_offer",
            str,
            "",
            "The friend's offer printed on posters and cards, e.g. '£10 off the first visit' "
            "(empty: worded from the clinic type).",
        ),
        SettingSpec(
            "print.poster_headline",
            str,
            "",
            "The big line at the top of posters (empty: the template's own).",
        ),
        SettingSpec(
            "print.aftercare_text",
            str,
            "",
            "Advice printed on the back of referral cards (empty: a short text for the "
            "clinic type).",
        ),
        SettingSpec("backup.keep", int, 14, "How many automatic backups to keep.", 1, 365),
        SettingSpec(
            "security.idle_lock_minutes",
            int,
            10,
            "Lock the desk after this many idle minutes (0: never).",
            0,
            240,
        ),
    )
}


# The clinic's identity lives in the clinic row; these say what each field is for.
CLINIC_HELP: dict[str, str] = {
    "clinic.name": "The name patients know you by; printed on posters, cards and texts.",
    "clinic.country": "Two-letter country code (GB, US, IE…); phones are read as this country's.",
    "clinic.timezone": 'Quiet hours and "today" follow this time zone, e.g. Europe/London.',
    "clinic.currency": "Three-letter currency of rewards and reports, e.g. GBP.",
    "clinic.booking_url": "Your online booking page; personal links add ?ref=CODE to it.",
    "clinic.sms_number": "The number texts come from (your Twilio number).",
    "clinic.type": "physio, medspa, massage or other: picks the default texts, visit types, ask "
    "rules and poster designs.",
}


LABELS: dict[str, str] = {
    "clinic.booking_url": "Booking page",
    "clinic.sms_number": "SMS number",
    "clinic.type": "Clinic type",
    "clinic.timezone": "Time zone",
    "fraud.velocity_per_24h": "Referrals per 24 h",
    "referral.expiry_days": "Introductions expire (days)",
    "referral.late_attach_days": "Late attach window (days)",
    "sms.quiet_start": "Quiet hours start",
    "sms.quiet_end": "Quiet hours end",
    "sms.min_ask_gap_days": "Days between asks",
    "sms.ask_lifetime_cap": "Most asks per patient",
    "sms.segment_price_micros": "Price per SMS part",
    "sms.segments_per_second": "SMS parts per second",
    "backup.keep": "Backups kept",
    "security.idle_lock_minutes": "Lock after idle (min)",
}


def label_for(key: str) -> str:
    """A form label: "referral.late_attach_days" → "Late attach window (days)"."""
    if key in LABELS:
        return LABELS[key]
    words = key.split(".")[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


def spec_for(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        known = ", ".join(sorted(SETTINGS))
        raise InvalidInputError(f"There is no setting called {key!r}. Known: {known}.") from None
