"""Table models of the import wizard's preview and the backups list (one per view)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk.domain.clinic_time import when_text
from frontdesk.services.dataio.backups import BackupInfo
from frontdesk.services.dataio.import_dto import DuplicateMatch, RowIssue

Index = QModelIndex | QPersistentModelIndex


class _Table(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Any, ...]] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(value)
        return None

    def _replace(self, rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()


class IssueModel(_Table):
    headers = ("Line", "Name", "What is wrong")

    def set_issues(self, issues: Sequence[RowIssue]) -> None:
        self._replace([(i.line, i.name or "(no name)", " ".join(i.reasons)) for i in issues])


class DuplicateModel(_Table):
    headers = ("Line", "In the file", "On file", "Matched on", "What happens")
    ACTIONS: ClassVar[dict[str, str]] = {
        "skip": "left as it is",
        "merge": "filled in",
        "unchanged": "nothing to add",
        "conflict": "not imported",
    }

    def set_matches(self, matches: Sequence[DuplicateMatch]) -> None:
        self._replace(
            [
                (
                    m.line,
                    m.name,
                    f"{m.existing_name} ({m.existing_code or 'no code'})",
                    m.matched_on,
                    f"{self.ACTIONS.get(m.action, m.action)}: {m.detail}",
                )
                for m in matches
            ]
        )


class BackupsModel(_Table):
    headers = ("Taken", "Kind", "Size")
    KINDS: ClassVar[dict[str, str]] = {
        "auto": "Automatic",
        "manual": "Manual",
        "before-restore": "Before a restore",
    }

    def __init__(self, zone: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = ZoneInfo(zone)
        self.backups: list[BackupInfo] = []

    def set_backups(self, backups: Sequence[BackupInfo]) -> None:
        self.backups = list(backups)
        self._replace(
            [
                (_when(b.taken_at, self._zone), self._kind(b.kind), _size(b.size_bytes))
                for b in backups
            ]
        )

    def _kind(self, kind: str) -> str:
        if kind.startswith("before-upgrade"):
            return "Before an update"
        return self.KINDS.get(kind, kind)


def _when(at: datetime, zone: ZoneInfo) -> str:
    return when_text(at, zone)


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(size // 1024, 1)} KB"
