"""The Patients screen: every patient with code, consent and visits; type to filter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.bundle import Services
from frontdesk.services.patients.dto import PatientPage
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.patients.model import ROW_ROLE, PatientsModel
from frontdesk.ui.tasks import TaskRunner

FILTER_DEBOUNCE_MS = 150


class PatientsScreen(QWidget):
    open_requested = Signal(int)

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        region: str,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._stale = True
        title = QLabel("Patients", self)
        title.setObjectName("screenTitle")
        self.count = QLabel("", self)
        self.count.setObjectName("patientsCount")
        self.filter = QLineEdit(self)
        self.filter.setObjectName("patientsFilter")
        self.filter.setPlaceholderText("Filter by name, code, phone or email")
        self.filter.setAccessibleName("Filter patients")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaxLength(100)
        self.model = PatientsModel(self._fetch, region, timezone, self)
        self.table = QTableView(self)
        self.table.setObjectName("patientsTable")
        self.table.setAccessibleName("Patients")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.count)
        head.addStretch(1)
        head.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self.filter.textEdited.connect(lambda _text: self._debounce.start())
        self.filter.returnPressed.connect(self._focus_table)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        events.patients_changed.connect(self._mark_stale)

    def _fetch(self, text: str, offset: int, done: Callable[[PatientPage], None]) -> None:
        self._tasks.read(lambda: self._services.patient_list.page(text, offset), done)

    def reload(self) -> None:
        self._stale = False
        self.model.reload(self.filter.text())

    def _mark_stale(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self._stale:
            self.reload()
        self.filter.setFocus()

    def _update_count(self) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        text = f"{total:,} patient{'s' if total != 1 else ''}"
        if self.filter.text().strip():
            text += " match"
        if shown < total:
            text += f" · showing {shown:,}"
        self.count.setText(text)

    def _focus_table(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _open(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.open_requested.emit(row.patient.id)
