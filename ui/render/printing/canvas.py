"""A painter that speaks millimetres and fits text into slots without ever overflowing them.

Drawing happens in device pixels (mm × dpi / 25.4) so fonts keep their true point sizes on
every device: a 1200 dpi PDF, a 300 dpi PNG, a printer, a small preview.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPaintDevice,
    QPainter,
    QPainterPath,
    QPen,
    QRawFont,
    QTextLayout,
    QTextOption,
)

from frontdesk.printing.geometry import MM_PER_INCH, Line, Rect
from frontdesk.printing.text_slots import Align, TextSlot
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.render.printing.fonts import print_font

LINE_BREAK = "\u2028"
_ALIGN = {
    Align.LEFT: Qt.AlignmentFlag.AlignLeft,
    Align.CENTER: Qt.AlignmentFlag.AlignHCenter,
    Align.RIGHT: Qt.AlignmentFlag.AlignRight,
}
_icon_lock = threading.Lock()
_icon_paths: dict[str, QPainterPath] = {}


@dataclass(frozen=True)
class FittedText:
    lines: tuple[str, ...]
    font: QFont
    size_pt: float
    line_height: float  # device pixels, spacing included
    block_height: float
    shrunk: bool
    elided: bool


class TextCache:
    """Text already fitted and laid out while one document is painted on one device.

    A sheet of cards repeats the same clinic name, offer and hints on every card, and a
    batch repeats them on every sheet; fitting shrinks text step by step, so laying each
    piece out once and drawing the same layout again saves most of the painting time.
    Keep one per device and thread (Qt's text layouts are not shared across threads)."""

    def __init__(self) -> None:
        self.texts: dict[tuple[TextSlot, str, float], tuple[FittedText, QTextLayout]] = {}


class Canvas:
    def __init__(
        self,
        painter: QPainter,
        device: QPaintDevice,
        dpi: float,
        origin: tuple[float, float] = (0.0, 0.0),
        cache: TextCache | None = None,
    ) -> None:
        # The device is held here, not fetched with painter.device(): PySide6 6.12 crashes
        # when that temporary wrapper is handed to QTextLayout.
        self.painter = painter
        self.device = device
        self.dpi = dpi
        self.origin = origin
        self.cache = cache if cache is not None else TextCache()

    # -- units ------------------------------------------------------------------------------
    def px(self, mm: float) -> float:
        return mm * self.dpi / MM_PER_INCH

    def rect(self, r: Rect) -> QRectF:
        ox, oy = self.origin
        return QRectF(self.px(r.x + ox), self.px(r.y + oy), self.px(r.w), self.px(r.h))

    def point(self, x: float, y: float) -> QPointF:
        return QPointF(self.px(x + self.origin[0]), self.px(y + self.origin[1]))

    def at(self, x: float, y: float) -> Canvas:
        """The same canvas with its origin moved (to draw one card in card coordinates)."""
        origin = (self.origin[0] + x, self.origin[1] + y)
        return Canvas(self.painter, self.device, self.dpi, origin, self.cache)

    # -- shapes -----------------------------------------------------------------------------
    def fill(self, r: Rect, color: str | QColor | QBrush, radius: float = 0.0) -> None:
        p = self.painter
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color if isinstance(color, QBrush) else QBrush(QColor(color)))
        if radius > 0:
            p.drawRoundedRect(self.rect(r), self.px(radius), self.px(radius))
        else:
            p.drawRect(self.rect(r))
        p.restore()

    def ellipse(self, r: Rect, color: str, opacity: float = 1.0) -> None:
        p = self.painter
        p.save()
        p.setOpacity(opacity)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(color))
        p.drawEllipse(self.rect(r))
        p.restore()

    def line(self, line: Line, color: str, width_mm: float) -> None:
        p = self.painter
        p.save()
        pen = QPen(QColor(color), self.px(width_mm))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        p.drawLine(self.point(line.x1, line.y1), self.point(line.x2, line.y2))
        p.restore()

    def icon(self, name: str, r: Rect, color: str, opacity: float = 1.0) -> None:
        """A qtawesome icon as a filled vector outline (never text, never a bitmap)."""
        glyph = _icon_path(name)
        bounds = glyph.boundingRect()
        target = self.rect(r)
        if bounds.isEmpty():
            return
        scale = min(target.width() / bounds.width(), target.height() / bounds.height())
        p = self.painter
        p.save()
        p.setOpacity(opacity)
        p.translate(
            target.center().x() - bounds.center().x() * scale,
            target.center().y() - bounds.center().y() * scale,
        )
        p.scale(scale, scale)
        p.fillPath(glyph, QColor(color))
        p.restore()

    # -- text -------------------------------------------------------------------------------
    def fit(self, slot: TextSlot, text: str) -> FittedText:
        return self._laid_out(slot, text)[0]

    def _laid_out(self, slot: TextSlot, text: str) -> tuple[FittedText, QTextLayout]:
        key = (slot, text, self.dpi)
        found = self.cache.texts.get(key)
        if found is None:
            fitted = self._fit(slot, text)
            found = self.cache.texts[key] = (fitted, self._layout(slot, fitted))
        return found

    def _fit(self, slot: TextSlot, text: str) -> FittedText:
        """The largest size (down to ``slot.min_pt``) at which ``text`` fits its slot on at
        most ``max_lines`` lines; below that, the last line is elided."""
        content = " ".join((text.upper() if slot.caps else text).split())
        width, height = self.px(slot.rect.w), self.px(slot.rect.h)
        size = slot.size_pt
        while True:
            font = self._font(slot, size)
            lines, _starts, widest, line_h = self._wrap(content, font, width, anywhere=False)
            block = _block(len(lines), line_h, slot.line_spacing)
            if len(lines) <= slot.max_lines and widest <= width and block <= height:
                return FittedText(
                    tuple(lines), font, size, line_h * slot.line_spacing, block,
                    shrunk=size < slot.size_pt, elided=False,
                )  # fmt: skip
            if size <= slot.min_pt:
                break
            size = max(slot.min_pt, size - max(0.25, size * 0.04))
        font = self._font(slot, slot.min_pt)
        lines, starts, _widest, line_h = self._wrap(content, font, width, anywhere=True)
        fit_lines = int((height - line_h) // (line_h * slot.line_spacing)) + 1
        room = max(1, min(slot.max_lines, fit_lines))
        kept = lines[: room - 1]
        rest = _utf16_slice(content, starts[room - 1]).strip() if room - 1 < len(starts) else ""
        metrics = QFontMetricsF(font, self.device)
        last = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width * 0.995)
        final = (*kept, last)
        return FittedText(
            tuple(final), font, slot.min_pt, line_h * slot.line_spacing,
            _block(len(final), line_h, slot.line_spacing), shrunk=True, elided=last != rest,
        )  # fmt: skip

    def text(
        self, slot: TextSlot, text: str, color: str, fitted: FittedText | None = None
    ) -> QRectF:
        """Draw ``text`` in its slot; returns the block's rectangle in device pixels."""
        if fitted is None:
            fitted, layout = self._laid_out(slot, text)
        else:
            layout = self._layout(slot, fitted)
        box = self.rect(slot.rect)
        top = box.top() + ((box.height() - fitted.block_height) / 2 if slot.valign_center else 0)
        self.painter.save()
        self.painter.setPen(QColor(color))
        layout.draw(self.painter, QPointF(box.left(), top))
        self.painter.restore()
        return QRectF(box.left(), top, box.width(), fitted.block_height)

    def _layout(self, slot: TextSlot, fitted: FittedText) -> QTextLayout:
        """The fitted lines laid out in the slot's width, at (0, 0): drawn at any origin."""
        layout = QTextLayout(LINE_BREAK.join(fitted.lines), fitted.font, self.device)
        option = QTextOption(_ALIGN[slot.align])
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        option.setUseDesignMetrics(True)
        layout.setTextOption(option)
        layout.beginLayout()
        y = 0.0
        while (line := layout.createLine()).isValid():
            line.setLineWidth(self.px(slot.rect.w))
            line.setPosition(QPointF(0, y))
            y += line.height() * slot.line_spacing
        layout.endLayout()
        return layout

    def text_width(self, fitted: FittedText) -> float:
        metrics = QFontMetricsF(fitted.font, self.device)
        return max((metrics.horizontalAdvance(line) for line in fitted.lines), default=0.0)

    def _font(self, slot: TextSlot, size: float) -> QFont:
        font = print_font(slot.face, size)
        if slot.caps:
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 110)
        return font

    def _wrap(
        self, text: str, font: QFont, width: float, *, anywhere: bool
    ) -> tuple[list[str], list[int], float, float]:
        layout = QTextLayout(text, font, self.device)
        option = QTextOption()
        option.setWrapMode(
            QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
            if anywhere
            else QTextOption.WrapMode.WordWrap
        )
        option.setUseDesignMetrics(True)
        layout.setTextOption(option)
        layout.beginLayout()
        lines: list[str] = []
        starts: list[int] = []
        widest = 0.0
        height = QFontMetricsF(font, self.device).height()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            chunk = _utf16_slice(text, line.textStart(), line.textLength()).strip()
            if chunk:
                lines.append(chunk)
                starts.append(line.textStart())
            widest = max(widest, line.naturalTextWidth())
            height = line.height()
        layout.endLayout()
        return lines or [""], starts or [0], widest, height


def _utf16_slice(text: str, start: int, length: int | None = None) -> str:
    """Qt counts positions in UTF-16 units; Python in code points (they differ past U+FFFF)."""
    units = text.encode("utf-16-le")
    end = None if length is None else 2 * (start + length)
    return units[2 * start : end].decode("utf-16-le", errors="ignore")


def _block(count: int, line_height: float, spacing: float) -> float:
    return line_height + max(count - 1, 0) * line_height * spacing


def _icon_path(name: str) -> QPainterPath:
    with _icon_lock:
        if name not in _icon_paths:
            prefix = name.split(".", 1)[0]
            raw = QRawFont.fromFont(qta.font(prefix, 200))
            glyphs = raw.glyphIndexesForString(qta.charmap(name))
            path = raw.pathForGlyph(glyphs[0]) if glyphs else QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
            _icon_paths[name] = path
        return QPainterPath(_icon_paths[name])
