"""Who gets a card: today's patients (one click), or people found by the desk's search."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import in_words
from frontdesk.services.records.dto import LookupResult, PatientRef
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.alive import while_alive
from frontdesk.ui.widgets.row_model import ROW_ROLE, Column, RowTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 120


class ChosenPatientsModel(RowTableModel[PatientRef]):
    """The people chosen for cards, in the order they were added."""

    columns = (
        Column("Name", lambda p: p.name),
        Column("Code", lambda p: p.code or "—"),
    )

    def people(self) -> list[PatientRef]:
        return self.rows()

    def add(self, person: PatientRef) -> bool:
        if any(p.id == person.id for p in self._rows):
            return False
        self.append_rows([person])
        return True

    def clear(self) -> None:
        self.set_rows([])


class _SearchBox(QLineEdit):
    """Down moves into the results; Enter adds the first one."""

    def __init__(self, results: QListWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self._results = results

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self._results.count():
            self._results.setFocus()
            self._results.setCurrentRow(0)
            return
        super().keyPressEvent(event)


class PatientPicker(QWidget):
    changed = Signal()  # the people to print changed (mode, today's list or the chosen list)

    def __init__(
        self,
        lookup: Callable[[str], LookupResult],
        todays_patients: Callable[[], tuple[PatientRef, ...]],
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._lookup = lookup
        self._todays_patients = todays_patients
        self._tasks = tasks
        self._today: tuple[PatientRef, ...] = ()
        self._latest = LatestAnswer()

        self.today_button = QRadioButton("Today's patients", self)
        self.today_button.setObjectName("todaysPatients")
        self.chosen_button = QRadioButton("Chosen patients", self)
        self.chosen_button.setObjectName("chosenPatients")
        group = QButtonGroup(self)
        group.addButton(self.today_button)
        group.addButton(self.chosen_button)
        self.today_button.setChecked(True)
        self.today_count = QLabel("Looking for today's patients…", self)
        self.today_count.setObjectName("todayCount")
        self.today_count.setWordWrap(True)

        self.results = QListWidget(self)
        self.results.setObjectName("patientResults")
        self.results.setAccessibleName("Patients found")
        self.results.setMaximumHeight(132)
        self.results.hide()
        self.search = _SearchBox(self.results, self)
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText("Add a patient: code, phone or name…")
        self.search.setAccessibleName("Find a patient to add")
        self.search.setClearButtonEnabled(True)

        self.model = ChosenPatientsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("chosenList")
        self.table.setAccessibleName("Chosen patients")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setObjectName("removePatient")
        self.remove_button.setToolTip("Take the selected people off the list (Delete)")
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setObjectName("clearPatients")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.today_button)
        layout.addWidget(self.today_count)
        layout.addSpacing(4)
        layout.addWidget(self.chosen_button)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        row.addWidget(self.clear_button)
        layout.addLayout(row)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(lambda: self._add_row(0))
        self.results.itemActivated.connect(lambda item: self._add_row(self.results.row(item)))
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button.clicked.connect(self._clear)
        self.today_button.toggled.connect(self._mode_changed)
        self.table.installEventFilter(self)
        self._mode_changed()

    # -- what to print ----------------------------------------------------------------------
    @property
    def uses_today(self) -> bool:
        return self.today_button.isChecked()

    def people(self) -> list[PatientRef]:
        return list(self._today) if self.uses_today else self.model.people()

    def add_person(self, person: PatientRef) -> None:
        """Add someone (the check-in screen's "print card" lands here) and switch to them."""
        self.model.add(person)
        self.chosen_button.setChecked(True)
        self.changed.emit()

    def refresh_today(self) -> None:
        self._tasks.read(
            self._todays_patients,
            while_alive(self, self._today_loaded),
            while_alive(self, self._today_failed),
        )

    def _today_loaded(self, people: tuple[PatientRef, ...]) -> None:
        self._today = people
        count = len(people)
        self.today_count.setText(
            "No one has been checked in today yet."
            if not count
            else f"{count} {'person' if count == 1 else 'people'} seen today"
        )
        if self.uses_today:
            self.changed.emit()

    def _today_failed(self, error: BaseException) -> None:
        self.today_count.setText(in_words(error, "Couldn't load today's patients."))

    # -- search and the chosen list ----------------------------------------------------------
    def _run_search(self) -> None:
        query = self.search.text().strip()
        ticket = self._latest.ask()
        if not query:
            self.results.clear()
            self.results.hide()
            return
        self._tasks.read(lambda: self._lookup(query), while_alive(self, ticket(self._show)))

    def _show(self, result: LookupResult) -> None:
        self.results.clear()
        for hit in result.hits:
            label = f"{hit.patient.name}   {hit.patient.code or ''}   {hit.masked_phone}"
            item = QListWidgetItem(label, self.results)
            item.setData(ROW_ROLE, hit.patient)
        if not result.hits:
            QListWidgetItem("No one matches — try a code or phone number", self.results)
        self.results.setVisible(True)

    def _add_row(self, row: int) -> None:
        item = self.results.item(row)
        person = item.data(ROW_ROLE) if item else None
        if person is None:
            return
        self.add_person(person)
        self.search.clear()
        self.search.setFocus()

    def _remove_selected(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        self.model.remove_rows(rows)
        self.changed.emit()

    def _clear(self) -> None:
        self.model.clear()
        self.changed.emit()

    def _mode_changed(self) -> None:
        chosen = not self.uses_today
        for widget in (self.search, self.table, self.remove_button, self.clear_button):
            widget.setEnabled(chosen)
        self.results.setVisible(chosen and self.results.count() > 0)
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: object) -> bool:
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self._remove_selected()
            return True
        return super().eventFilter(watched, event)
