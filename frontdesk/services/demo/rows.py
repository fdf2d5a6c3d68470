"""The rows of a demo clinic, generated as plain dicts and written in bulk.

Every id is assigned here so related rows (a referral's first visit, a reward's ledger
entries) are written without a round trip; the whole clinic is still one transaction.
A million patients build in a few minutes.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import phonenumbers
from anyascii import anyascii

from frontdesk.domain import replies
from frontdesk.domain.ask_rules import GOOD_RATING
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import typical
from frontdesk.domain.names import normalize_email
from frontdesk.domain.phones import digits_reversed
from frontdesk.domain.referral_code import ALPHABET, RANDOM_SYMBOLS, name_part
from frontdesk.domain.reward_rules import add_months
from frontdesk.services.demo.names import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    INBOUND_TEXTS,
    LAST_NAMES,
    STREETS,
)
from frontdesk.services.records.patients import search_columns, unique_code
from frontdesk.store.bulk import BulkWriter
from frontdesk.store.models import (
    FraudFlag,
    InboundMessage,
    LedgerEntry,
    OutboxMessage,
    Patient,
    Referral,
    ReferralCode,
    ReferralEvent,
    Reward,
    Visit,
)

# The demo program: £20 to the referrer after a 7-day hold, £10 to the friend at once.
DEMO_HOLD_DAYS = 7
# Share of patients who live with an earlier patient (same surname and address): when one
# refers the other, the household rule flags it for review, as it would at a real desk.
HOUSEHOLD_SHARE = 0.02

# Parents before children: the writer flushes in this order so foreign keys always hold.
TABLES = [
    Patient,
    ReferralCode,
    Visit,
    Referral,
    ReferralEvent,
    Reward,
    LedgerEntry,
    FraudFlag,
    OutboxMessage,
    InboundMessage,
]
# A code is its owner's name part plus three random symbols, so one name part has room for
# 31³ = 29,791 codes. A real clinic's names are spread wide; the demo's ~100 first names are
# not, so past this share of a name part's room the demo picks another first name.
NAME_PART_ROOM = int(len(ALPHABET) ** RANDOM_SYMBOLS * 0.45)
MESSAGE_STATES = (
    "delivered",
    "delivered",
    "delivered",
    "sent",
    "undelivered",
    "failed",
    "cancelled",
    "pending",
    "pending",
)
MESSAGE_ERRORS = {
    "undelivered": ("30003", "The phone was switched off or out of coverage."),
    "failed": ("21211", "This number is not a valid mobile number."),
}


class DemoPhones:
    """Unique, valid mobile numbers for a region: its example mobile with random trailing
    digits — six of them, more for large clinics so a million patients still fit."""

    ATTEMPTS = 1_000

    def __init__(self, region: str, count: int, rng: random.Random) -> None:
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if example is None:
            raise InvalidInputError(f"No mobile numbers are known for {region}.")
        national = str(example.national_number)
        self._free = min(max(6, len(str(count)) + 1), max(len(national) - 2, 1))
        self._prefix = national[: len(national) - self._free]
        self._country = example.country_code
        self._region = region
        self._rng = rng
        self._taken: set[str] = set()

    def next(self) -> str:
        for _ in range(self.ATTEMPTS):
            suffix = str(self._rng.randrange(10**self._free)).zfill(self._free)
            number = phonenumbers.PhoneNumber(
                country_code=self._country, national_number=int(self._prefix + suffix)
            )
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 not in self._taken and phonenumbers.is_valid_number_for_region(
                number, self._region
            ):
                self._taken.add(e164)
                return e164
        raise InvalidInputError("The demo ran out of phone numbers; ask for fewer patients.")


@dataclass(slots=True)
class _Person:
    id: int
    first: str
    last: str
    created_at: datetime
    address: str
    phone: str
    consent: bool


@cache
def _name_columns(first: str, last: str) -> dict[str, str | None]:
    columns = search_columns(first, last, None)
    del columns["phone_rev"]
    return columns


@cache
def _name_part(first: str) -> str:
    return name_part(first)


@cache
def _email_local(first: str, last: str) -> str:
    return re.sub(r"['\s]", "", anyascii(f"{first}.{last}").lower())


class DemoRows:
    def __init__(
        self,
        out: BulkWriter,
        rng: random.Random,
        now: datetime,
        region: str,
        currency: str,
        visit_types: tuple[tuple[str, int], ...],
        program_id: int | None = None,
    ) -> None:
        self.out = out
        self.program_id = program_id  # the demo's reward program (see DEMO_PROGRAM)
        self.households: dict[tuple[str, str], int] = {}  # (surname, address) → first patient
        self.rng = rng
        self.now = now
        self.region = region
        self.currency = currency
        self.visit_types = visit_types
        self.counts = {"visits": 0, "referrals": 0, "messages": 0}
        self.codes: dict[int, str] = {}
        self.first_visit: dict[int, tuple[int, datetime]] = {}
        self.ids = {model.__tablename__: out.next_id(model) for model in TABLES}

    def _id(self, model: type) -> int:
        value = self.ids[model.__tablename__]
        self.ids[model.__tablename__] = value + 1
        return value

    def build(self, count: int) -> None:
        people = self._patients(count)
        self._visits(people)
        self._referrals(people)
        self._messages(people)
        self.out.flush()

    # -- patients ----------------------------------------------------------------------------
    def _patients(self, count: int) -> list[_Person]:
        rng, phones = self.rng, DemoPhones(self.region, count, self.rng)
        emails: set[str] = set()
        per_part: dict[str, int] = {}
        drafts = []
        for _ in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            while per_part.get(_name_part(first), 0) >= NAME_PART_ROOM:
                first = rng.choice(FIRST_NAMES)
            per_part[_name_part(first)] = per_part.get(_name_part(first), 0) + 1
            local = _email_local(first, last)
            email = f"{local}{rng.randrange(1, 999)}@{rng.choice(EMAIL_DOMAINS)}"
            if email in emails:
                email = f"{local}.{len(emails)}@{rng.choice(EMAIL_DOMAINS)}"
            emails.add(email)
            phone = phones.next()
            has_email = rng.random() < 0.85
            consent = rng.random() < 0.88
            birth_year = rng.randrange(1948, 2007)
            address = f"{rng.randrange(1, 180)} {rng.choice(STREETS)}"
            postcode = f"HB{rng.randrange(1, 9)} {rng.randrange(1, 9)}{rng.choice('ABDEF')}Q"
            if drafts and rng.random() < HOUSEHOLD_SHARE:  # lives with an earlier patient
                _c, _f, last, *_rest = rng.choice(drafts)
                address, postcode = _rest[4], _rest[5]
            created = self.now - timedelta(days=rng.randrange(0, 400), minutes=rng.randrange(600))
            opted_out = None
            if consent and rng.random() < 0.03:
                opted_out = created + timedelta(days=rng.randrange(1, 60))
            drafts.append(
                (
                    created,
                    first,
                    last,
                    phone,
                    email if has_email else None,
                    consent,
                    birth_year,
                    address,
                    postcode,
                    opted_out,
                )
            )
        drafts.sort(key=lambda draft: draft[0])
        taken: set[str] = set()
        people = []
        for draft in drafts:
            created, first, last, phone, email, consent, birth_year, address, postcode, out = draft
            pid = self._id(Patient)
            self.out.add(
                Patient,
                {
                    "id": pid,
                    "first_name": first,
                    "last_name": last,
                    **_name_columns(first, last),
                    "phone_e164": phone,
                    "phone_rev": digits_reversed(phone),
                    "phone_invalid": False,
                    "email": email,
                    "email_norm": normalize_email(email),
                    "birth_year": birth_year,
                    "address": address,
                    "postcode": postcode,
                    "sms_consent": consent,
                    "opted_out_at": out,
                    "source_kind": "walk_in",
                    "created_at": created,
                },
            )
            people.append(_Person(pid, first, last, created, address, phone, consent))
            self.households.setdefault((last, address), pid)
        # The table is empty, so the in-memory set alone keeps codes unique.
        for person in people:
            code = unique_code(None, person.first, rng, taken)
            self.codes[person.id] = code
            self.out.add(
                ReferralCode,
                {
                    "id": self._id(ReferralCode),
                    "patient_id": person.id,
                    "code": code,
                    "code_suffix": code[-4:],  # "type just K7QD" searches
                    "active": True,
                    "created_at": person.created_at,
                },
            )
        return people

    # -- visits ------------------------------------------------------------------------------
    def _visits(self, people: list[_Person]) -> None:
        rng, now = self.rng, self.now
        latest = now - timedelta(hours=2)
        today = now.replace(hour=9, minute=0, second=0, microsecond=0)
        for person in people:
            age_days = max((now - person.created_at).days, 0)
            at = person.created_at + timedelta(hours=rng.randrange(1, 48))
            for index in range(rng.choice((1, 1, 2, 3, 4, 5, 6, 8, 10))):
                if at > latest or age_days == 0:
                    break
                kind, price = self.visit_types[0] if index == 0 else rng.choice(self.visit_types)
                status = "attended" if rng.random() > 0.05 else rng.choice(("cancelled", "no_show"))
                vid = self._id(Visit)
                when = _office_hours(at)
                happy = rng.random() < 0.3
                self._visit(vid, person.id, kind, status, when, price, happy, at, index == 5)
                if status == "attended" and person.id not in self.first_visit:
                    self.first_visit[person.id] = (vid, when)
                at += timedelta(days=rng.randrange(5, 40))
            if rng.random() < 0.04:  # expected today
                kind, _price = rng.choice(self.visit_types)
                when = today + timedelta(minutes=30 * rng.randrange(16))
                created = now - timedelta(days=3)
                self._visit(self._id(Visit), person.id, kind, "booked", when, None, False, created)

    def _visit(
        self,
        vid: int,
        pid: int,
        kind: str,
        status: str,
        at: datetime,
        price: int | None,
        happy: bool,
        created: datetime,
        plan_complete: bool = False,
    ) -> None:
        self.out.add(
            Visit,
            {
                "id": vid,
                "patient_id": pid,
                "visit_type": kind,
                "status": status,
                "at": at,
                "amount_minor": price if status == "attended" else None,
                "happy": happy,
                "plan_complete": plan_complete,
                "created_at": created,
            },
        )
        self.counts["visits"] += 1

    # -- referrals, rewards, flags -----------------------------------------------------------
    def _referrals(self, people: list[_Person]) -> None:
        rng, now = self.rng, self.now
        by_id = {person.id: person for person in people}
        for index, person in enumerate(people[10:], start=10):
            if rng.random() > 0.3:
                continue
            referrer = people[rng.randrange(0, index)]
            housemate = self.households.get((person.last, person.address), person.id)
            if housemate != person.id:
                # Same surname and address: the household rule flags it, as it would live.
                referrer = by_id[housemate]
            first = self.first_visit.get(person.id)
            created = person.created_at
            path = ["introduced"]
            if first is not None:
                path += ["booked", "attended"]
                if housemate != person.id:
                    path.append("flagged")
                elif rng.random() < 0.02:
                    path = ["introduced", "blocked"]
                elif first[1] + timedelta(days=DEMO_HOLD_DAYS) <= now:
                    path.append("rewarded")  # the rest wait out the 7-day hold as "attended"
            else:
                path.append(rng.choice(("booked", "cancelled")))
            attended = first is not None and "attended" in path
            rid = self._referral(
                referrer.id,
                person.id,
                None,
                "desk",
                path,
                created,
                booked=created if "booked" in path else None,
                first=first if attended else None,
            )
            self._events(rid, path, created, first[1] if first else created)
            if attended and first is not None and path[-1] != "blocked":
                self._rewards(rid, referrer.id, person.id, first[1], flagged=path[-1] == "flagged")
            if path[-1] == "flagged":
                self.out.add(
                    FraudFlag,
                    {
                        "id": self._id(FraudFlag),
                        "referral_id": rid,
                        "rule": "household",
                        "explanation": f"{person.first} {person.last} and "
                        f"{referrer.first} {referrer.last} share a surname and an address "
                        f"({referrer.address}).",
                        "evidence_json": json.dumps(
                            {"address": referrer.address, "highlight": ["address", "last_name"]},
                            sort_keys=True,
                        ),
                        "status": "open",
                        "created_at": created,
                    },
                )
        # Friends named at the desk who have not booked yet, some long enough ago to expire.
        for _ in range(max(len(people) // 25, 3)):
            referrer = rng.choice(people)
            created = now - timedelta(days=rng.randrange(0, 150))
            if (now - created).days > 90:
                path = ["introduced", "expired"]
            else:
                path = rng.choice(
                    (
                        ["introduced"],
                        ["introduced", "booked"],
                        ["introduced", "booked", "cancelled"],
                    )
                )
            booked = created + timedelta(days=1) if "booked" in path else None
            name = rng.choice(FIRST_NAMES)
            rid = self._referral(referrer.id, None, name, "sms", path, created, booked, None)
            self._events(rid, path, created, created + timedelta(days=90))

    def _referral(
        self,
        referrer_id: int,
        referee_id: int | None,
        prospect: str | None,
        channel: str,
        path: list[str],
        created: datetime,
        booked: datetime | None,
        first: tuple[int, datetime] | None,
    ) -> int:
        rid = self._id(Referral)
        self.out.add(
            Referral,
            {
                "id": rid,
                "referrer_id": referrer_id,
                "referee_id": referee_id,
                "prospect_name": prospect,
                "code_used": self.codes[referrer_id] if referee_id else None,
                "channel": channel,
                "status": path[-1],
                "held_status": path[-2] if path[-1] == "flagged" else None,
                "created_at": created,
                "booked_at": booked,
                "attended_at": first[1] if first else None,
                "first_visit_id": first[0] if first else None,
            },
        )
        self.counts["referrals"] += 1
        return rid

    def _events(self, rid: int, path: list[str], start: datetime, end: datetime) -> None:
        previous = None
        for step, status in enumerate(path):
            self.out.add(
                ReferralEvent,
                {
                    "id": self._id(ReferralEvent),
                    "referral_id": rid,
                    "from_status": previous,
                    "to_status": status,
                    "at": start if step == 0 else min(end, self.now),
                },
            )
            previous = status

    def _rewards(
        self, rid: int, referrer_id: int, friend_id: int, at: datetime, *, flagged: bool
    ) -> None:
        """The pair the demo program issues at the first visit: the referrer's £20 usable after
        the hold, the friend's £10 at once; both held while the referral is flagged."""
        for role, pid, amount in (
            ("referrer", referrer_id, typical(20, self.currency)),  # as RewardProgram.default
            ("new_patient", friend_id, typical(10, self.currency)),
        ):
            usable = at + timedelta(days=DEMO_HOLD_DAYS) if role == "referrer" else at
            held = flagged or usable > self.now
            redeemed = amount if not held and self.rng.random() < 0.4 else 0
            status = "held" if held else "redeemed" if redeemed == amount else "available"
            reward_id = self._id(Reward)
            self.out.add(
                Reward,
                {
                    "id": reward_id,
                    "referral_id": rid,
                    "patient_id": pid,
                    "role": role,
                    "kind": "credit",
                    "currency": self.currency,
                    "amount_minor": amount,
                    "remaining_minor": amount - redeemed,
                    "status": status,
                    "issued_at": at,
                    "usable_from": usable,
                    "expires_at": add_months(usable, 12),
                    "program_id": self.program_id,
                    "value_minor": amount,
                },
            )
            self._ledger(reward_id, pid, "issued", amount, at)
            if redeemed:
                when = min(usable + timedelta(days=7), self.now)
                self._ledger(reward_id, pid, "redeemed", -redeemed, when)

    def _ledger(self, reward_id: int, pid: int, kind: str, amount: int, at: datetime) -> None:
        self.out.add(
            LedgerEntry,
            {
                "id": self._id(LedgerEntry),
                "reward_id": reward_id,
                "patient_id": pid,
                "entry_type": kind,
                "amount_minor": amount,
                "at": at,
            },
        )

    # -- messages ----------------------------------------------------------------------------
    def _messages(self, people: list[_Person]) -> None:
        rng, now = self.rng, self.now
        consenting = [p for p in people if p.consent and p.phone]
        for person in rng.sample(consenting, min(len(consenting), max(len(people) // 8, 9))):
            status = rng.choice(MESSAGE_STATES)
            created = now - timedelta(days=rng.randrange(0, 60), minutes=rng.randrange(600))
            if status == "pending":
                created = now - timedelta(minutes=rng.randrange(5, 90))
            error = MESSAGE_ERRORS.get(status)
            unsent = status in ("pending", "cancelled")
            message_id = self._id(OutboxMessage)
            self.out.add(
                OutboxMessage,
                {
                    "id": message_id,
                    "patient_id": person.id,
                    "to_phone": person.phone,
                    "kind": "referral_ask",
                    "body": f"Hi {person.first}, thanks for visiting! Know someone who'd like "
                    f"to feel better too? Give them your code {self.codes[person.id]}. "
                    "Reply STOP to opt out.",
                    "segments": 1,
                    "encoding": "GSM-7",
                    "marketing": True,
                    "status": status,
                    "not_before": created,
                    "next_attempt_at": created,
                    "attempts": 0 if status == "pending" else 1,
                    "created_at": created,
                    "error_code": error[0] if error else None,
                    "error_text": error[1] if error else None,
                    "provider_sid": None if unsent else f"SMdemo{person.id:026d}",
                    "sent_at": None if unsent else created,
                },
            )
            self.counts["messages"] += 1
            if status == "delivered" and rng.random() < 0.25:
                # Understood as the sync understands a real reply: a rating of 4-5 or a
                # balance question needs nobody at the desk; words and a 1-3 do. (A STOP
                # would have opted the person out, which this consenting patient is not.)
                body = rng.choice(INBOUND_TEXTS)
                meaning = replies.classify(body, "FRIEND")
                if meaning.intent == replies.OPT_OUT:
                    continue
                received = created + timedelta(hours=2)
                for_desk = meaning.intent == replies.TEXT or (
                    meaning.intent == replies.RATING and (meaning.rating or 0) < GOOD_RATING
                )
                self.out.add(
                    InboundMessage,
                    {
                        "id": self._id(InboundMessage),
                        "provider_sid": f"SMin{message_id:028d}",
                        "from_phone": person.phone,
                        "to_phone": "+440000000000",
                        "body": body,
                        "received_at": received,
                        "patient_id": person.id,
                        "in_reply_to_id": message_id,
                        "intent": meaning.intent,
                        "rating": meaning.rating,
                        "handled_at": None if for_desk else received,
                    },
                )


def _office_hours(at: datetime) -> datetime:
    """Move a timestamp into the clinic's opening hours (roughly 08:00–19:00 UTC)."""
    return at.replace(hour=8 + at.hour % 11, minute=(at.minute // 15) * 15, second=0, microsecond=0)
