"""A sorted table on the left and, beside it, the selected row in words with its actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

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


def sorted_table(
    parent: QWidget,
    model: QAbstractItemModel,
    name: str,
    accessible: str,
    sort: tuple[int, int],
) -> tuple[QSortFilterProxyModel, QTableView]:
    """A read-only, single-row-select table over ``model``, sorted descending (newest
    first) on ``sort`` = (column, sort role)."""
    sort_column, sort_role = sort
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Fit columns to the rows in view and a sample: a long outbox must not stall each repaint.
    table.horizontalHeader().setResizeContentsPrecision(60)
    return proxy, table
