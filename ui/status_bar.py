"""The status bar tells the truth about the outside world: SMS set-up, outbox, last sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from frontdesk import __version__
from frontdesk.domain.clinic_time import time_text
from frontdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from frontdesk.services.records.dto import DeskStatus


def describe(status: DeskStatus, online: bool) -> str:
    parts = ["● Online" if online else "○ Offline"]
    if not status.sms_configured:
        parts.append("SMS not set up — messages wait in the outbox")
    waiting = status.waiting_messages
    parts.append(f"{waiting} message{'s' if waiting != 1 else ''} waiting")
    if status.failed_messages:
        parts.append(f"{status.failed_messages} failed")
    if status.last_sync:
        parts.append(f"last sync {time_text(status.last_sync, status.timezone)}")
    return " · ".join(parts)


class DeskStatusBar(QStatusBar):
    loaded = Signal(object)  # the DeskStatus just shown

    def __init__(
        self,
        load: Callable[[], DeskStatus],
        tasks: TaskRunner,
        database_kind: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self._load = load
        self._tasks = tasks
        self.online = False
        self.summary = QLabel("Loading…", self)
        self.summary.setObjectName("deskStatus")
        self.addWidget(self.summary, 1)
        self.version = QLabel(self)
        self.version.setObjectName("versionLabel")
        self.set_database_kind(database_kind)
        self.addPermanentWidget(self.version)
        self.last: DeskStatus | None = None

    def set_database_kind(self, database_kind: str) -> None:
        self.version.setText(f"v{__version__} · {database_kind}")

    def refresh(self) -> None:
        self._tasks.read(self._load, self._show)

    def set_online(self, online: bool) -> None:
        self.online = online
        if self.last:
            self._show(self.last)

    def _show(self, status: DeskStatus) -> None:
        self.last = status
        self.summary.setText(describe(status, self.online))
        self.loaded.emit(status)
