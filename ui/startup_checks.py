"""At start and while the app runs: check the database, then keep a daily backup.

Both run off the GUI thread (a quick check of a large file takes seconds). A damaged
database is never backed up over good backups; the desk is told at once, in words, with
the newest backup to restore.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.services.dataio.backups import BackupService, IntegrityReport
from frontdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
BACKUP_EVERY_MS = 3 * 60 * 60 * 1000  # look every 3 h; a backup is taken when one is due


class StartupChecks(QObject):
    damaged = Signal(object)  # IntegrityReport
    backed_up = Signal(object)  # BackupInfo

    def __init__(
        self,
        backups: BackupService,
        tasks: TaskRunner,
        parent: QWidget,
        *,
        show_dialogs: bool = True,
    ) -> None:
        super().__init__(parent)
        self._backups = backups
        self._tasks = tasks
        self._parent = parent
        self._show_dialogs = show_dialogs
        self.report: IntegrityReport | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(BACKUP_EVERY_MS)
        self._timer.timeout.connect(self._backup_if_due)

    def start(self) -> None:
        self._tasks.read(self._backups.check_integrity, self._checked, self._failed)

    def _checked(self, report: IntegrityReport) -> None:
        self.report = report
        if not report.ok:
            log.error("database integrity check failed: %s", report.detail)
            self.damaged.emit(report)
            if self._show_dialogs:
                box = QMessageBox(
                    QMessageBox.Icon.Critical,
                    "The database needs attention",
                    report.message,
                    QMessageBox.StandardButton.Ok,
                    self._parent,
                )
                box.setObjectName("integrityWarning")
                box.open()
            return
        self._backup_if_due()
        self._timer.start()

    def _backup_if_due(self) -> None:
        self._tasks.write(self._backups.auto_backup, self._done, self._failed)

    def _done(self, info: object) -> None:
        if info is not None:
            self.backed_up.emit(info)

    def _failed(self, error: BaseException) -> None:
        # A failed automatic backup must not interrupt the desk; it is logged for support.
        log.warning("automatic backup or check failed: %s", error)
