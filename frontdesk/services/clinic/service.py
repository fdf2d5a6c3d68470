"""Setting up the clinic and reading or changing its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain import clinic_profile as profile
from frontdesk.domain.changes import Changes
from frontdesk.domain.clinic_settings import SETTINGS, spec_for
from frontdesk.domain.errors import ConflictError, InvalidInputError, InvalidSettingError
from frontdesk.domain.money import decimals, typical, validate_currency
from frontdesk.domain.referral_link import personal_link
from frontdesk.services.records import audit
from frontdesk.services.records.changes import written
from frontdesk.services.records.clinic import (
    CLINIC_KEYS,
    clinic_info,
    clinic_row,
    default_value,
)
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.dto import ClinicInfo
from frontdesk.store.models import Clinic, Setting

SMS_PRICE = "sms.segment_price_micros"


@dataclass(frozen=True)
class SettingsSaved:
    values: dict[str, Any]  # key → the value as stored
    changes: Changes


class ClinicService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def init(
        self,
        actor: Actor,
        *,
        name: str,
        country: str,
        timezone: str | None = None,
        currency: str | None = None,
        booking_url: str | None = None,
        clinic_type: str = "physio",
    ) -> ClinicInfo:
        country = profile.validate_country(country)
        clinic = Clinic(
            id=1,
            name=profile.validate_name(name),
            country=country,
            timezone=profile.validate_timezone(timezone or profile.default_timezone(country)),
            currency=validate_currency(currency) if currency else profile.default_currency(country),
            booking_url=_fits_a_card(profile.validate_booking_url(booking_url)),
            clinic_type=profile.validate_clinic_type(clinic_type),
            created_at=self._ctx.clock.now(),
        )
        with self._ctx.db.begin() as session:
            if session.get(Clinic, 1) is not None:
                raise ConflictError("This database already belongs to a clinic.")
            session.add(clinic)
            _size_sms_price(session, clinic.currency, clinic.created_at)
            info = clinic_info(clinic)
            audit.record(
                session,
                actor,
                "clinic.init",
                "clinic",
                1,
                at=self._ctx.clock.now(),
                after=_as_dict(info),
            )
        return info

    def is_initialised(self) -> bool:
        with self._ctx.db.read() as session:
            return session.get(Clinic, 1) is not None

    def info(self) -> ClinicInfo:
        with self._ctx.db.read() as session:
            return clinic_info(clinic_row(session))

    def get_settings(self, key: str | None = None) -> dict[str, Any]:
        """Every setting (or one), clinic identity included, as key → value."""
        with self._ctx.db.read() as session:
            info = clinic_info(clinic_row(session))
            values: dict[str, Any] = {
                "clinic.name": info.name,
                "clinic.country": info.country,
                "clinic.timezone": info.timezone,
                "clinic.currency": info.currency,
                "clinic.booking_url": info.booking_url,
                "clinic.sms_number": info.sms_number,
                "clinic.type": info.clinic_type,
            }
            stored = {row.key: row.value_json for row in session.scalars(select(Setting))}
            for spec in SETTINGS.values():
                raw = stored.get(spec.key)
                values[spec.key] = (
                    spec.decode(raw) if raw is not None else default_value(session, spec.key)
                )
        if key is None:
            return values
        if key not in values:
            spec_for(key)  # raises the helpful "no such setting" error
        return {key: values[key]}

    def set_setting(self, actor: Actor, key: str, raw: str) -> Any:
        return self.set_settings(actor, {key: raw})[key]

    def set_settings(self, actor: Actor, changes: dict[str, str]) -> dict[str, Any]:
        """Change several settings at once: all are checked and written, or none is."""
        return self.save_settings(actor, changes).values

    def save_settings(self, actor: Actor, changes: dict[str, str]) -> SettingsSaved:
        """``set_settings``, saying what changed (for the desk's screens)."""
        actor.require_owner("change settings")
        with self._ctx.db.begin() as session:
            values: dict[str, Any] = {}
            for key, raw in changes.items():
                try:
                    values[key] = self._set_one(session, actor, key, raw)
                except InvalidSettingError:
                    raise
                except InvalidInputError as error:  # say which setting, for the form
                    raise InvalidSettingError(error.message, key) from error
            return SettingsSaved(values, written(session))

    def _set_one(self, session: Session, actor: Actor, key: str, raw: str) -> Any:
        """One audited change, inside the caller's transaction."""
        now = self._ctx.clock.now()
        if key in CLINIC_KEYS:
            before = getattr(clinic_row(session), _clinic_attr(key))
            value = self._set_clinic_field(session, key, raw)
        else:
            spec = spec_for(key)
            value = spec.parse(raw)
            row = session.get(Setting, key)
            before = spec.decode(row.value_json) if row else default_value(session, key)
            if row is None:
                session.add(Setting(key=key, value_json=spec.encode(value), updated_at=now))
            else:
                row.value_json = spec.encode(value)
                row.updated_at = now
        audit.record(
            session,
            actor,
            "setting.set",
            "setting",
            None,
            at=now,
            before={key: before},
            after={key: value},
        )
        return value

    def _set_clinic_field(self, session: Session, key: str, raw: str) -> Any:
        from frontdesk.domain.phones import parse_phone

        clinic = clinic_row(session)
        field = key.removeprefix("clinic.")
        if field == "name":
            clinic.name = profile.validate_name(raw)
        elif field == "country":
            clinic.country = profile.validate_country(raw)
        elif field == "timezone":
            clinic.timezone = profile.validate_timezone(raw.strip())
        elif field == "currency":
            clinic.currency = validate_currency(raw)
        elif field == "booking_url":
            clinic.booking_url = _fits_a_card(profile.validate_booking_url(raw))
        elif field == "sms_number":
            clinic.sms_number = parse_phone(raw, clinic.country) if raw.strip() else None
        elif field == "type":
            clinic.clinic_type = profile.validate_clinic_type(raw.strip())
        return getattr(clinic, _clinic_attr(key))


def _size_sms_price(session: Session, currency: str, now: datetime) -> None:
    """The SMS price default is 0.04 of a pound-sized unit; a yen clinic starts at ¥4."""
    scale = typical(1, currency) // 10 ** decimals(currency)
    if scale > 1:
        spec = spec_for(SMS_PRICE)
        sized = min(int(spec.default) * scale, spec.maximum or 0)
        session.add(Setting(key=SMS_PRICE, value_json=spec.encode(sized), updated_at=now))


# The longest code a patient can have (an 8-letter name part and its symbols).
_LONGEST_CODE = "ABCDEFGH-K7QD"


def _fits_a_card(url: str | None) -> str | None:
    """A booking address whose personal links still print as a readable QR on a card."""
    if url is None:
        return None
    from frontdesk.printing import card_layout as cards
    from frontdesk.printing.qr import QrTooDenseError, fit_qr, make_qr

    link = personal_link(url, _LONGEST_CODE) or url
    try:
        fit_qr(make_qr(link), cards.QR_SLOT, max_mm=cards.QR_MAX, where="a referral card")
    except QrTooDenseError:
        raise InvalidInputError(
            f"The booking address is too long for the QR code on a referral card "
            f"({len(url)} characters). Use the page's short address (a link shortener works)."
        ) from None
    return url


def _clinic_attr(key: str) -> str:
    field = key.removeprefix("clinic.")
    return "clinic_type" if field == "type" else field


def _as_dict(info: ClinicInfo) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(info)
