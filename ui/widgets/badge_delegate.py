"""A table cell showing a referral stage as the same coloured badge used everywhere."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from frontdesk.ui.widgets.badge import badge_width, paint_badge

AnyIndex = QModelIndex | QPersistentModelIndex


class BadgeDelegate(QStyledItemDelegate):
    """Paints the cell's text as a badge (colour plus the word: colour is never the only sign)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        status = index.data(Qt.ItemDataRole.DisplayRole) or ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            # Selection and focus backgrounds as for any other cell, without the text.
            plain = QStyleOptionViewItem(option)
            self.initStyleOption(plain, index)
            plain.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        if status:
            painter.save()
            painter.setFont(option.font)
            left = option.rect.left() + 8
            paint_badge(
                painter, left + badge_width(painter, status), option.rect.center().y(), status
            )
            painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(max(base.width(), 120), max(base.height(), 28))
