"""Personal referral cards: 85 × 55 mm, ten to an A4 or US Letter sheet, with crop marks.

The ten cards sit edge to edge in two columns of five, centred on the sheet, so one cut
separates two cards. Crop marks sit in the margins on every cut line and never touch a
card. Nothing printed comes closer than ``SAFE_INSET`` to a card's edge, so a slightly
off cut never clips a letter. US Letter leaves only 2.2 mm above and below the grid, so the
marks there are short; cut those edges along the side marks and the grid's outline.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.geometry import Line, Paper, Rect
from frontdesk.printing.qr import QUIET_ZONE, QrFit
from frontdesk.printing.text_slots import Align, Face, TextSlot

CARD_W = 85.0
CARD_H = 55.0
COLUMNS = 2
ROWS = 5
PER_SHEET = COLUMNS * ROWS
SAFE_INSET = 4.0
QUIET_MIN_INSET = 1.0  # the white quiet zone may reach into the safe band, not the cut
CROP_GAP = 2.0
CROP_LEN = 5.0
CARD_PAPERS = (Paper.A4, Paper.LETTER)
QR_SLOT = 31.0  # preferred side of a card's QR, quiet zone included
QR_MAX = 40.0  # the most a card can give its QR before the text has no room


@dataclass(frozen=True)
class CardSheetLayout:
    paper: Paper
    cards: tuple[Rect, ...]  # row by row, left to right
    crop_marks: tuple[Line, ...]

    @property
    def grid(self) -> Rect:
        first, last = self.cards[0], self.cards[-1]
        return Rect(first.x, first.y, last.right - first.x, last.bottom - first.y)

    def back_positions(self) -> tuple[Rect, ...]:
        """Where each card's back prints on the reverse page (long-edge duplex)."""
        return tuple(card.mirrored_x(self.paper.width) for card in self.cards)


def card_sheet(paper: Paper) -> CardSheetLayout:
    if paper not in CARD_PAPERS:
        raise InvalidInputError(
            f"Referral cards print ten to an A4 or US Letter sheet, not {paper.value}."
        )
    width, height = paper.size_mm
    left = (width - COLUMNS * CARD_W) / 2
    top = (height - ROWS * CARD_H) / 2
    cards = tuple(
        Rect(left + col * CARD_W, top + row * CARD_H, CARD_W, CARD_H)
        for row in range(ROWS)
        for col in range(COLUMNS)
    )
    return CardSheetLayout(paper, cards, _crop_marks(left, top, width, height))


def _mark_span(margin: float) -> tuple[float, float]:
    """Gap from the trim and length of a crop mark that fit ``margin`` (mm)."""
    if margin >= CROP_GAP + CROP_LEN + 1.0:
        return CROP_GAP, CROP_LEN
    gap = min(CROP_GAP, margin * 0.35)
    return gap, max(margin - gap - min(1.0, margin * 0.15), 0.0)


def _crop_marks(left: float, top: float, width: float, height: float) -> tuple[Line, ...]:
    right, bottom = width - left, height - top
    marks: list[Line] = []
    gap, length = _mark_span(top)
    for col in range(COLUMNS + 1):
        x = left + col * CARD_W
        marks.append(Line(x, top - gap - length, x, top - gap))
        marks.append(Line(x, bottom + gap, x, bottom + gap + length))
    gap, length = _mark_span(left)
    for row in range(ROWS + 1):
        y = top + row * CARD_H
        marks.append(Line(left - gap - length, y, left - gap, y))
        marks.append(Line(right + gap, y, right + gap + length, y))
    return tuple(marks)


@dataclass(frozen=True)
class CardFrontLayout:
    """Positions within one card (origin at its top-left corner)."""

    qr: Rect  # quiet zone included
    logo: Rect
    clinic_name: TextSlot
    caption: TextSlot
    name: TextSlot
    offer_box: Rect
    offer_lead: TextSlot
    offer: TextSlot
    code: TextSlot
    scan_hint: TextSlot
    contact: TextSlot


