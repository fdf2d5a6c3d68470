"""Validation of a clinic's identity: country, time zone, currency and booking page."""

from __future__ import annotations

from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.plain_text import refuse_control_characters

# A personal link is this plus "?ref=CODE"; the service checks the exact fit on a card.
MAX_BOOKING_URL = 300
# Currency and usual time zone of the countries Frontdesk is sold in; others pass --currency.
COUNTRY_DEFAULTS: dict[str, tuple[str, str]] = {
    "GB": ("GBP", "Europe/London"),
    "IE": ("EUR", "Europe/Dublin"),
    "US": ("USD", "America/New_York"),
    "CA": ("CAD", "America/Toronto"),
    "AU": ("AUD", "Australia/Sydney"),
    "NZ": ("NZD", "Pacific/Auckland"),
    "DE": ("EUR", "Europe/Berlin"),
    "FR": ("EUR", "Europe/Paris"),
    "NL": ("EUR", "Europe/Amsterdam"),
    "ES": ("EUR", "Europe/Madrid"),
    "ZA": ("ZAR", "Africa/Johannesburg"),
}

CLINIC_TYPES = ("physio", "medspa", "massage")


def validate_name(name: str) -> str:
    refuse_control_characters(name, "The clinic name")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError("The clinic needs a name.")
    if len(cleaned) > 120:
        raise InvalidInputError("The clinic name is too long (120 characters at most).")
    return cleaned


def validate_country(code: str) -> str:
    country = code.strip().upper()
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInputError(
            f"{code!r} is not a country code. Use two letters, like GB, US, AU or IE."
        )
    return country


def validate_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            f"{name!r} is not a time zone. Use a name like Europe/London or America/Chicago."
        ) from None
    if name not in available_timezones():
        raise InvalidInputError(f"{name!r} is not a time zone this computer knows.")
    return name


def default_currency(country: str) -> str:
    try:
        return COUNTRY_DEFAULTS[country][0]
    except KeyError:
        raise InvalidInputError(
            f"Frontdesk doesn't know the currency for {country}; give it with --currency."
        ) from None


def default_timezone(country: str) -> str:
    if country in COUNTRY_DEFAULTS:
        return COUNTRY_DEFAULTS[country][1]
    zones = phonenumbers.timezone.time_zones_for_geographical_number(
        phonenumbers.example_number(country)
    )
    return zones[0] if zones and zones[0] != "Etc/Unknown" else "UTC"


def validate_booking_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    refuse_control_characters(url.strip(), "The booking address")
    if len(url.strip()) > MAX_BOOKING_URL or any(ch.isspace() for ch in url.strip()):
        raise InvalidInputError(
            f"The booking address is {len(url.strip()):,} characters (at most "
            f"{MAX_BOOKING_URL}, with no spaces): a QR code on a referral card could not hold "
            "it. Use the page's short address (a link shortener works)."
        )
    parsed = urlparse(url.strip())
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InvalidInputError(
            f"{url!r} is not a web address. It should start with https:// (or leave it out)."
        )
    return url.strip()


def validate_clinic_type(kind: str) -> str:
    if kind not in CLINIC_TYPES:
        raise InvalidInputError(f"Clinic type is one of {', '.join(CLINIC_TYPES)}.")
    return kind
