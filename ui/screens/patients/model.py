"""Patients as a table model that fills progressively: one page now, more as you scroll."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from frontdesk.domain.phones import format_phone
from frontdesk.services.patients.dto import PatientPage, PatientRow
from frontdesk.ui.latest import LatestAnswer

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Name", "Code", "Mobile", "Email", "SMS", "Visits", "Last visit", "Since")
# Asks for a page (filter, offset) and hands the answer to the callback, off the GUI thread.
PageFetcher = Callable[[str, int, Callable[[PatientPage], None]], None]


class PatientsModel(QAbstractTableModel):
    def __init__(
        self, fetch: PageFetcher, region: str = "GB", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._region = region
        self._rows: list[PatientRow] = []
        self._total = 0
        self._filter = ""
        self._latest = LatestAnswer()
        self._loading = False

    # -- loading ------------------------------------------------------------------------
    def reload(self, text: str = "") -> None:
        """Start again from the first page for ``text``; late pages of an old filter are
        dropped."""
        ticket = self._latest.ask()
        self._filter = text
        self._loading = True
        self._fetch(text, 0, ticket(self._replace))

    def _replace(self, page: PatientPage) -> None:
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = page.total
        self._loading = False
        self.endResetModel()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        self._fetch(self._filter, len(self._rows), self._latest.current()(self._append))

    def _append(self, page: PatientPage) -> None:
        if page.offset != len(self._rows):
            return
        self._loading = False
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._total = page.total
            self.endInsertRows()

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> PatientRow:
        return self._rows[row]

    # -- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        return _cell(row, index.column(), self._region)


def _cell(row: PatientRow, column: int, region: str) -> str | None:
    if column == 0:
        return row.patient.name
    if column == 1:
        return row.patient.code or ""
    if column == 2:
        return format_phone(row.patient.phone, region) if row.patient.phone else ""
    if column == 3:
        return row.patient.email or ""
    if column == 4:
        return "opted out" if row.opted_out else ("yes" if row.sms_consent else "no")
    if column == 5:
        return str(row.visits)
    if column == 6:
        return f"{row.last_visit:%d %b %Y}" if row.last_visit else ""
    if column == 7:
        return f"{row.created_at:%b %Y}"
    return None
