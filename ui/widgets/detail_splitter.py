"""A table on the left and, beside it, the selected row in words with its actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

# (text, objectName, slot, tooltip or "")
Action = tuple[str, str, Callable[[], None], str]


def table_with_detail(
    parent: QWidget, table: QWidget, detail_name: str, placeholder: str, actions: Sequence[Action]
) -> tuple[QSplitter, QLabel, list[QPushButton]]:
    """The splitter to add to a layout, the detail label and the action buttons, in order."""
    side_widget = QWidget(parent)
    side = QVBoxLayout(side_widget)
    detail = QLabel(placeholder, side_widget)
    detail.setObjectName(detail_name)
    detail.setWordWrap(True)
    detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    side.addWidget(detail, 1)
    buttons = []
    for text, name, slot, tip in actions:
        button = QPushButton(text, side_widget)
        button.setObjectName(name)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(slot)
        side.addWidget(button)
        buttons.append(button)
    splitter = QSplitter(parent)
    splitter.addWidget(table)
    splitter.addWidget(side_widget)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    return splitter, detail, buttons
