"""Table models of the Reports screen: one per table view, filled with report DTO rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk.domain.money import format_money
from frontdesk.services.reports.drilldown import DrillDown
from frontdesk.services.reports.dto import BreakdownRow, TopReferrer

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class _RowsModel(QAbstractTableModel):
    """Rows of values with a header; numbers sort as numbers (UserRole), show as text."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Any, ...]] = []
        self._sort_keys: list[tuple[Any, ...]] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return LEFT if section == 0 else RIGHT
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return self._sort_keys[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if index.column() == 0 else RIGHT
        return None

    def _replace(self, rows: list[tuple[Any, ...]], keys: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self._rows, self._sort_keys = rows, keys
        self.endResetModel()


class TopReferrersModel(_RowsModel):
    headers = ("Name", "Code", "Introductions", "Attended", "Rewards earned", "All-time attended")

    def set_rows(self, people: Sequence[TopReferrer], currency: str) -> None:
        rows, keys = [], []
        for p in people:
            values = (
                p.name,
                p.code or "",
                p.introductions,
                p.attended,
                p.rewards_minor,
                p.lifetime_attended,
            )
            keys.append(values)
            rows.append(
                (
                    p.name,
                    p.code or "—",
                    f"{p.introductions:,}",
                    f"{p.attended:,}",
                    format_money(p.rewards_minor, currency),
                    f"{p.lifetime_attended:,}",
                )
            )
        self._replace(rows, keys)

    def data(self, index: Index, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid() and index.column() == 1:
            return LEFT
        return super().data(index, role)


class BreakdownModel(_RowsModel):
    """A breakdown's rows with only the columns it uses (asks, introductions, … revenue)."""

    COLUMNS: tuple[tuple[str, str], ...] = (
        ("asks", "Asks sent"),
        ("introductions", "Introductions"),
        ("booked", "Booked"),
        ("attended", "Attended"),
        ("visits", "Visits"),
        ("revenue_minor", "Revenue"),
    )

    def __init__(self, title: str, columns: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        names = dict(self.COLUMNS)
        if "visits" in columns:
            names["attended"] = "First visits"
        self._columns = tuple(columns)
        self.headers = (title, *(names[c] for c in columns))

    def set_rows(self, rows: Sequence[BreakdownRow], currency: str) -> None:
        shown: list[tuple[Any, ...]] = []
        keys: list[tuple[Any, ...]] = []
        for row in rows:
            values = [getattr(row, column) for column in self._columns]
            keys.append((row.key, *(v if v is not None else -1 for v in values)))
            cells = []
            for column, value in zip(self._columns, values, strict=True):
                if value is None:
                    cells.append("—")
                elif column == "revenue_minor":
                    cells.append(format_money(value, currency))
                else:
                    cells.append(f"{value:,}")
            shown.append((row.key, *cells))
        self._replace(shown, keys)


class DrillDownModel(_RowsModel):
    def set_drilldown(self, drill: DrillDown) -> None:
        self.beginResetModel()
        self.headers = drill.columns
        self._rows = [tuple(row) for row in drill.rows]
        self._sort_keys = self._rows
        self.endResetModel()

    def data(self, index: Index, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT
        return super().data(index, role)


def money(currency: str) -> Callable[[int], str]:
    return lambda value: format_money(value, currency, whole=True)
