"""How many SMS parts a text costs, and in which encoding (GSM 03.38 / UCS-2).

A text that uses only the GSM-7 alphabet is packed in 7-bit septets: 160 in one part, 153
per part when split (7 septets go to the concatenation header). The extension table
characters (``{ } [ ] ~ | \\ ^ €`` and form feed) cost two septets each (escape + char) and
are never split across parts. One character outside the alphabet turns the whole text into
UCS-2: 70 UTF-16 code units in one part, 67 per part; an emoji outside the BMP is a
surrogate pair (two units) that a part boundary never cuts.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "GSM-7"
UCS2 = "UCS-2"

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # GSM-7 or UCS-2
    characters: int  # what a person counts (code points)
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # the capacity of each part at this length
    non_gsm: tuple[str, ...]  # the characters that forced UCS-2, in order of appearance

    @property
    def remaining_in_segment(self) -> int:
        """Units left before the text needs another part (what an editor shows)."""
        if self.units == 0:
            return self.per_segment
        used_in_last = self.units - (self.segments - 1) * self.per_segment
        return max(self.per_segment - used_in_last, 0)

    def describe(self) -> str:
        parts = f"{self.segments} part{'s' if self.segments != 1 else ''}"
        text = f"{self.characters} characters · {self.encoding} · {parts}"
        if self.non_gsm:
            shown = " ".join(dict.fromkeys(self.non_gsm))
            text += f" (UCS-2 because of {shown})"
        return text


def _gsm_cost(char: str) -> int | None:
    if char in GSM7_BASIC:
        return 1
    if char in GSM7_EXTENSION:
        return 2
    return None


def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _split(costs: list[int], single: int, part: int) -> int:
    """Parts needed when no character (escape pair, surrogate pair) may straddle a boundary."""
    total = sum(costs)
    if total <= single:
        return 1 if total else 0
    parts, used = 1, 0
    for cost in costs:
        if used + cost > part:
            parts += 1
            used = 0
        used += cost
    return parts


def analyze(text: str) -> SegmentInfo:
    gsm_costs = [_gsm_cost(ch) for ch in text]
    non_gsm = tuple(ch for ch, cost in zip(text, gsm_costs, strict=True) if cost is None)
    if not non_gsm:
        costs = [c for c in gsm_costs if c is not None]
        segments = _split(costs, GSM7_SINGLE, GSM7_PART)
        per = GSM7_SINGLE if segments <= 1 else GSM7_PART
        return SegmentInfo(GSM7, len(text), sum(costs), max(segments, 1), per, ())
    costs = [_utf16_units(ch) for ch in text]
    segments = _split(costs, UCS2_SINGLE, UCS2_PART)
    per = UCS2_SINGLE if segments <= 1 else UCS2_PART
    return SegmentInfo(UCS2, len(text), sum(costs), max(segments, 1), per, non_gsm)


def cost_micros(info: SegmentInfo, price_per_segment_micros: int) -> int:
    return info.segments * price_per_segment_micros
