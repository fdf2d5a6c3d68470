"""Table models of the Staff and Audit log pages."""

from __future__ import annotations

from PySide6.QtCore import QObject

from frontdesk.domain.clinic_time import when_text
from frontdesk.services.staff.dto import AuditEntry, StaffMember
from frontdesk.ui.widgets.row_model import Column, RowTableModel


class StaffModel(RowTableModel[StaffMember]):
    columns = (
        Column("Name", lambda m: m.name),
        Column("Role", lambda m: m.role),
        Column("State", lambda m: "active" if m.active else "disabled"),
    )


class AuditModel(RowTableModel[AuditEntry]):
    """Times shown on the clinic's wall clock (stored in UTC)."""

    def __init__(self, timezone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("When", lambda e: when_text(e.at, timezone), sort=lambda e: e.at),
            Column("Who", lambda e: e.who),
            Column("What", lambda e: e.action),
            Column(
                "On", lambda e: e.entity if e.entity_id is None else f"{e.entity} {e.entity_id}"
            ),
            Column("Before", lambda e: e.before or "", tooltip=lambda e: e.before),
            Column("After", lambda e: e.after or "", tooltip=lambda e: e.after),
            Column("Reason", lambda e: e.reason or ""),
        )
