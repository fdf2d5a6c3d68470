"""A living demo clinic: deterministic for a seed and a date, realistic enough to evaluate.

It writes rows directly in one transaction (fast for 10k+ patients) but fills every table
the way the services would, so every screen has something true to show.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from anyascii import anyascii
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import ConflictError, InvalidInputError
from frontdesk.domain.names import normalize_email
from frontdesk.services import audit
from frontdesk.services.clinic import clinic_row
from frontdesk.services.context import Actor, ServiceContext
from frontdesk.services.demo_names import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    INBOUND_TEXTS,
    LAST_NAMES,
    STREETS,
    VISIT_TYPES,
)
from frontdesk.services.patient_records import NewPatient, build_patient, unique_code
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
    Setting,
    Visit,
)

MAX_PATIENTS = 2_000_000
DEMO_SETTING = "demo.mode"


@dataclass(frozen=True)
class DemoReport:
    patients: int
    visits: int
    referrals: int
    messages: int


class DemoService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def generate(self, actor: Actor, patients: int = 400, seed: int = 7) -> DemoReport:
        if not 1 <= patients <= MAX_PATIENTS:
            raise InvalidInputError(f"A demo clinic has 1 to {MAX_PATIENTS:,} patients.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            clinic = clinic_row(session)
            if session.scalar(select(func.count(Patient.id))):
                raise ConflictError("This clinic already has patients; a demo needs an empty one.")
            builder = _DemoBuilder(
                session,
                random.Random(seed),
                now,
                clinic.country,
                clinic.currency,
                clinic.clinic_type,
            )
            report = builder.build(patients)
            session.add(Setting(key=DEMO_SETTING, value_json="true", updated_at=now))
            audit.record(
                session,
                actor,
                "demo.generate",
                "clinic",
                1,
                at=now,
                after={"patients": patients, "seed": seed},
            )
        return report


def demo_phone(rng: random.Random, region: str, taken: set[str]) -> str:
    """A valid mobile number for the region: the example number with random trailing digits."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        raise InvalidInputError(f"No mobile numbers are known for {region}.")
    national = str(example.national_number)
    keep = max(len(national) - 6, 1)
    while True:
        candidate = national[:keep] + "".join(
            str(rng.randrange(10)) for _ in range(len(national) - keep)
        )
        number = phonenumbers.parse(f"+{example.country_code}{candidate}")
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in taken and phonenumbers.is_valid_number(number):
            taken.add(e164)
            return e164


