"""The clinic row and its settings, read inside a unit of work by every feature."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from frontdesk.domain.clinic_settings import spec_for
from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.records.dto import ClinicInfo
from frontdesk.store.models import Clinic, Setting

CLINIC_KEYS = (
    "clinic.name",
    "clinic.country",
    "clinic.timezone",
    "clinic.currency",
    "clinic.booking_url",
    "clinic.sms_number",
    "clinic.type",
)


def clinic_row(session: Session) -> Clinic:
    clinic = session.get(Clinic, 1)
    if clinic is None:
        raise InvalidInputError(
            "This database has no clinic yet. Run `frontdesk init --clinic NAME --country CC`."
        )
    return clinic


def clinic_info(clinic: Clinic) -> ClinicInfo:
    return ClinicInfo(
        name=clinic.name,
        country=clinic.country,
        timezone=clinic.timezone,
        currency=clinic.currency,
        booking_url=clinic.booking_url,
        sms_number=clinic.sms_number,
        clinic_type=clinic.clinic_type,
    )


def setting_value(session: Session, key: str) -> Any:
    spec = spec_for(key)
    row = session.get(Setting, key)
    return spec.decode(row.value_json) if row else spec.default
