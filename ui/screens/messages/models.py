"""Table models for the outbox and the inbox, filled with the services' frozen rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from frontdesk.domain.clinic_time import when_text
from frontdesk.services.messaging.messages import InboxRow, OutboxRow

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

STATE_COLOURS = {
    "failed": "#B42318",
    "undelivered": "#B54708",
    "delivered": "#067647",
    "cancelled": "#475467",
}


def stamp(at: datetime | None) -> float:
    return at.timestamp() if at else 0.0


class RowsModel(QAbstractTableModel, Generic[Row]):
    """Columns are (title, text-of-row) pairs; the whole row is under ``ROW_ROLE``."""

    columns: Sequence[tuple[str, Callable[[Any], str]]] = ()
    sort_keys: dict[int, Callable[[Any], Any]] = {}  # noqa: RUF012  (read-only per class)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()][1](row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            key = self.sort_keys.get(index.column())
            return key(row) if key else self.columns[index.column()][1](row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.colour(row, index.column())
        return None

    def colour(self, row: Row, column: int) -> QColor | None:
        return None


class OutboxModel(RowsModel[OutboxRow]):
    def __init__(self, timezone: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            ("State", lambda r: r.state),
            ("To", lambda r: f"{r.patient_name} ({r.to})"),
            ("Message", lambda r: r.kind_label),
            ("Parts", lambda r: f"{r.segments} · {r.encoding}"),
            ("Created", lambda r: when_text(r.created_at, timezone)),
            ("Next attempt", lambda r: when_text(r.next_attempt_at, timezone)),
            ("Problem", lambda r: r.error or ""),
        )

    sort_keys = {  # noqa: RUF012
        3: lambda r: r.segments,
        4: lambda r: stamp(r.created_at),
        5: lambda r: stamp(r.next_attempt_at),
    }

    def colour(self, row: OutboxRow, column: int) -> QColor | None:
        if column in (0, 6) and row.status in STATE_COLOURS:
            return QColor(STATE_COLOURS[row.status])
        return None


def _intent(row: InboxRow) -> str:
    if row.rating is not None:
        return f"Rated {row.rating}/5"
    return {"opt_out": "Opted out", "opt_in": "Opted in", "keyword": "Poster keyword"}.get(
        row.intent, "Message"
    )


class InboxModel(RowsModel[InboxRow]):
    def __init__(self, timezone: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            ("Received", lambda r: when_text(r.received_at, timezone)),
            ("From", lambda r: f"{r.patient_name} ({r.from_})"),
            ("Reply", lambda r: r.body),
            ("Kind", _intent),
            ("Handled", lambda r: when_text(r.handled_at, timezone) if r.handled_at else "—"),
        )

    sort_keys = {0: lambda r: stamp(r.received_at), 4: lambda r: stamp(r.handled_at)}  # noqa: RUF012
