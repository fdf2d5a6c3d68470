"""Validation of a clinic's identity: country, time zone, currency and booking page."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from babel.core import get_global
from babel.numbers import get_territory_currencies
from phonenumbers import timezone as phone_zones

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import validate_currency
from frontdesk.domain.plain_text import refuse_control_characters

# A personal link is this plus "?ref=CODE"; the service checks the exact fit on a card.
MAX_BOOKING_URL = 300
CLINIC_TYPES = ("physio", "medspa", "massage", "other")  # other: generic texts and visits


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


def countries() -> list[str]:
    """Every country a clinic can be in: the regions phonenumbers can dial."""
    return sorted(phonenumbers.SUPPORTED_REGIONS - {"001"})


def default_currency(country: str) -> str:
    """The country's legal tender today, from CLDR (babel)."""
    found = get_territory_currencies(country, tender=True)
    if not found:
        raise InvalidInputError(
            f"Frontdesk doesn't know the currency for {country}; give it with --currency."
        )
    return validate_currency(found[0])


def default_timezone(country: str) -> str:
    """The zone of the country's example phone number (usually its capital), if the country
    is in it; else the country's only zone; else its first. Data from phonenumbers and CLDR."""
    local = [zone for zone in get_global("territory_zones").get(country, ()) if _known(zone)]
    example = phonenumbers.example_number(country)
    dialled = phone_zones.time_zones_for_geographical_number(example) if example else ()
    for zone in dialled:
        if zone in local:
            return zone
    if len(local) == 1 or (local and not dialled):
        return local[0]
    usable = [zone for zone in dialled if _known(zone)]
    return usable[0] if usable else (local[0] if local else "UTC")


@cache  # the zone list is read from disk
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _known(zone: str) -> bool:
    return zone in _zones()


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
