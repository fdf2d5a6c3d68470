"""Outbox tab: every text with its state, next attempt and problem in words."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_time import when_text
from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.messages import OutboxRow
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.messages.models import ROW_ROLE, SORT_ROLE, OutboxModel
from frontdesk.ui.sync_worker import SyncWorker
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.detail_splitter import sorted_table, table_with_detail

FILTERS = (
    ("All messages", None),
    ("Waiting to send", "waiting"),
    ("Sent", "sent"),
    ("Delivered", "delivered"),
    ("Not delivered", "undelivered"),
    ("Failed", "failed"),
    ("Cancelled", "cancelled"),
)


class OutboxTab(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        sync: SyncWorker | None,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self._timezone = timezone  # the clinic's: every time shown is on its wall clock
        self._sync = sync
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setObjectName("outboxFilter")
        self.filter.setAccessibleName("Show messages")
        for label, value in FILTERS:
            self.filter.addItem(label, value)
        self.filter.currentIndexChanged.connect(self.refresh)
        self.sync_status = QLabel("", self)
        self.sync_status.setObjectName("syncStatus")
        self.sync_button = QPushButton("Sync now", self)
        self.sync_button.setObjectName("syncNowButton")
        self.sync_button.setToolTip("Fetch replies, send waiting texts and refresh delivery")
        self.sync_button.clicked.connect(self._sync_now)
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.sync_status)
        top.addWidget(self.sync_button)
        layout.addLayout(top)

        self.model = OutboxModel(timezone, self)
        self.proxy, self.table = sorted_table(
            self, self.model, "outboxTable", "Outbox", (4, SORT_ROLE)
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())

        splitter, self.detail, (self.cancel_button, self.retry_button) = table_with_detail(
            self,
            self.table,
            "outboxDetail",
            "Select a message to read it.",
            (
                ("Cancel message", "cancelMessageButton", self._cancel, ""),
                ("Send again", "retryMessageButton", self._retry, ""),
            ),
        )
        layout.addWidget(splitter, 1)
        self._show_selected()

        events.messages_changed.connect(self.refresh)
        if sync is not None:
            sync.started.connect(lambda: self._sync_state("Syncing…", busy=True))
            sync.progress.connect(lambda n: self._sync_state(f"Syncing… {n:,} handled", True))
            sync.finished.connect(lambda report: self._sync_state(report.summary(), False))
            sync.failed.connect(lambda message: self._sync_state(message, False))

    # -- data ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        status = self.filter.currentData()
        self._tasks.read(lambda: self._services.messages.outbox(status), self._loaded)

    def _loaded(self, rows: list[OutboxRow]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        if selected is not None:
            for row, item in enumerate(rows):
                if item.id == selected.id:
                    self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        self._show_selected()

    def selected(self) -> OutboxRow | None:
        index = self.table.currentIndex()
        return self.proxy.data(index, ROW_ROLE) if index.isValid() else None

    def _show_selected(self) -> None:
        row = self.selected()
        self.cancel_button.setEnabled(bool(row and row.status == "pending"))
        self.retry_button.setEnabled(bool(row and row.status == "failed"))
        if row is None:
            self.detail.setText("Select a message to read it.")
            return
        lines = [f"To {row.patient_name} ({row.to}) · {row.kind_label}", "", row.body, ""]
        lines.append(
            f"{row.state} · {row.segments} part(s), {row.encoding} · tries: {row.attempts}"
        )
        if row.next_attempt_at:
            lines.append(f"Next attempt {when_text(row.next_attempt_at, self._timezone)}")
        if row.sent_at:
            lines.append(f"Sent {when_text(row.sent_at, self._timezone)}")
        if row.error:
            lines += ["", row.error]
        self.detail.setText("\n".join(lines))

    # -- actions ------------------------------------------------------------------------------
    def _cancel(self) -> None:
        row = self.selected()
        if row is not None:
            self._write(lambda: self._services.messages.cancel(self._actor, row.id))

    def _retry(self) -> None:
        row = self.selected()
        if row is not None:
            self._write(lambda: self._services.messages.retry(self._actor, row.id))

    def _write(self, fn: object) -> None:
        self._tasks.write(
            fn,  # type: ignore[arg-type]
            lambda _r: self._events.messages_changed.emit(),
            lambda error: self.detail.setText(in_words(error)),
        )

    def _sync_now(self) -> None:
        if self._sync is not None and not self._sync.sync_now():
            self._sync_state("A sync is already running…", busy=True)

    def _sync_state(self, text: str, busy: bool) -> None:
        self.sync_status.setText(text)
        self.sync_button.setEnabled(not busy)
