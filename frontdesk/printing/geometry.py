"""Paper sizes and the few shapes layouts are made of, all in millimetres.

Coordinates have their origin at the top-left corner of the sheet, y growing downwards —
the way a person measures a printed page with a ruler.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.errors import InvalidInputError

MM_PER_INCH = 25.4
MM_PER_POINT = MM_PER_INCH / 72


class Paper(StrEnum):
    A4 = "A4"
    LETTER = "Letter"
    A5 = "A5"

    @property
    def size_mm(self) -> tuple[float, float]:
        """Portrait width and height."""
        return _SIZES[self]

    @property
    def width(self) -> float:
        return _SIZES[self][0]

    @property
    def height(self) -> float:
        return _SIZES[self][1]

    @classmethod
    def parse(cls, text: str, allowed: tuple[Paper, ...] | None = None) -> Paper:
        options = allowed or tuple(cls)
        folded = text.strip().lower().replace(" ", "").replace("us", "")
        for paper in options:
            if paper.value.lower() == folded:
                return paper
        names = " or ".join(", ".join(p.value for p in options).rsplit(", ", 1))
        raise InvalidInputError(f"Paper {text!r} is not available here; choose {names}.")


_SIZES: dict[Paper, tuple[float, float]] = {
    Paper.A4: (210.0, 297.0),
    Paper.LETTER: (215.9, 279.4),
    Paper.A5: (148.0, 210.0),
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def center_x(self) -> float:
        return self.x + self.w / 2

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def inset(self, dx: float, dy: float | None = None) -> Rect:
        dy = dx if dy is None else dy
        return Rect(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)

    def contains(self, other: Rect, tolerance: float = 0.0) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def mirrored_x(self, sheet_width: float) -> Rect:
        """The same rectangle seen from the back of the sheet (long-edge duplex)."""
        return Rect(sheet_width - self.right, self.y, self.w, self.h)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def is_vertical(self) -> bool:
        return self.x1 == self.x2
