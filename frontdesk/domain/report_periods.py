"""Calendar months in the clinic's time zone, and the ratios a report shows.

A report month is a local calendar month ("November in London"), turned into a UTC range
so every query is an indexed range scan on a stored UTC timestamp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from frontdesk.domain.errors import InvalidInputError

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        found = _MONTH.match(text)
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise InvalidInputError(f"Give the month as YYYY-MM, like 2026-10, not {text!r}.")
        year = int(found.group(1))
        if not 2000 <= year <= 2100:
            raise InvalidInputError(f"{year} is not a year Frontdesk has reports for.")
        return cls(year, int(found.group(2)))

    @classmethod
    def containing(cls, at: datetime, zone: ZoneInfo) -> Month:
        local = at.astimezone(zone)
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1][:3]} {str(self.year)[2:]}"

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def start(self, zone: ZoneInfo) -> datetime:
        """Midnight on the 1st, clinic time, as an aware UTC datetime."""
        return datetime(self.year, self.month, 1, tzinfo=zone).astimezone(UTC)

    def end(self, zone: ZoneInfo) -> datetime:
        return self.shifted(1).start(zone)


def month_edges(last: Month, count: int, zone: ZoneInfo) -> list[datetime]:
    """``count + 1`` UTC instants bounding the ``count`` months that end with ``last``."""
    first = last.shifted(-(count - 1))
    return [first.shifted(i).start(zone) for i in range(count + 1)]


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places, or None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def change(this: float | int | None, last: float | int | None) -> float | None:
    """Relative change from last to this (0.25 = up 25 %); None when last was zero."""
    if this is None or last is None or last == 0:
        return None
    return round((this - last) / abs(last), 4)
