"""The rows behind a report figure, in a dialog (loaded off the GUI thread)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import in_words
from frontdesk.services.reports.drilldown import DrillDown
from frontdesk.ui.screens.reports.models import DrillDownModel
from frontdesk.ui.tasks import TaskRunner


class DrillDownDialog(QDialog):
    def __init__(
        self,
        load: Callable[[], DrillDown],
        tasks: TaskRunner,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("drillDownDialog")
        self.setWindowTitle(title)
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        self.heading = QLabel(title, self)
        self.heading.setObjectName("screenTitle")
        self.note = QLabel("Loading…", self)
        self.note.setObjectName("drillDownNote")
        self.model = DrillDownModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("drillDownTable")
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        tasks.read(load, self._loaded, self._failed)

    def _loaded(self, drill: DrillDown) -> None:
        self.heading.setText(drill.title)
        self.model.set_drilldown(drill)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        if drill.total == 0:
            self.note.setText("Nothing in this figure for the month.")
        elif drill.total > len(drill.rows):
            self.note.setText(f"The first {len(drill.rows):,} of {drill.total:,}.")
        else:
            self.note.setText(f"{drill.total:,} in all.")

    def _failed(self, error: BaseException) -> None:
        self.note.setText(in_words(error, "These rows could not be loaded."))
