"""A poster page: colour header with the clinic's mark and headline, the friend's offer, a
large QR code with the clinic's mark in its centre, one line of instructions, a footer."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor, QLinearGradient

from frontdesk.printing.documents import PosterPage
from frontdesk.printing.geometry import Line, Rect
from frontdesk.ui.render.printing.canvas import Canvas
from frontdesk.ui.render.printing.marks import paint_mark, paint_qr, qr_hole

WHITE = "#FFFFFF"


def paint_poster(canvas: Canvas, page: PosterPage) -> None:
    lay, palette = page.layout, page.template.palette
    s = lay.scale

    # Header: a deep gradient panel, the template's motif large and faint on the right.
    header = canvas.rect(lay.header)
    gradient = QLinearGradient(
        QPointF(header.left(), header.top()), QPointF(header.right(), header.bottom())
    )
    gradient.setColorAt(0.0, QColor(palette.accent))
    gradient.setColorAt(1.0, QColor(palette.accent_deep))
    canvas.fill(lay.header, QBrush(gradient), radius=lay.radius)
    painter = canvas.painter
    painter.save()
    painter.setClipRect(header)
    m = lay.motif
    canvas.ellipse(Rect(m.x - 14 * s, m.y - 10 * s, m.w + 40 * s, m.h + 40 * s), WHITE, 0.06)
    canvas.ellipse(Rect(m.x + 6 * s, m.y + 8 * s, m.w, m.h), WHITE, 0.07)
    canvas.icon(
        page.template.icon, Rect(m.x + 18 * s, m.y + 20 * s, m.w * 0.62, m.h * 0.62), WHITE, 0.22
    )
    painter.restore()

    badge = lay.logo
    canvas.fill(badge, WHITE, radius=badge.w * 0.24)
    paint_mark(canvas, page.clinic, badge.inset(badge.w * 0.14), palette.accent)
    canvas.text(lay.clinic_name, page.clinic.name, WHITE)
    canvas.text(lay.headline, page.headline, WHITE)

    # The offer, in a soft box with a gift icon.
    canvas.fill(lay.offer_box, palette.tint, radius=lay.offer_box.h / 2)
    icon = lay.offer_icon
    canvas.ellipse(icon.inset(-2.2 * s), palette.accent)
    canvas.icon("mdi6.gift-outline", icon.inset(0.6 * s), WHITE)
    canvas.text(lay.offer_lead, page.offer_lead, palette.muted)
    canvas.text(lay.offer, page.offer, palette.accent_deep)

    # The code: a tinted ring around the white quiet zone, the clinic's mark in the centre.
    canvas.fill(lay.qr_frame, palette.tint, radius=4.0 * s)
    paint_qr(canvas, page.qr, lay.qr)
    hole = qr_hole(page.qr, lay.qr)
    if hole is not None:
        module = lay.qr.w / page.qr.total_modules
        canvas.fill(hole, WHITE)
        paint_mark(canvas, page.clinic, hole.inset(module * 0.8), palette.accent)

    # One line of instructions, led by a phone icon that sits just left of the words.
    fitted = canvas.fit(lay.instruction, page.instruction)
    drawn = canvas.text(lay.instruction, page.instruction, palette.ink, fitted)
    width_mm = canvas.text_width(fitted) * 25.4 / canvas.dpi
    icon_box = lay.instruction_icon
    left = lay.instruction.rect.center_x - width_mm / 2 - icon_box.w - 2.0 * s
    top = drawn.center().y() * 25.4 / canvas.dpi - canvas.origin[1] - icon_box.h / 2
    canvas.icon(
        "mdi6.cellphone-screenshot", Rect(left, top, icon_box.w, icon_box.h), palette.accent
    )

    # Footer: where to find the clinic, and which poster this is.
    frame = lay.frame
    canvas.line(
        Line(frame.x, lay.footer_rule_y, frame.right, lay.footer_rule_y), palette.tint, 0.5 * s
    )
    canvas.text(lay.contact, page.contact, palette.accent_deep)
    canvas.text(lay.tag, f"Poster · {page.source_name}", palette.muted)
