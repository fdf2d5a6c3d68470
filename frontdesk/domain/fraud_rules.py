"""Fraud patterns (SPEC §5.3), each a small named rule with an explanation an owner can read.

A rule gets plain facts about one referral (gathered by the fraud service) and returns a
``Finding`` or None. Findings flag a referral for review; none of them blocks it outright
(self-referral is blocked at check-in instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from anyascii import anyascii

from frontdesk.domain.phones import mask_phone

# Mail providers anyone can sign up to: sharing one says nothing about a household.
PUBLIC_EMAIL_DOMAINS: frozenset[str] = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.ie",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.ca",
        "yahoo.com.au",
        "ymail.com",
        "rocketmail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "hotmail.de",
        "hotmail.it",
        "hotmail.es",
        "outlook.com",
        "outlook.co.uk",
        "outlook.ie",
        "outlook.fr",
        "outlook.de",
        "live.com",
        "live.co.uk",
        "live.ie",
        "live.fr",
        "live.de",
        "live.com.au",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "aol.co.uk",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "gmx.co.uk",
        "web.de",
        "t-online.de",
        "freenet.de",
        "mail.com",
        "email.com",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "btinternet.com",
        "btopenworld.com",
        "sky.com",
        "virginmedia.com",
        "talktalk.net",
        "ntlworld.com",
        "blueyonder.co.uk",
        "tiscali.co.uk",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "sfr.fr",
        "wanadoo.fr",
        "libero.it",
        "virgilio.it",
        "eircom.net",
        "comcast.net",
        "verizon.net",
        "att.net",
        "sbcglobal.net",
        "bellsouth.net",
        "cox.net",
        "charter.net",
        "earthlink.net",
        "optonline.net",
        "shaw.ca",
        "rogers.com",
        "sympatico.ca",
        "bigpond.com",
        "bigpond.net.au",
        "optusnet.com.au",
        "iinet.net.au",
        "xtra.co.nz",
        "fastmail.com",
        "fastmail.fm",
        "hey.com",
        "tutanota.com",
        "tuta.io",
        "qq.com",
        "163.com",
        "naver.com",
    ]
)

RULE_SHARED_CONTACT = "shared_contact"
RULE_VELOCITY = "velocity"
RULE_HOUSEHOLD = "household"
RULE_EXISTED_BEFORE = "existed_before"


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    last_name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None
    created_at: datetime | None = None
    first_visit_at: datetime | None = None  # earliest visit on file, any status

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Sighting:
    """The same phone or email seen on a referral under a different referrer's code."""

    referral_id: int
    referrer_name: str
    matched: str  # "phone" or "email"
    value: str


@dataclass(frozen=True)
class EarlierRecord:
    """An older patient record that looks like the same person as the 'new' patient."""

    patient_id: int
    name: str
    created_at: datetime
    matched: str  # "phone", "email" or "name and year of birth"


@dataclass(frozen=True)
class ReferralFacts:
    referral_id: int
    created_at: datetime
    referrer: Person
    referee: Person | None  # None while the friend is only named ("my sister Anna")
    sightings: tuple[Sighting, ...] = ()
    referrer_referral_times: tuple[datetime, ...] = ()  # every referral by this referrer
    earlier_records: tuple[EarlierRecord, ...] = ()
    velocity_limit: int = 5
    late_attach_days: int = 30


@dataclass(frozen=True)
class Finding:
    rule: str
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)


Rule = Callable[[ReferralFacts], Finding | None]


def _day(at: datetime) -> str:
    return f"{at.day} {at:%b %Y}"


def shared_contact(facts: ReferralFacts) -> Finding | None:
    if not facts.sightings:
        return None
    first = facts.sightings[0]
    shown = mask_phone(first.value) if first.matched == "phone" else first.value
    others = sorted({s.referrer_name for s in facts.sightings})
    who = facts.referee.name if facts.referee else "This friend"
    return Finding(
        RULE_SHARED_CONTACT,
        f"{who}'s {first.matched} {shown} also came in under "
        f"{' and '.join(others)}'s code, not only {facts.referrer.name}'s.",
        {
            "matches": [
                {"referral_id": s.referral_id, "referrer": s.referrer_name, s.matched: s.value}
                for s in facts.sightings
            ],
            "highlight": sorted({s.matched for s in facts.sightings}),
        },
    )


