"""The clinic's clock: days and times as the clinic's wall clock reads them, not the PC's or UTC.

Every time shown to a person — screens, command-line output, exports, the report PDF — goes
through the formatters here, so a desk PC set to another zone (or a server in UTC) never
shifts what the receptionist reads, and every screen writes a time the same way:
"3 Nov 2026" for a day, "14:05" for a time, "3 Nov 2026 14:05" for both.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

Zone = str | ZoneInfo  # an IANA name ("Europe/London") or the zone itself


def _zone(timezone: Zone) -> ZoneInfo:
    return timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)


def clinic_day(now: datetime, timezone: Zone) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the clinic's local calendar day containing ``now``."""
    local = to_clinic(now, timezone)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)  # wall-clock arithmetic: the next local midnight
    return start.astimezone(UTC), end.astimezone(UTC)


def to_clinic(at: datetime, timezone: Zone) -> datetime:
    """``at`` (aware; stored times are UTC) on the clinic's wall clock."""
    if at.tzinfo is None:  # a naive time is ambiguous: refuse it rather than guess the PC's zone
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return at.astimezone(_zone(timezone))


def day_text(at: datetime | None, timezone: Zone) -> str:
    """ "3 Nov 2026"; "" for no time."""
    if at is None:
        return ""
    return calendar_text(to_clinic(at, timezone).date())


def calendar_text(day: date) -> str:
    """ "3 Nov 2026" for a day that is already on the clinic's calendar (a deadline, a booking)."""
    return f"{day.day} {day:%b %Y}"


def time_text(at: datetime | None, timezone: Zone) -> str:
    """ "14:05" (24-hour, as the desk's appointment book); "" for no time."""
    return "" if at is None else f"{to_clinic(at, timezone):%H:%M}"


def when_text(at: datetime | None, timezone: Zone) -> str:
    """ "3 Nov 2026 14:05"; "" for no time."""
    return "" if at is None else f"{day_text(at, timezone)} {time_text(at, timezone)}"


def sheet_text(at: datetime | None, timezone: Zone) -> str:
    """ "2026-11-03 14:05" for CSV files: local, and sorts as text in a spreadsheet."""
    return "" if at is None else f"{to_clinic(at, timezone):%Y-%m-%d %H:%M}"
