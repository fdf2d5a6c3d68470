"""The clinic row and its settings, read inside a unit of work by every feature."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.domain.clinic_settings import spec_for
from frontdesk.domain.errors import InvalidInputError
from frontdesk.resource_path import resource_path
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


@cache
def clinic_type_defaults(clinic_type: str) -> dict[str, Any]:
    """What ``resources/sms/<type>.json`` ships for a clinic type: visit types, texts, rules."""
    path = resource_path(f"sms/{clinic_type}.json")
    if not path.exists():
        path = resource_path("sms/physio.json")
    return json.loads(path.read_text(encoding="utf-8"))


def default_value(session: Session, key: str) -> Any:
    """A setting's value before anyone set it; visit types follow the clinic's type (a med
    spa has injectables, not sports massage), so its ask rules have visits to act on."""
    if key == "visit_types":
        return list(clinic_type_defaults(clinic_row(session).clinic_type)["visit_types"])
    return spec_for(key).default


def setting_value(session: Session, key: str) -> Any:
    spec = spec_for(key)
    row = session.get(Setting, key)
    return spec.decode(row.value_json) if row else default_value(session, key)
