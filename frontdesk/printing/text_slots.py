"""A place for a piece of text on paper: where, how big at most, how small at least.

The renderer fills a slot by shrinking the text towards ``min_pt``, wrapping onto at most
``max_lines`` lines and, only then, eliding — so nothing ever leaves its slot.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from frontdesk.printing.geometry import Rect


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Face(StrEnum):
    SANS = "sans"
    SANS_BOLD = "sans-bold"
    SERIF = "serif"  # display serif for headlines of the calmer templates
    CODE = "code"  # referral codes: bold, tracked out, unambiguous


@dataclass(frozen=True)
class TextSlot:
    rect: Rect
    size_pt: float
    min_pt: float
    face: Face = Face.SANS
    max_lines: int = 1
    align: Align = Align.LEFT
    caps: bool = False  # small captions set in capitals with a little tracking
    valign_center: bool = True
    line_spacing: float = 1.0  # times the font's natural line height

    def scaled(self, factor: float) -> TextSlot:
        return replace(
            self, size_pt=round(self.size_pt * factor, 2), min_pt=round(self.min_pt * factor, 2)
        )