class _DemoBuilder:
    def __init__(
        self,
        session: Session,
        rng: random.Random,
        now: datetime,
        region: str,
        currency: str,
        clinic_type: str,
    ) -> None:
        self.s = session
        self.rng = rng
        self.now = now
        self.region = region
        self.currency = currency
        self.visit_types = VISIT_TYPES.get(clinic_type, VISIT_TYPES["physio"])
        self.counts = {"visits": 0, "referrals": 0, "messages": 0}

    def build(self, count: int) -> DemoReport:
        patients = self._patients(count)
        self._visits(patients)
        self._referrals(patients)
        self._messages(patients)
        return DemoReport(
            count, self.counts["visits"], self.counts["referrals"], self.counts["messages"]
        )

    # -- patients ----------------------------------------------------------------------------
    def _patients(self, count: int) -> list[Patient]:
        rng, phones, emails, codes = self.rng, set(), set(), set()
        rows: list[Patient] = []
        for _ in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            local = anyascii(f"{first}.{last}").lower().replace("'", "").replace(" ", "")
            email = f"{local}{rng.randrange(1, 999)}@{rng.choice(EMAIL_DOMAINS)}"
            if email in emails:
                email = f"{local}.{len(emails)}@{rng.choice(EMAIL_DOMAINS)}"
            emails.add(email)
            patient = build_patient(
                NewPatient(
                    first_name=first,
                    last_name=last,
                    phone_e164=demo_phone(rng, self.region, phones),
                    email=email if rng.random() < 0.85 else None,
                    email_norm=normalize_email(email),
                    sms_consent=rng.random() < 0.88,
                    birth_year=rng.randrange(1948, 2007),
                    address=f"{rng.randrange(1, 180)} {rng.choice(STREETS)}",
                    postcode=f"HB{rng.randrange(1, 9)} {rng.randrange(1, 9)}{rng.choice('ABDEF')}Q",
                ),
                self.now - timedelta(days=rng.randrange(0, 400), minutes=rng.randrange(600)),
            )
            if patient.email is None:
                patient.email_norm = None
            if patient.sms_consent and rng.random() < 0.03:
                patient.opted_out_at = patient.created_at + timedelta(days=rng.randrange(1, 60))
            rows.append(patient)
        rows.sort(key=lambda p: p.created_at)
        self.s.add_all(rows)
        self.s.flush()
        # The table is empty, so the in-memory set alone keeps codes unique.
        self.codes = {p.id: unique_code(None, p.first_name, rng, codes) for p in rows}
        self.s.add_all(
            ReferralCode(
                patient_id=p.id, code=self.codes[p.id], active=True, created_at=p.created_at
            )
            for p in rows
        )
        return rows

    # -- visits ------------------------------------------------------------------------------
    def _visits(self, patients: list[Patient]) -> None:
        rng = self.rng
        self.first_visit: dict[int, Visit] = {}
        for patient in patients:
            age_days = max((self.now - patient.created_at).days, 0)
            at = patient.created_at + timedelta(hours=rng.randrange(1, 48))
            visits = []
            for index in range(rng.choice((1, 1, 2, 3, 4, 5, 6, 8, 10))):
                if at > self.now - timedelta(hours=2) or age_days == 0:
                    break
                kind, price = self.visit_types[0] if index == 0 else rng.choice(self.visit_types)
                status = "attended" if rng.random() > 0.05 else rng.choice(("cancelled", "no_show"))
                visits.append(
                    Visit(
                        patient_id=patient.id,
                        visit_type=kind,
                        status=status,
                        at=_office_hours(at),
                        amount_minor=price if status == "attended" else None,
                        happy=rng.random() < 0.3,
                        plan_complete=index == 5,
                        created_at=at,
                    )
                )
                at += timedelta(days=rng.randrange(5, 40))
            if rng.random() < 0.04:  # expected today
                kind, _price = rng.choice(self.visit_types)
                start = self.now.replace(hour=9, minute=0, second=0, microsecond=0)
                visits.append(
                    Visit(
                        patient_id=patient.id,
                        visit_type=kind,
                        status="booked",
                        at=start + timedelta(minutes=30 * rng.randrange(16)),
                        created_at=self.now - timedelta(days=3),
                    )
                )
            self.s.add_all(visits)
            attended = [v for v in visits if v.status == "attended"]
            if attended:
                self.first_visit[patient.id] = attended[0]
            self.counts["visits"] += len(visits)
        self.s.flush()

    # -- referrals, rewards, flags -----------------------------------------------------------
    def _referrals(self, patients: list[Patient]) -> None:
        rng = self.rng
        for index, patient in enumerate(patients[10:], start=10):
            if rng.random() > 0.3:
                continue
            referrer = patients[rng.randrange(0, index)]
            first = self.first_visit.get(patient.id)
            created = patient.created_at
            path = ["introduced"]
            if first is not None:
                path += ["booked", "attended"]
                roll = rng.random()
                if roll < 0.06:
                    path.append("flagged")
                elif roll < 0.08:
                    path = ["introduced", "blocked"]
                elif roll > 0.13 and (self.now - first.at).days > 7:
                    path.append("rewarded")  # the rest wait out the 7-day hold as "attended"
            else:
                path.append(rng.choice(("booked", "cancelled")))
            referral = Referral(
                referrer_id=referrer.id,
                referee_id=patient.id,
                code_used=self._code_of(referrer.id),
                channel="desk",
                status=path[-1],
                created_at=created,
                booked_at=created if "booked" in path else None,
                attended_at=first.at if first and "attended" in path else None,
                first_visit_id=first.id if first and "attended" in path else None,
                held_status="attended" if path[-1] == "flagged" else None,
            )
            self.s.add(referral)
            self.s.flush()
            self._events(referral, path, created, first.at if first else created)
            if path[-1] == "rewarded" and first is not None:
                self._rewards(referral, referrer, patient, first)
            if path[-1] == "flagged":
                self.s.add(
                    FraudFlag(
                        referral_id=referral.id,
                        rule="household",
                        explanation=f"{patient.first_name} {patient.last_name} and "
                        f"{referrer.first_name} {referrer.last_name} share an address.",
                        evidence_json=json.dumps({"address": referrer.address}),
                        status="open",
                        created_at=first.at if first else created,
                    )
                )
            self.counts["referrals"] += 1
        # Friends named at the desk who have not booked yet, some long enough ago to expire.
        for _ in range(max(len(patients) // 25, 3)):
            referrer = rng.choice(patients)
            created = self.now - timedelta(days=rng.randrange(0, 150))
            if (self.now - created).days > 90:
                path = ["introduced", "expired"]
            else:
                path = rng.choice(
                    (
                        ["introduced"],
                        ["introduced", "booked"],
                        ["introduced", "booked", "cancelled"],
                    )
                )
            referral = Referral(
                referrer_id=referrer.id,
                prospect_name=rng.choice(FIRST_NAMES),
                channel="sms",
                status=path[-1],
                created_at=created,
                booked_at=created + timedelta(days=1) if "booked" in path else None,
            )
            self.s.add(referral)
            self.s.flush()
            self._events(referral, path, created, created + timedelta(days=90))
            self.counts["referrals"] += 1

    def _events(self, referral: Referral, path: list[str], start: datetime, end: datetime) -> None:
        previous = None
        for step, status in enumerate(path):
            at = start if step == 0 else min(end, self.now)
            self.s.add(
                ReferralEvent(
                    referral_id=referral.id,
                    from_status=previous,
                    to_status=status,
                    at=at,
                    reason=None,
                )
            )
            previous = status

    def _rewards(
        self, referral: Referral, referrer: Patient, friend: Patient, first: Visit
    ) -> None:
        for role, patient, amount in (("referrer", referrer, 2000), ("new_patient", friend, 1000)):
            redeemed = amount if self.rng.random() < 0.4 else 0
            reward = Reward(
                referral_id=referral.id,
                patient_id=patient.id,
                role=role,
                kind="credit",
                currency=self.currency,
                amount_minor=amount,
                remaining_minor=amount - redeemed,
                status="redeemed" if redeemed == amount else "available",
                issued_at=first.at,
                usable_from=first.at,
                expires_at=first.at + timedelta(days=365),
            )
            self.s.add(reward)
            self.s.flush()
            self.s.add(
                LedgerEntry(
                    reward_id=reward.id,
                    patient_id=patient.id,
                    entry_type="issued",
                    amount_minor=amount,
                    at=first.at,
                )
            )
            if redeemed:
                self.s.add(
                    LedgerEntry(
                        reward_id=reward.id,
                        patient_id=patient.id,
                        entry_type="redeemed",
                        amount_minor=-redeemed,
                        at=min(first.at + timedelta(days=14), self.now),
                    )
                )

    # -- messages ----------------------------------------------------------------------------
    def _messages(self, patients: list[Patient]) -> None:
        rng = self.rng
        states = (
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
        errors = {
            "undelivered": ("30003", "The phone was switched off or out of coverage."),
            "failed": ("21211", "This number is not a valid mobile number."),
        }
        consenting = [p for p in patients if p.sms_consent and p.phone_e164]
        for patient in rng.sample(consenting, min(len(consenting), max(len(patients) // 8, 9))):
            status = rng.choice(states)
            created = self.now - timedelta(days=rng.randrange(0, 60), minutes=rng.randrange(600))
            if status == "pending":
                created = self.now - timedelta(minutes=rng.randrange(5, 90))
            code = self._code_of(patient.id)
            error = errors.get(status)
            message = OutboxMessage(
                patient_id=patient.id,
                to_phone=patient.phone_e164,
                kind="referral_ask",
                body=f"Hi {patient.first_name}, thanks for visiting! Know someone who'd like "
                f"to feel better too? Give them your code {code}. Reply STOP to opt out.",
                segments=1,
                encoding="GSM-7",
                marketing=True,
                status=status,
                not_before=created,
                next_attempt_at=created,
                attempts=0 if status == "pending" else 1,
                created_at=created,
                error_code=error[0] if error else None,
                error_text=error[1] if error else None,
                provider_sid=None
                if status in ("pending", "cancelled")
                else f"SMdemo{patient.id:026d}",
                sent_at=None if status in ("pending", "cancelled") else created,
            )
            self.s.add(message)
            self.counts["messages"] += 1
            if status == "delivered" and rng.random() < 0.25:
                self.s.flush()
                self.s.add(
                    InboundMessage(
                        provider_sid=f"SMin{message.id:028d}",
                        from_phone=patient.phone_e164,
                        to_phone="+440000000000",
                        body=rng.choice(INBOUND_TEXTS),
                        received_at=created + timedelta(hours=2),
                        patient_id=patient.id,
                        in_reply_to_id=message.id,
                        intent="text",
                    )
                )

    def _code_of(self, patient_id: int) -> str:
        return self.codes[patient_id]


def _office_hours(at: datetime) -> datetime:
    """Move a timestamp into the clinic's opening hours (roughly 08:00–19:00 UTC)."""
    return at.replace(hour=8 + at.hour % 11, minute=(at.minute // 15) * 15, second=0, microsecond=0)
