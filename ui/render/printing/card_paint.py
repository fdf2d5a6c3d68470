"""Sheets of personal referral cards (fronts) and their aftercare backs, with crop marks."""

from __future__ import annotations

from frontdesk.printing.card_layout import CardSheetLayout
from frontdesk.printing.documents import CardBackPage, CardFace, CardFrontPage
from frontdesk.printing.geometry import Line, Rect
from frontdesk.ui.render.printing.canvas import Canvas
from frontdesk.ui.render.printing.marks import paint_mark, paint_qr

WHITE = "#FFFFFF"
CROP_INK = "#000000"
CROP_WIDTH_MM = 0.15  # a hairline that still prints on a laser printer
RULE = "#98A2B3"


def paint_crop_marks(canvas: Canvas, sheet: CardSheetLayout) -> None:
    for mark in sheet.crop_marks:
        canvas.line(mark, CROP_INK, CROP_WIDTH_MM)


def paint_card_fronts(canvas: Canvas, page: CardFrontPage) -> None:
    paint_crop_marks(canvas, page.sheet)
    for face in page.faces:
        _paint_front(canvas.at(face.rect.x, face.rect.y), page, face)


def _paint_front(card: Canvas, page: CardFrontPage, face: CardFace) -> None:
    lay, palette = face.layout, page.template.palette
    card.fill(face.rect.moved(-face.rect.x, -face.rect.y), WHITE)
    paint_mark(card, page.clinic, lay.logo, palette.accent)
    card.text(lay.clinic_name, page.clinic.name, palette.accent_deep)
    card.text(lay.caption, page.caption, palette.muted)
    card.text(lay.name, face.person.first_name, palette.ink)
    card.fill(lay.offer_box, palette.tint, radius=2.2)
    card.fill(
        Rect(lay.offer_box.x, lay.offer_box.y + 2.2, 0.9, lay.offer_box.h - 4.4),
        palette.accent,
        radius=0.45,
    )
    card.text(lay.offer_lead, page.offer_lead, palette.muted)
    card.text(lay.offer, page.offer, palette.accent_deep)
    if face.qr is not None:
        paint_qr(card, face.qr, lay.qr)
        card.text(lay.scan_hint, "Scan, or quote this code", palette.muted)
    else:
        card.text(lay.scan_hint, "Quote this code when you book", palette.muted)
    card.text(lay.code, face.person.code, palette.ink)
    card.text(lay.contact, page.contact, palette.muted)


def paint_card_backs(canvas: Canvas, page: CardBackPage) -> None:
    paint_crop_marks(canvas, page.sheet)
    lay, palette = page.layout, page.template.palette
    for slot in page.slots:
        card = canvas.at(slot.x, slot.y)
        card.fill(slot.moved(-slot.x, -slot.y), WHITE)
        card.icon(page.template.icon, lay.icon, palette.accent)
        card.text(lay.title, "Aftercare", palette.accent_deep)
        card.text(lay.clinic_name, page.clinic.name, palette.ink)
        card.text(lay.contact, page.contact, palette.muted)
        card.text(lay.body, page.aftercare, palette.ink)
        card.text(lay.next_label, page.next_visit_label, palette.muted)
        for line in lay.write_lines:
            card.line(Line(line.x1, line.y1, line.x2, line.y2), RULE, 0.2)
        for label, word in zip(lay.write_labels, ("Date", "Time"), strict=True):
            card.text(label, word, palette.muted)