def card_front(qr: QrFit | None) -> CardFrontLayout:
    """The front of a card around a QR of the given fit (None: the code stands alone)."""
    safe = SAFE_INSET
    if qr is not None:
        quiet = QUIET_ZONE * qr.module_mm
        shift = min(quiet, safe - QUIET_MIN_INSET)
        qr_rect = Rect(CARD_W - safe - qr.side_mm + shift, safe - shift, qr.side_mm, qr.side_mm)
        symbol = Rect(qr_rect.x + quiet, qr_rect.y + quiet, qr.symbol_mm, qr.symbol_mm)
        column_right = symbol.x - 4.0
        spill = max(0.0, min(1.5, CARD_W - safe - symbol.right))  # centred under the code
        code_rect = Rect(symbol.x - spill, symbol.bottom + 1.6, symbol.w + 2 * spill, 5.0)
    else:
        qr_rect = Rect(CARD_W - safe, safe, 0.0, 0.0)
        column_right = CARD_W - safe - 30.0
        code_rect = Rect(column_right + 3.0, 18.0, CARD_W - safe - column_right - 3.0, 8.0)
    width = column_right - safe
    hint_rect = Rect(code_rect.x, code_rect.bottom + 0.2, code_rect.w, 3.4)
    offer_box = Rect(safe, 29.0, width, 14.6)
    return CardFrontLayout(
        qr=qr_rect,
        logo=Rect(safe, safe, 6.5, 6.5),
        clinic_name=TextSlot(Rect(safe + 8.5, safe, width - 8.5, 6.5), 7.5, 5.5, Face.SANS_BOLD),
        caption=TextSlot(Rect(safe, 14.4, width, 3.4), 5.6, 4.6, Face.SANS, caps=True),
        name=TextSlot(Rect(safe, 17.8, width, 9.2), 19.0, 9.0, Face.SANS_BOLD),
        offer_box=offer_box,
        offer_lead=TextSlot(
            Rect(offer_box.x + 2.6, offer_box.y + 1.8, offer_box.w - 5.2, 3.4), 6.0, 5.0
        ),
        offer=TextSlot(
            Rect(offer_box.x + 2.6, offer_box.y + 5.4, offer_box.w - 5.2, 7.6),
            8.8,
            6.0,
            Face.SANS_BOLD,
            max_lines=2,
            valign_center=False,
        ),
        code=TextSlot(code_rect, 9.5, 6.5, Face.CODE, align=Align.CENTER),
        scan_hint=TextSlot(hint_rect, 5.4, 4.6, align=Align.CENTER),
        contact=TextSlot(Rect(safe, 46.4, width, 4.6), 6.0, 4.8),
    )


@dataclass(frozen=True)
class CardBackLayout:
    icon: Rect
    title: TextSlot
    clinic_name: TextSlot
    contact: TextSlot
    body: TextSlot
    next_label: TextSlot
    write_lines: tuple[Line, ...]
    write_labels: tuple[TextSlot, ...]


def card_back() -> CardBackLayout:
    """The back: aftercare advice and a place to write the next visit by hand."""
    safe = SAFE_INSET
    width = CARD_W - 2 * safe
    right = Rect(safe + 38.0, safe, width - 38.0, 3.4)
    date_line = Line(safe, 45.4, safe + 44.0, 45.4)
    time_line = Line(safe + 49.0, 45.4, CARD_W - safe, 45.4)
    return CardBackLayout(
        icon=Rect(safe, safe + 0.4, 5.4, 5.4),
        title=TextSlot(Rect(safe + 7.0, safe, 30.0, 6.2), 10.0, 7.0, Face.SANS_BOLD),
        clinic_name=TextSlot(right, 6.4, 5.0, Face.SANS_BOLD, align=Align.RIGHT),
        contact=TextSlot(right.moved(0, 3.4), 5.6, 4.6, align=Align.RIGHT),
        body=TextSlot(Rect(safe, 12.8, width, 20.6), 7.4, 5.4, max_lines=6, valign_center=False),
        next_label=TextSlot(Rect(safe, 35.6, width, 3.6), 5.6, 4.8, caps=True),
        write_lines=(date_line, time_line),
        write_labels=(
            TextSlot(Rect(date_line.x1, 46.2, 20.0, 3.0), 5.0, 4.4),
            TextSlot(Rect(time_line.x1, 46.2, 20.0, 3.0), 5.0, 4.4),
        ),
    )
