"""Inbox tab: replies that need a person, attached to the patient, with context."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.clinic_time import when_text
from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.messages import InboxRow
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.messages.models import ROW_ROLE, SORT_ROLE, InboxModel
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.detail_splitter import sorted_table, table_with_detail


class IntroductionDialog(QDialog):
    """'My sister Anna wants to book': who is the friend?"""

    def __init__(self, row: InboxRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create an introduction")
        form = QFormLayout(self)
        form.addRow(QLabel(f"{row.patient_name} wrote: “{row.body}”", self))
        self.name = QLineEdit(self)
        self.name.setObjectName("introName")
        self.name.setPlaceholderText("e.g. Anna Connolly")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("introPhone")
        self.phone.setPlaceholderText("optional")
        form.addRow("Friend's name", self.name)
        form.addRow("Friend's mobile", self.phone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class InboxTab(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self._timezone = timezone  # the clinic's: every time shown is on its wall clock
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.show_handled = QCheckBox("Show handled replies", self)
        self.show_handled.setObjectName("showHandled")
        self.show_handled.toggled.connect(self.refresh)
        top.addWidget(self.show_handled)
        top.addStretch(1)
        self.confirmation = QLabel("", self)
        self.confirmation.setObjectName("inboxConfirmation")
        self.confirmation.setWordWrap(True)
        top.addWidget(self.confirmation)
        layout.addLayout(top)

        self.model = InboxModel(timezone, self)
        self.proxy, self.table = sorted_table(
            self, self.model, "inboxTable", "Replies", (0, SORT_ROLE)
        )
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())

        splitter, self.detail, (self.handled_button, self.intro_button) = table_with_detail(
            self,
            self.table,
            "inboxDetail",
            "",
            (
                ("Mark handled", "markHandledButton", self._mark_handled, ""),
                (
                    "Create introduction…",
                    "createIntroductionButton",
                    self._introduce,
                    "Record the friend this patient mentions as an introduction",
                ),
            ),
        )
        layout.addWidget(splitter, 1)
        self._show_selected()
        events.messages_changed.connect(self.refresh)

    def refresh(self) -> None:
        include = self.show_handled.isChecked()
        self._tasks.read(
            lambda: self._services.messages.inbox(include_handled=include), self._loaded
        )

    def _loaded(self, rows: list[InboxRow]) -> None:
        self.model.set_rows(rows)
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._show_selected()

    def selected(self) -> InboxRow | None:
        index = self.table.currentIndex()
        return self.proxy.data(index, ROW_ROLE) if index.isValid() else None

    def _show_selected(self) -> None:
        row = self.selected()
        open_row = row is not None and row.handled_at is None
        self.handled_button.setEnabled(open_row)
        self.intro_button.setEnabled(open_row and row is not None and row.patient_id is not None)
        if row is None:
            self.detail.setText(
                "No replies waiting for the desk." if not self.model.rowCount() else ""
            )
            return
        lines = [
            f"{row.patient_name} ({row.from_}) · {when_text(row.received_at, self._timezone)}",
            "",
            f"“{row.body}”",
        ]
        if row.answers:
            lines += ["", f"In reply to: {row.answers}"]
        if row.last_visit:
            lines.append(f"Last visit: {when_text(row.last_visit, self._timezone)}")
        if row.referral_status:
            lines.append(f"Their referral: {row.referral_status}")
        if row.patient_id is None:
            lines += ["", "This number is not on file."]
        self.detail.setText("\n".join(lines))

    def _mark_handled(self) -> None:
        row = self.selected()
        if row is not None:
            self._write(lambda: self._services.messages.mark_handled(self._actor, row.id))

    def _introduce(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = IntroductionDialog(row, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.introduce(row, dialog.name.text(), dialog.phone.text().strip() or None)

    def introduce(self, row: InboxRow, name: str, phone: str | None) -> None:
        """Record the friend, then say what was created and open the patient's card."""
        friend = " ".join(name.split())

        def created(_referral_id: object) -> None:
            self._events.announce(Changes.of(Topic.MESSAGES, Topic.REFERRALS))
            self.confirmation.setText(
                f"Introduced {friend} as {row.patient_name}'s friend: it is in Referrals as "
                f"“introduced”. {row.patient_name}'s card is open."
            )
            if row.patient_id is not None:
                self._events.patient_opened.emit(row.patient_id)

        self._tasks.write(
            lambda: self._services.messages.create_introduction(self._actor, row.id, name, phone),
            created,
            lambda error: self.detail.setText(in_words(error)),
        )

    def _write(self, fn: object, also: tuple[Topic, ...] = ()) -> None:
        def done(_result: object) -> None:
            self._events.announce(Changes.of(Topic.MESSAGES, *also))

        self._tasks.write(fn, done, lambda error: self.detail.setText(in_words(error)))
