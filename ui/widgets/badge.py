"""Status badges drawn the same way everywhere: colour plus a word, readable contrast."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

# Background colours chosen so white text stays above 4.5:1 contrast.
BADGE_COLOURS: dict[str, str] = {
    "introduced": "#B42318",
    "booked": "#B54708",
    "attended": "#067647",
    "rewarded": "#067647",
    "flagged": "#6941C6",
    "blocked": "#475467",
    "cancelled": "#475467",
    "expired": "#475467",
    "rejected": "#475467",
}


def badge_colour(status: str) -> QColor:
    return QColor(BADGE_COLOURS.get(status, "#475467"))


def badge_width(painter: QPainter, status: str) -> float:
    """How wide ``paint_badge`` draws ``status`` with the painter's current font."""
    font = QFont(painter.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
    font.setBold(True)
    return QFontMetrics(font).horizontalAdvance(status.replace("_", " ")) + 14


def paint_badge(painter: QPainter, right: float, centre_y: float, status: str) -> float:
    """Paint a pill ending at ``right``; returns its left edge so callers can place text."""
    font = QFont(painter.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
    font.setBold(True)
    metrics = QFontMetrics(font)
    label = status.replace("_", " ")
    width = metrics.horizontalAdvance(label) + 14
    height = metrics.height() + 4
    rect = QRectF(right - width, centre_y - height / 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(badge_colour(status))
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor("white"))
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()
    return rect.left()
