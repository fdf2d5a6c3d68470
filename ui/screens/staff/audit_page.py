"""Settings → Audit log (owner): every change with who, when, before → after and why.

Filters by person, patient, kind and first day; the rows shown can be saved as CSV.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_time import clinic_day
from frontdesk.domain.errors import FrontdeskError, InvalidInputError
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.staff.audit_log import AuditFilter
from frontdesk.services.staff.dto import AuditEntry
from frontdesk.ui.screens.staff.models import AuditModel
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.tables import make_table

ALL_KINDS = "All changes"


def _line(parent: QWidget, name: str, placeholder: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(placeholder)
    return field


class AuditPage(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        actor: Actor,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self._services, self._tasks, self._actor, self._tz = services, tasks, actor, timezone
        self.since_text = self.patient_text = self.person_text = ""
        self.kind_text = ALL_KINDS
        self._asked = 0  # numbers each reload, so a late answer never overwrites a newer one
        outer = QVBoxLayout(self)
        title = QLabel("Audit log", self)
        title.setObjectName("screenTitle")
        outer.addWidget(title)
        filters = QHBoxLayout()
        self.person = _line(self, "auditStaffFilter", "Person")
        self.patient = _line(self, "auditPatientFilter", "Patient (code, phone or name)")
        self.since = _line(self, "auditSinceFilter", "From day (YYYY-MM-DD)")
        self.kind = QComboBox(self)
        self.kind.setObjectName("auditKindFilter")
        self.kind.setAccessibleName("Kind of change")
        self.kind.addItem(ALL_KINDS)
        self.apply = QPushButton("Show", self)
        self.apply.setObjectName("auditApply")
        self.apply.clicked.connect(self.reload)
        self.export = QPushButton("Save as CSV…", self)
        self.export.setObjectName("auditExport")
        self.export.clicked.connect(self._choose_file)
        for field in (self.person, self.patient, self.since):
            field.returnPressed.connect(self.reload)
            filters.addWidget(field, 1)
        filters.addWidget(self.kind)
        filters.addWidget(self.apply)
        filters.addWidget(self.export)
        outer.addLayout(filters)
        self.model = AuditModel(timezone, self)
        self.table = make_table(self, "auditTable", "Audit log")
        self.table.setModel(self.model)
        for column, width in enumerate((130, 150, 170, 90, 180, 180)):
            self.table.setColumnWidth(column, width)
        outer.addWidget(self.table, 1)
        self.message = QLabel("", self)
        self.message.setObjectName("auditMessage")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        if not actor.is_owner:
            for widget in (self.apply, self.export, self.person, self.patient, self.since):
                widget.setEnabled(False)
                widget.setToolTip("Only an owner can read the audit log.")
            self.message.setText("Only an owner can read the audit log.")
            return
        self._tasks.read(self._services.audit.kinds, self._show_kinds)
        self.reload()

    def _show_kinds(self, kinds: tuple[str, ...]) -> None:
        self.kind.addItems(list(kinds))

    def _filter(self) -> AuditFilter:
        """What the filters say (on a worker thread: a patient query reads the database)."""
        since = None
        if text := self.since_text:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise InvalidInputError(f"{text!r} is not a day: write it as YYYY-MM-DD.") from None
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(self._tz))
            since = clinic_day(noon, self._tz)[0]
        patient = self.patient_text
        return AuditFilter(
            since=since,
            staff=self.person_text or None,
            patient_id=self._services.lookup.resolve(patient).id if patient else None,
            kind=None if self.kind_text == ALL_KINDS else self.kind_text,
        )

    def reload(self) -> None:
        if not self._actor.is_owner:
            return
        self._snapshot()
        self.message.setText("Loading…")
        audit = self._services.audit
        self._asked += 1
        asked = self._asked
        self._tasks.read(
            lambda: audit.list(self._actor, self._filter()),
            lambda entries: self._show(entries, asked),
            lambda error: self._failed(error, asked),
        )

    def _show(self, entries: tuple[AuditEntry, ...], asked: int) -> None:
        if asked != self._asked:
            return  # an older question answered late: the newer answer is the one to show
        self.model.set_rows(entries)
        count = len(entries)
        self.message.setText(
            f"{count} change{'s' if count != 1 else ''}." if count else "No changes match."
        )

    def _failed(self, error: BaseException, asked: int | None = None) -> None:
        if asked is not None and asked != self._asked:
            return
        words = error.message if isinstance(error, FrontdeskError) else "The log could not be read."
        self.message.setText(words)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the audit log", str(Path.home() / "audit-log.csv"), "CSV files (*.csv)"
        )
        if path:
            self.export_to(Path(path))

    def _snapshot(self) -> None:
        """The filters as typed, read here on the GUI thread and used on the worker."""
        self.since_text = self.since.text().strip()
        self.patient_text = self.patient.text().strip()
        self.person_text = self.person.text().strip()
        self.kind_text = self.kind.currentText()

    def export_to(self, path: Path) -> None:
        self._snapshot()
        audit = self._services.audit
        self.message.setText("Saving…")
        self._tasks.read(
            lambda: audit.export_csv(self._actor, self._filter(), path),
            lambda count: self.message.setText(f"Saved {count} changes to {path.name}."),
            self._failed,
        )
