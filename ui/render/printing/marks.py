"""The two things every printed piece carries: a vector QR code and the clinic's mark."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPdfWriter
from PySide6.QtSvg import QSvgRenderer

from frontdesk.printing.documents import ClinicMark
from frontdesk.printing.geometry import MM_PER_POINT, Rect
from frontdesk.printing.qr import QUIET_ZONE, QrCode
from frontdesk.printing.text_slots import Align, Face, TextSlot
from frontdesk.ui.render.printing.canvas import Canvas

QR_INK = "#0B0F19"  # near-black: dark on light only, whatever the template's colours


def paint_qr(canvas: Canvas, code: QrCode, rect: Rect) -> None:
    """The symbol as one fill of module runs on a white quiet zone: crisp at any zoom, no
    seams between modules, and no bitmap in the PDF."""
    canvas.fill(rect, "#FFFFFF")
    module = canvas.px(rect.w / code.total_modules)
    left = canvas.px(rect.x + canvas.origin[0]) + QUIET_ZONE * module
    top = canvas.px(rect.y + canvas.origin[1]) + QUIET_ZONE * module
    painter = canvas.painter
    painter.save()
    # Drawn in module units, so each run is a small whole-number rectangle.
    painter.translate(left, top)
    painter.scale(module, module)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(QR_INK))
    if isinstance(canvas.device, QPdfWriter):
        # Qt writes drawRects as PDF "re" operators under one matrix, closed by one nonzero
        # fill: the same single shape as the path below in a tenth of the bytes.
        painter.drawRects([QRect(col, row, run, 1) for row, col, run in code.dark_runs()])
    else:
        # On a raster or a printer the runs must be one path: rectangles filled one by
        # one would leave faint antialiased seams where they meet.
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for row, col, run in code.dark_runs():
            path.addRect(col, row, run, 1)
        painter.drawPath(path)
    painter.restore()


def qr_hole(code: QrCode, rect: Rect) -> Rect | None:
    """The cleared square in the centre of a level-H code, where the clinic's mark goes."""
    if not code.logo_hole:
        return None
    module = rect.w / code.total_modules
    start = QUIET_ZONE + code.hole_start
    return Rect(
        rect.x + start * module,
        rect.y + start * module,
        code.logo_hole * module,
        code.logo_hole * module,
    )


def paint_mark(canvas: Canvas, clinic: ClinicMark, rect: Rect, accent: str) -> None:
    """The clinic's logo fitted into ``rect``, or a monogram of its initials."""
    if clinic.logo is not None and _paint_logo(canvas, clinic, rect):
        return
    canvas.ellipse(rect, accent)
    size = rect.h * (0.40 if len(clinic.initials) > 1 else 0.5) / MM_PER_POINT
    slot = TextSlot(rect, size, size * 0.6, Face.SANS_BOLD, align=Align.CENTER)
    canvas.text(slot, clinic.initials, "#FFFFFF")


def _paint_logo(canvas: Canvas, clinic: ClinicMark, rect: Rect) -> bool:
    assert clinic.logo is not None
    target = canvas.rect(rect)
    painter = canvas.painter
    if clinic.logo.format == "svg":
        renderer = QSvgRenderer(QByteArray(clinic.logo.data))
        if not renderer.isValid():
            return False
        size = renderer.defaultSize()
        renderer.render(painter, _fit(target, size.width(), size.height()))
        return True
    image = QImage.fromData(clinic.logo.data)
    if image.isNull():
        return False
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(_fit(target, image.width(), image.height()), image)
    painter.restore()
    return True


def _fit(target: QRectF, width: float, height: float) -> QRectF:
    """``target`` shrunk to the aspect ratio width:height, centred."""
    if width <= 0 or height <= 0:
        return target
    scale = min(target.width() / width, target.height() / height)
    w, h = width * scale, height * scale
    return QRectF(target.center().x() - w / 2, target.center().y() - h / 2, w, h)
