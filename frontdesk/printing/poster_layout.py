"""Poster geometry for A4, US Letter and A5, from one A4 design scaled to the sheet.

Everything sits inside a frame inset from the paper edge (no home or office printer prints
to the edge, so nothing is designed to bleed). The QR's printed symbol is at least 60 mm
across on every paper; its slot grows when a dense code needs it and the header gives way.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.geometry import Paper, Rect
from frontdesk.printing.qr import QrCode, QrFit, fit_qr
from frontdesk.printing.text_slots import Align, Face, TextSlot

MIN_SYMBOL_MM = 60.0
A4_QR_SLOT = 100.0
A4_HEADER = 100.0
MIN_HEADER = 62.0


@dataclass(frozen=True)
class PosterLayout:
    paper: Paper
    scale: float
    frame: Rect
    header: Rect
    radius: float
    motif: Rect  # the template's icon, large and faint, in the header
    logo: Rect
    clinic_name: TextSlot
    headline: TextSlot
    offer_box: Rect
    offer_icon: Rect
    offer_lead: TextSlot
    offer: TextSlot
    qr: Rect  # quiet zone included
    qr_fit: QrFit
    qr_frame: Rect  # a tinted ring around the quiet zone
    instruction_icon: Rect
    instruction: TextSlot
    footer_rule_y: float
    contact: TextSlot
    tag: TextSlot


def poster_layout(paper: Paper, code: QrCode, *, headline_serif: bool = False) -> PosterLayout:
    width, height = paper.size_mm
    s = min(width / 210.0, height / 297.0)
    margin = 12.0 * s
    frame = Rect(margin, margin, width - 2 * margin, height - 2 * margin)

    # The QR first: its symbol (quiet zone excluded) is never under 60 mm.
    min_slot = MIN_SYMBOL_MM * code.total_modules / code.size
    slot = max(A4_QR_SLOT * s, min_slot)
    if slot > frame.w:
        raise InvalidInputError(
            f"This poster's QR code is too dense for {paper.value}; use a shorter address."
        )
    fit = fit_qr(code, slot, where=f"an {paper.value} poster")

    offer_h, instruction_h, footer_h = 24.0 * s, 10.0 * s, 9.0 * s
    ring, inner, min_outer = 3.2 * s, 8.0 * s, 7.0 * s
    group_h = offer_h + inner + slot + 2 * ring + inner * 0.7 + instruction_h
    footer_top = frame.bottom - footer_h
    header_h = min(A4_HEADER * s, footer_top - frame.y - group_h - 2 * min_outer)
    if header_h < MIN_HEADER * s:
        raise InvalidInputError(
            f"There is no room on {paper.value} for this poster's QR code; use larger paper."
        )
    header = Rect(frame.x, frame.y, frame.w, header_h)
    outer = (footer_top - header.bottom - group_h) / 2

    pad = 11.0 * s
    logo = Rect(header.x + pad, header.y + pad, 15.0 * s, 15.0 * s)
    headline_top = logo.bottom + 7.0 * s
    offer_box = Rect(frame.x + 14.0 * s, header.bottom + outer, frame.w - 28.0 * s, offer_h)
    qr_y = offer_box.bottom + inner + ring
    qr = Rect(
        frame.center_x - fit.side_mm / 2,
        qr_y + (slot - fit.side_mm) / 2,
        fit.side_mm,
        fit.side_mm,
    )
    instruction_y = qr_y + slot + ring + inner * 0.7
    icon = 7.0 * s
    motif = 82.0 * s
    return PosterLayout(
        paper=paper,
        scale=s,
        frame=frame,
        header=header,
        radius=7.0 * s,
        motif=Rect(header.right - motif * 0.86, header.bottom - motif * 0.84, motif, motif),
        logo=logo,
        clinic_name=TextSlot(
            Rect(logo.right + 5.0 * s, logo.y, header.w - 2 * pad - logo.w - 5.0 * s, logo.h),
            17.0,
            11.0,
            Face.SANS_BOLD,
        ).scaled(s),
        headline=TextSlot(
            Rect(
                header.x + pad,
                headline_top,
                header.w * 0.8 - pad,
                header.bottom - headline_top - pad,
            ),
            52.0 if headline_serif else 46.0,
            24.0,
            Face.SERIF if headline_serif else Face.SANS_BOLD,
            max_lines=3,
            line_spacing=0.92,
        ).scaled(s),
        offer_box=offer_box,
        offer_icon=Rect(
            offer_box.x + 7.0 * s, offer_box.y + (offer_h - 10.0 * s) / 2, 10.0 * s, 10.0 * s
        ),
        offer_lead=TextSlot(
            Rect(offer_box.x + 22.0 * s, offer_box.y + 3.2 * s, offer_box.w - 28.0 * s, 6.4 * s),
            12.0,
            9.0,
        ).scaled(s),
        offer=TextSlot(
            Rect(offer_box.x + 22.0 * s, offer_box.y + 9.0 * s, offer_box.w - 28.0 * s, 12.8 * s),
            22.0,
            10.0,
            Face.SANS_BOLD,
            max_lines=2,
            valign_center=False,
            line_spacing=0.95,
        ).scaled(s),
        qr=qr,
        qr_fit=fit,
        qr_frame=Rect(qr.x - ring, qr.y - ring, qr.w + 2 * ring, qr.h + 2 * ring),
        instruction_icon=Rect(
            frame.x + 16.0 * s, instruction_y + (instruction_h - icon) / 2, icon, icon
        ),
        instruction=TextSlot(
            Rect(frame.x + 16.0 * s, instruction_y, frame.w - 32.0 * s, instruction_h),
            15.0,
            10.0,
            align=Align.CENTER,
        ).scaled(s),
        footer_rule_y=footer_top,
        contact=TextSlot(
            Rect(frame.x + 2.0 * s, footer_top + 1.5 * s, frame.w * 0.68, footer_h - 1.5 * s),
            11.0,
            8.0,
            Face.SANS_BOLD,
        ).scaled(s),
        tag=TextSlot(
            Rect(
                frame.x + frame.w * 0.7,
                footer_top + 1.5 * s,
                frame.w * 0.3 - 2.0 * s,
                footer_h - 1.5 * s,
            ),
            8.0,
            6.5,
            align=Align.RIGHT,
        ).scaled(s),
    )
