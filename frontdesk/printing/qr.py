"""QR matrices and the rules that keep a printed code scannable.

- a quiet zone of 4 modules around the symbol (ISO/IEC 18004), always white;
- error correction M, or H when a logo covers the centre;
- no module smaller than 0.5 mm on paper: a slot that is too small is enlarged when the
  layout allows it, otherwise printing is refused with a reason the owner can act on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.qr_encode import encode

QUIET_ZONE = 4
MIN_MODULE_MM = 0.5
# A logo may hide about a fifth of the symbol's width: ~5 % of its area, well inside the
# 30 % that level H restores, and clear of the three finder patterns.
LOGO_SHARE = 0.22
_DARK_RUN = re.compile("1+")


class QrTooDenseError(InvalidInputError):
    """The code would print with modules too small for a phone camera."""


@dataclass(frozen=True)
class QrCode:
    """A symbol without its quiet zone: ``rows[r][c] == "1"`` is a dark module."""

    payload: str
    error_correction: str  # "M" or "H"
    version: int
    rows: tuple[str, ...]
    logo_hole: int = 0  # side, in modules, of the cleared square in the centre (0: none)

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def total_modules(self) -> int:
        """Modules across, quiet zone included."""
        return self.size + 2 * QUIET_ZONE

    def is_dark(self, row: int, col: int) -> bool:
        return self.rows[row][col] == "1"

    @property
    def hole_start(self) -> int:
        return (self.size - self.logo_hole) // 2

    def dark_runs(self) -> tuple[tuple[int, int, int], ...]:
        """Horizontal runs of dark modules as (row, first column, length): fewer, seamless
        rectangles for vector output."""
        return self._runs

    @cached_property
    def _runs(self) -> tuple[tuple[int, int, int], ...]:
        return tuple(
            (r, found.start(), found.end() - found.start())
            for r, row in enumerate(self.rows)
            for found in _DARK_RUN.finditer(row)
        )


def make_qr(payload: str, *, with_logo: bool = False) -> QrCode:
    """Encode ``payload`` (ASCII; see ``payloads``) at level M, or H with a logo hole.

    Codes are immutable and the same payload always gives the same symbol, so the last few
    thousand are kept: a preview that is redrawn, or a batch printed twice, encodes once."""
    if not payload:
        raise InvalidInputError("There is nothing to put in the QR code.")
    try:
        payload.encode("ascii")
    except UnicodeEncodeError:
        raise InvalidInputError(
            "A QR address must be plain ASCII; non-Latin parts need percent-encoding."
        ) from None
    return _make_qr(payload, with_logo)


@lru_cache(maxsize=4096)
def _make_qr(payload: str, with_logo: bool) -> QrCode:
    try:
        symbol = encode(payload, ERROR_CORRECT_H if with_logo else ERROR_CORRECT_M)
    except DataOverflowError:
        raise QrTooDenseError(
            f"That address is too long for a QR code ({len(payload)} characters)."
        ) from None
    rows = symbol.rows
    hole = 0
    if with_logo:
        size = len(rows)
        hole = int(size * LOGO_SHARE)
        hole -= (size - hole) % 2  # centred exactly: same parity as the symbol
        start = (size - hole) // 2
        blank = "0" * hole
        rows = tuple(
            row[:start] + blank + row[start + hole :] if start <= r < start + hole else row
            for r, row in enumerate(rows)
        )
    return QrCode(
        payload=payload,
        error_correction="H" if with_logo else "M",
        version=symbol.version,
        rows=rows,
        logo_hole=hole,
    )


@dataclass(frozen=True)
class QrFit:
    """How big a code prints: ``side_mm`` includes the quiet zone."""

    side_mm: float
    module_mm: float
    enlarged_from_mm: float | None = None

    @property
    def symbol_mm(self) -> float:
        """The printed symbol without its quiet zone."""
        return self.side_mm - 2 * QUIET_ZONE * self.module_mm


def fit_qr(
    code: QrCode,
    slot_mm: float,
    *,
    max_mm: float | None = None,
    where: str = "this layout",
) -> QrFit:
    """Size ``code`` for a square slot; enlarge up to ``max_mm`` rather than print modules
    under 0.5 mm, and refuse (saying why and what to do) when even that is not enough."""
    module = slot_mm / code.total_modules
    if module >= MIN_MODULE_MM:
        return QrFit(side_mm=slot_mm, module_mm=module)
    needed = math.ceil(code.total_modules * MIN_MODULE_MM * 10) / 10
    if max_mm is not None and needed <= max_mm:
        return QrFit(
            side_mm=needed, module_mm=needed / code.total_modules, enlarged_from_mm=slot_mm
        )
    largest = max_mm or slot_mm
    raise QrTooDenseError(
        f"The QR code for {code.payload[:60]!r} needs {code.total_modules} squares across; "
        f"at {largest:.0f} mm on {where} each square would be "
        f"{largest / code.total_modules:.2f} mm, below the {MIN_MODULE_MM} mm a phone reads "
        "reliably. Use a shorter booking address (a link shortener works) or larger paper."
    )
