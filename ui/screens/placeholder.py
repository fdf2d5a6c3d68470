"""A screen whose features arrive in a later release: says so plainly instead of faking it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlannedScreen(QWidget):
    def __init__(self, title: str, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        heading = QLabel(title, self)
        heading.setObjectName("screenTitle")
        body = QLabel(summary, self)
        body.setObjectName("screenSummary")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
