"""Patients as a table model that fills progressively: one page now, more as you scroll."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject

from frontdesk.domain.clinic_time import day_text, to_clinic
from frontdesk.domain.phones import format_phone
from frontdesk.services.patients.dto import PatientPage, PatientRow
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.widgets.row_model import ROW_ROLE, AnyIndex, Column, RowTableModel

__all__ = ["ROW_ROLE", "PageFetcher", "PatientsModel"]

# Asks for a page (filter, offset) and hands the answer to the callback, off the GUI thread.
PageFetcher = Callable[[str, int, Callable[[PatientPage], None]], None]


def _sms(row: PatientRow) -> str:
    return "opted out" if row.opted_out else ("yes" if row.sms_consent else "no")


class PatientsModel(RowTableModel[PatientRow]):
    def __init__(
        self, fetch: PageFetcher, region: str, timezone: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._total = 0
        self._filter = ""
        self._latest = LatestAnswer()
        self._loading = False
        self.columns = (
            Column("Name", lambda r: r.patient.name),
            Column("Code", lambda r: r.patient.code or ""),
            Column(
                "Mobile",
                lambda r: format_phone(r.patient.phone, region) if r.patient.phone else "",
            ),
            Column("Email", lambda r: r.patient.email or ""),
            Column("SMS", _sms),
            Column("Visits", lambda r: str(r.visits), sort=lambda r: r.visits, align_right=True),
            Column(
                "Last visit",
                lambda r: day_text(r.last_visit, timezone),
                sort=lambda r: r.last_visit.isoformat() if r.last_visit else "",
            ),
            Column(
                "Since",
                lambda r: f"{to_clinic(r.created_at, timezone):%b %Y}",
                sort=lambda r: r.created_at,
            ),
        )

    # -- loading ------------------------------------------------------------------------
    def reload(self, text: str = "") -> None:
        """Start again from the first page for ``text``; late pages of an old filter are
        dropped."""
        ticket = self._latest.ask()
        self._filter = text
        self._loading = True
        self._fetch(text, 0, ticket(self._replace))

    def _replace(self, page: PatientPage) -> None:
        self._total = page.total
        self._loading = False
        self.set_rows(page.rows)

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
        self._total = page.total
        self.append_rows(page.rows)

    @property
    def total(self) -> int:
        return self._total
