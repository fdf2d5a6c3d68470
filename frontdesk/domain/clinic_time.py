"""The clinic's clock: days and times as the clinic's wall clock reads them, not the PC's or UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def clinic_day(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the clinic's local calendar day containing ``now``."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)  # wall-clock arithmetic: the next local midnight
    return start.astimezone(UTC), end.astimezone(UTC)
