"""Today's list as a table model: time, name, state and visit type."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from frontdesk.services.checkin_dto import TodayRow

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_WORDS = {"expected": "Expected", "new": "New", "checked_in": "Checked in"}
STATE_COLOURS = {"expected": "#B54708", "new": "#0E7C86", "checked_in": "#067647"}
HEADERS = ("Time", "Patient", "Status", "Visit")


class TodayModel(QAbstractTableModel):
    def __init__(self, timezone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TodayRow] = []
        self._texts: list[tuple[str, str, str, str]] = []
        self._zone = ZoneInfo(timezone)

    def set_rows(self, rows: list[TodayRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        # Worked out once here: views ask for each cell many times while they paint and size.
        self._texts = [
            (
                row.at.astimezone(self._zone).strftime("%H:%M"),
                row.patient.name,
                STATE_WORDS[row.state],
                row.visit_type or "",
            )
            for row in self._rows
        ]
        self.endResetModel()

    def row_at(self, row: int) -> TodayRow:
        return self._rows[row]

    def row_of(self, patient_id: int) -> int | None:
        for index, row in enumerate(self._rows):
            if row.patient.id == patient_id:
                return index
        return None

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
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts[index.row()][column] if 0 <= column < len(HEADERS) else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QColor(STATE_COLOURS[row.state])
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return row.patient.code or ""
        return None
