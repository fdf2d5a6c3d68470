"""Table models of the import wizard's preview and the backups list (one per view)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from frontdesk.domain.clinic_time import when_text
from frontdesk.services.dataio.backups import BackupInfo
from frontdesk.services.dataio.import_dto import DuplicateMatch, RowIssue
from frontdesk.ui.widgets.row_model import Column, RowTableModel

Cells = tuple[Any, ...]


def _cell_columns(headers: Sequence[str]) -> tuple[Column[Cells], ...]:
    """One column per header over rows of cells: shown (and tooltipped, as the cells are
    long) as text, sorted by the value itself (a line number sorts as a number)."""
    return tuple(
        Column[Cells](
            title,
            lambda row, i=i: str(row[i]),  # type: ignore[misc]
            sort=lambda row, i=i: row[i],  # type: ignore[misc]
            tooltip=lambda row, i=i: str(row[i]),  # type: ignore[misc]
        )
        for i, title in enumerate(headers)
    )


class _Table(RowTableModel[Cells]):
    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = _cell_columns(self.headers)


class IssueModel(_Table):
    headers = ("Line", "Name", "What is wrong")

    def set_issues(self, issues: Sequence[RowIssue]) -> None:
        self.set_rows([(i.line, i.name or "(no name)", " ".join(i.reasons)) for i in issues])


class DuplicateModel(_Table):
    headers = ("Line", "In the file", "On file", "Matched on", "What happens")
    ACTIONS: ClassVar[dict[str, str]] = {
        "skip": "left as it is",
        "merge": "filled in",
        "unchanged": "nothing to add",
        "conflict": "not imported",
    }

    def set_matches(self, matches: Sequence[DuplicateMatch]) -> None:
        self.set_rows(
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
        self.set_rows(
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
