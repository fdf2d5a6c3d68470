"""Plain frozen results that cross from services to the UI and CLI (never ORM rows)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    country: str
    timezone: str
    currency: str
    booking_url: str | None
    sms_number: str | None
    clinic_type: str


@dataclass(frozen=True)
class PatientRef:
    id: int
    name: str
    phone: str | None
    email: str | None
    code: str | None


@dataclass(frozen=True)
class SearchHit:
    """One row of the search dropdown: who, and what tells them apart at a glance."""

    patient: PatientRef
    masked_phone: str
    matched_on: str  # code, phone, name, email
    score: float
    birth_year: int | None
    last_visit: datetime | None
    badge: str | None  # a referral status, "flagged", …
    fact: str | None  # the one thing that matters: "£20 credit", "referred by Sarah C."


@dataclass(frozen=True)
class LookupResult:
    query: str
    hits: tuple[SearchHit, ...]
    suggestions: tuple[str, ...] = ()  # "did you mean" codes
    message: str | None = None


@dataclass(frozen=True)
class DeskStatus:
    """What the status bar shows."""

    waiting_messages: int
    failed_messages: int
    unhandled_replies: int
    open_flags: int
    last_sync: datetime | None
    sms_configured: bool
    timezone: str  # the clinic's, so the last sync reads on its wall clock


def to_json(value: Any) -> Any:
    """Dataclasses, datetimes and tuples as JSON-ready structures."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_json(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
