"""Rows of an import that are already on file: find them, decide if they are the same
person, and fill in what the patient on file is missing (never overwrite it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from frontdesk.domain.import_rows import ParsedRow
from frontdesk.domain.names import name_similarity, normalize_name, phonetic_key
from frontdesk.services.records import audit
from frontdesk.services.records.context import Actor
from frontdesk.services.records.patients import search_columns
from frontdesk.store import bulk
from frontdesk.store.models import ConsentEvent, Patient, ReferralCode


@dataclass(frozen=True)
class Existing:
    id: int
    first_name: str
    last_name: str
    code: str | None
    phone_e164: str | None
    email: str | None
    birth_year: int | None
    address: str | None
    postcode: str | None
    payer_type: str | None
    sms_consent: bool
    opted_out: bool

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def updates(self, row: ParsedRow) -> dict[str, Any]:
        """Column values the row adds: only where the patient on file has nothing."""
        values: dict[str, Any] = {}
        for column in ("phone_e164", "email", "birth_year", "address", "postcode", "payer_type"):
            if getattr(self, column) in (None, "") and getattr(row, column) not in (None, ""):
                values[column] = getattr(row, column)
        if "email" in values:
            values["email_norm"] = row.email_norm
        if row.opted_out and not self.opted_out:
            values["sms_consent"] = False
            values["opted_out"] = True
        elif row.sms_consent and not self.sms_consent and not self.opted_out:
            values["sms_consent"] = True
        return values

    def fillable(self, row: ParsedRow) -> list[str]:
        labels = {
            "phone_e164": "phone",
            "email": "email",
            "birth_year": "year of birth",
            "address": "address",
            "postcode": "postcode",
            "payer_type": "payer type",
            "sms_consent": "SMS consent",
            "opted_out": "SMS opt-out",
        }
        values = self.updates(row)
        if values.get("opted_out"):
            values.pop("sms_consent", None)
        return [labels[key] for key in values if key in labels]


def find_existing(
    session: Session, phones: Sequence[str], emails: Sequence[str]
) -> tuple[dict[str, list[Existing]], dict[str, list[Existing]]]:
    """Patients on file (not erased) by phone and by email, looked up in indexed chunks."""
    by_phone: dict[str, list[Existing]] = {}
    by_email: dict[str, list[Existing]] = {}
    columns = (
        Patient.id,
        Patient.first_name,
        Patient.last_name,
        ReferralCode.code,
        Patient.phone_e164,
        Patient.email,
        Patient.birth_year,
        Patient.address,
        Patient.postcode,
        Patient.payer_type,
        Patient.sms_consent,
        Patient.opted_out_at,
        Patient.email_norm,
    )
    base = (
        select(*columns)
        .outerjoin(ReferralCode, and_(ReferralCode.patient_id == Patient.id, ReferralCode.active))
        .where(Patient.erased_at.is_(None))
        .order_by(Patient.id)
    )
    for values, column, target in (
        (phones, Patient.phone_e164, by_phone),
        (emails, Patient.email_norm, by_email),
    ):
        for condition in bulk.in_chunks(session, column, values):
            for row in session.execute(base.where(condition)):
                found = Existing(*row[:11], opted_out=row.opted_out_at is not None)
                key = row.phone_e164 if target is by_phone else row.email_norm
                target.setdefault(key, []).append(found)
    return by_phone, by_email


def pick(candidates: list[Existing] | None, row: ParsedRow) -> Existing | None:
    """Of the patients sharing a phone or email, the one who is this person, else the first."""
    if not candidates:
        return None
    return next((c for c in candidates if same_person(c, row)), candidates[0])


class _Named(Protocol):
    first_name: str
    last_name: str


def same_person(existing: Existing, row: ParsedRow) -> bool:
    return same_name(existing, row)


def same_name(a: _Named, b: _Named) -> bool:
    """Same last name and a first name that is the same, a short form ('Kate'/'Katherine')
    or a near spelling ('Jon'/'John'). A family sharing a phone is not one person."""
    if normalize_name(a.last_name) != normalize_name(b.last_name):
        return False
    x, y = normalize_name(a.first_name), normalize_name(b.first_name)
    if not x or not y:
        return False
    return (
        x == y
        or x.startswith(y)
        or y.startswith(x)
        or name_similarity(x, y) >= 0.88
        or phonetic_key(x) == phonetic_key(y)
    )


_ABSORBED = (
    ("phone_e164", "phone"),
    ("email", "email"),
    ("birth_year", "year of birth"),
    ("address", "address"),
    ("postcode", "postcode"),
    ("payer_type", "payer type"),
    ("source", "referral source"),
)


def absorb(first: ParsedRow, later: ParsedRow) -> list[str]:
    """Fill the gaps of a file's first row for a person from a later row of the same
    person; a different second phone is kept as another number. Returns what was added."""
    added = []
    for attr, label in _ABSORBED:
        if getattr(first, attr) in (None, "") and getattr(later, attr) not in (None, ""):
            setattr(first, attr, getattr(later, attr))
            added.append(label)
            if attr == "email":
                first.email_norm = later.email_norm
    numbers = [later.phone_e164, *later.other_phones]
    extra = tuple(n for n in numbers if n and n != first.phone_e164 and n not in first.other_phones)
    first.other_phones += extra
    if later.opted_out and not first.opted_out:
        first.opted_out, first.sms_consent = True, False
        added.append("SMS opt-out")
    elif later.sms_consent and not first.sms_consent and not first.opted_out:
        first.sms_consent = True
        added.append("SMS consent")
    return added


def merge_into(
    session: Session, actor: Actor, existing: Existing, row: ParsedRow, now: datetime
) -> None:
    values = existing.updates(row)
    if not values:
        return
    before = {key: getattr(existing, key) for key in values if hasattr(existing, key)}
    changes = dict(values)
    opted_out = changes.pop("opted_out", False)
    if opted_out:
        changes["opted_out_at"] = now
    if "phone_e164" in changes:
        changes["phone_rev"] = search_columns(
            existing.first_name, existing.last_name, changes["phone_e164"]
        )["phone_rev"]
    session.execute(update(Patient).where(Patient.id == existing.id).values(**changes))
    if opted_out or values.get("sms_consent"):
        session.add(
            ConsentEvent(
                patient_id=existing.id,
                kind="opted_out" if opted_out else "granted",
                channel="import",
                at=now,
                staff_id=actor.staff_id,
            )
        )
    audit.record(
        session,
        actor,
        "patient.import_merge",
        "patient",
        existing.id,
        at=now,
        before=before,
        after={key: value for key, value in values.items() if key != "email_norm"},
        reason=f"line {row.line} of an imported list",
    )