def velocity(facts: ReferralFacts) -> Finding | None:
    window_start = facts.created_at - timedelta(hours=24)
    recent = [t for t in facts.referrer_referral_times if window_start < t <= facts.created_at]
    if len(recent) <= facts.velocity_limit:
        return None
    return Finding(
        RULE_VELOCITY,
        f"{facts.referrer.name} brought {len(recent)} referrals in 24 hours "
        f"(more than {facts.velocity_limit} is unusual).",
        {"count_24h": len(recent), "limit": facts.velocity_limit, "highlight": []},
    )


def normalize_address(text: str | None) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", anyascii(text or "").lower()).split()
    short = {"rd": "road", "st": "street", "ave": "avenue", "ln": "lane", "dr": "drive"}
    return " ".join(short.get(word, word) for word in words)


def _surname(person: Person) -> str:
    return re.sub(r"[^a-z]", "", anyascii(person.last_name).lower())


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def household(facts: ReferralFacts) -> Finding | None:
    a, b = facts.referrer, facts.referee
    if b is None:
        return None
    same_surname = bool(_surname(a)) and _surname(a) == _surname(b)
    address_a, address_b = normalize_address(a.address), normalize_address(b.address)
    postcodes_agree = not (a.postcode and b.postcode) or normalize_address(
        a.postcode
    ) == normalize_address(b.postcode)
    if same_surname and address_a and address_a == address_b and postcodes_agree:
        return Finding(
            RULE_HOUSEHOLD,
            f"{b.name} and {a.name} share a surname and an address ({a.address}).",
            {"address": a.address, "highlight": ["last_name", "address"]},
        )
    domain = email_domain(a.email)
    if domain and domain == email_domain(b.email) and domain not in PUBLIC_EMAIL_DOMAINS:
        return Finding(
            RULE_HOUSEHOLD,
            f"{b.name} and {a.name} use the same private email domain ({domain}).",
            {"email_domain": domain, "highlight": ["email"]},
        )
    return None


def existed_before(facts: ReferralFacts) -> Finding | None:
    person = facts.referee
    if person is None:
        return None
    if facts.earlier_records:
        earlier = facts.earlier_records[0]
        return Finding(
            RULE_EXISTED_BEFORE,
            f"{person.name} looks like {earlier.name}, on file since "
            f"{_day(earlier.created_at)} (same {earlier.matched}).",
            {
                "earlier_patient_id": earlier.patient_id,
                "matched": earlier.matched,
                "highlight": [earlier.matched] if earlier.matched in ("phone", "email") else [],
            },
        )
    # A forgotten referral may be attached up to ``late_attach_days`` after the first visit;
    # anything older than that was a patient before they were "referred".
    cutoff = facts.created_at - timedelta(days=facts.late_attach_days)
    known_since = min(
        (t for t in (person.created_at, person.first_visit_at) if t is not None), default=None
    )
    if known_since is not None and known_since < cutoff:
        return Finding(
            RULE_EXISTED_BEFORE,
            f"{person.name} was already a patient: on file since {_day(known_since)}, "
            f"before this referral on {_day(facts.created_at)}.",
            {"known_since": known_since.isoformat(), "highlight": []},
        )
    return None


RULES: dict[str, Rule] = {
    RULE_SHARED_CONTACT: shared_contact,
    RULE_VELOCITY: velocity,
    RULE_HOUSEHOLD: household,
    RULE_EXISTED_BEFORE: existed_before,
}

TITLES: dict[str, str] = {
    RULE_SHARED_CONTACT: "Same phone or email under another referrer",
    RULE_VELOCITY: "Many referrals in 24 hours",
    RULE_HOUSEHOLD: "Same household",
    RULE_EXISTED_BEFORE: "Already a patient",
}


def run_rules(facts: ReferralFacts, skip: frozenset[str] = frozenset()) -> list[Finding]:
    """Every rule that fires, except those in ``skip`` (already flagged or decided)."""
    return [
        finding
        for name, rule in RULES.items()
        if name not in skip and (finding := rule(facts)) is not None
    ]
