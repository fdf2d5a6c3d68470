"""Today's list as a table model: time, name, state and visit type."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from frontdesk.domain.clinic_time import time_text
from frontdesk.services.patients.dto import TodayRow
from frontdesk.ui.widgets.row_model import ROW_ROLE, Column, RowTableModel

__all__ = ["ROW_ROLE", "TodayModel"]

STATE_WORDS = {"expected": "Expected", "new": "New", "checked_in": "Checked in"}
STATE_COLOURS = {"expected": "#B54708", "new": "#0E7C86", "checked_in": "#067647"}


class TodayModel(RowTableModel[TodayRow]):
    def __init__(self, timezone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        zone = ZoneInfo(timezone)
        self.columns = (
            Column("Time", lambda row: time_text(row.at, zone)),
            Column("Patient", lambda row: row.patient.name, tooltip=lambda r: r.patient.code),
            Column(
                "Status",
                lambda row: STATE_WORDS[row.state],
                colour=lambda row: STATE_COLOURS[row.state],
            ),
            Column("Visit", lambda row: row.visit_type or ""),
        )

    def row_of(self, patient_id: int) -> int | None:
        for index, row in enumerate(self._rows):
            if row.patient.id == patient_id:
                return index
        return None
