"""Settings → Data and backups: the backup list, back up now, restore; import and exports.

Every action runs through the task runner; owner-only actions are visibly marked and the
service refuses them anyway for anyone else.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.dataio.backups import BackupInfo, IntegrityReport, RestoreResult
from frontdesk.services.dataio.exports import ExportResult
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.screens.settings.form import SettingsForm
from frontdesk.ui.screens.settings.import_models import BackupsModel
from frontdesk.ui.screens.settings.import_wizard import ImportWizard
from frontdesk.ui.tasks import TaskRunner

OWNER_ONLY = "Only an owner can do this."


class DataSettingsPage(QWidget):
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
        self.services, self.tasks, self.events, self.actor = services, tasks, events, actor
        self.timezone = timezone
        self.wizard: ImportWizard | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        title = QLabel("Data and backups", self)
        title.setObjectName("screenTitle")
        layout.addWidget(title)
        self.status = QLabel("", self)
        self.status.setObjectName("dataStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(self._backups_box())
        layout.addWidget(self._data_box())
        layout.addStretch(1)
        self.refresh()
        self.tasks.read(self.services.backups.check_integrity, self._checked)

    # -- backups ----------------------------------------------------------------------------
    def _backups_box(self) -> QGroupBox:
        box = QGroupBox("Backups", self)
        layout = QVBoxLayout(box)
        self.health = QLabel("Checking the database…", box)
        self.health.setObjectName("backupState")
        self.health.setWordWrap(True)
        layout.addWidget(self.health)
        # Anyone may see the number; the service refuses a change by anyone but an owner.
        self.form = SettingsForm(box)
        self.keep = self.form.number(
            "backup.keep",
            "Backups to keep",
            "Frontdesk copies the database once a day while it is open, and whenever you "
            "press Back up now. Older copies beyond this number are deleted; copies made "
            "before an update or a restore are kept separately.",
            1,
            365,
            name="backupKeep",
        )
        self.keep.editingFinished.connect(self._save_keep)
        layout.addLayout(self.form.layout)
        self.model = BackupsModel(self.timezone, self)
        self.table = QTableView(box)
        self.table.setObjectName("backupsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(180)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.back_up_button = _button("mdi6.content-save-outline", "Back up now", "backUpNow", box)
        self.back_up_button.clicked.connect(lambda: self.back_up(None))
        self.copy_button = _button(
            "mdi6.usb-flash-drive-outline", "Save a copy…", "saveBackupCopy", box
        )
        self.copy_button.clicked.connect(self._choose_copy)
        self.restore_button = _button(
            "mdi6.backup-restore", "Restore selected…", "restoreSelected", box
        )
        self.restore_button.clicked.connect(self._restore_selected)
        self.restore_file_button = _button(
            "mdi6.file-restore-outline", "Restore from a file…", "restoreFromFile", box
        )
        self.restore_file_button.clicked.connect(self._restore_file)
        folder = _button("mdi6.folder-open-outline", "Open folder", "openBackupFolder", box)
        folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.backups.folder)))
        )
        for button in (
            self.back_up_button,
            self.copy_button,
            self.restore_button,
            self.restore_file_button,
            folder,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        owner = self.actor.is_owner
        available = self.services.backups.available
        for widget in (
            self.back_up_button,
            self.copy_button,
            self.restore_button,
            self.restore_file_button,
            self.keep,
        ):
            widget.setEnabled(owner and available)
            if not owner:
                widget.setToolTip(OWNER_ONLY)
        return box

    def refresh(self) -> None:
        self.tasks.read(
            lambda: (self.services.backups.list(), self.services.backups.keep()),
            self._listed,
        )

    def _listed(self, listed: tuple[tuple[BackupInfo, ...], int]) -> None:
        backups, keep = listed
        self.model.set_backups(backups)
        self.form.set_values({"backup.keep": str(keep)})

    def _checked(self, report: IntegrityReport) -> None:
        if not self.services.backups.available:
            self.health.setText(
                "This desk uses a shared PostgreSQL server: back it up on the server "
                "(for example with pg_dump)."
            )
        elif report.ok:
            self.health.setText(
                f"✓ The database is healthy. Backups are kept in {self.services.backups.folder}."
            )
        else:
            self.health.setText("⚠ " + report.message)
            self.health.setStyleSheet("color: #B42318;")

    def _save_keep(self) -> None:
        value = self.form.values()["backup.keep"]
        self.form.clear_errors()
        self.tasks.write(
            lambda: self.services.clinic.save_settings(self.actor, {"backup.keep": str(value)}),
            lambda _saved: self.say(f"Frontdesk keeps the newest {value} backups."),
            self._keep_failed,
        )

    def _keep_failed(self, error: BaseException) -> None:
        self.form.show_error("backup.keep", in_words(error, "That number could not be saved."))
        self._failed(error)

    def back_up(self, out: Path | None) -> None:
        self.say("Backing up…")
        self.tasks.write(
            lambda: self.services.backups.back_up(self.actor, out),
            self._backed_up,
            self._failed,
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self.say(f"Backed up to {info.path}.")
        self.refresh()

    def _choose_copy(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save a copy of the database", str(Path.home() / "frontdesk-backup.sqlite3"),
            "Frontdesk backups (*.sqlite3)",
        )  # fmt: skip
        if path:
            self.back_up(Path(path))

    def _restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.say("Choose a backup in the list first.")
            return
        backup = self.model.backups[rows[0].row()]
        self.restore(Path(backup.path), self.model.index(rows[0].row(), 0).data())

    def _restore_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a backup",
            str(self.services.backups.folder),
            "Frontdesk backups (*.sqlite3)",
        )
        if path:
            self.restore(Path(path), Path(path).name)

    def restore(self, path: Path, label: str) -> None:
        answer = QMessageBox.question(
            self,
            "Restore this backup?",
            f"Replace the database with the backup from {label}?\n\nEverything recorded "
            "since then will be gone from the desk. The database as it is now is kept as a "
            "copy in the backup folder, so this can be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.say("Restoring…")
        self.tasks.write(
            lambda: self.services.backups.restore(self.actor, path), self._restored, self._failed
        )

    def _restored(self, result: RestoreResult) -> None:
        kept = (
            f" The database as it was is kept in {result.safety_copy}."
            if result.safety_copy
            else ""
        )
        self.say(f"Restored the backup ({result.patients or 0:,} patients).{kept}")
        self.refresh()

    # -- import and export ------------------------------------------------------------------
    def _data_box(self) -> QGroupBox:
        box = QGroupBox("Import and export", self)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.import_button = _button(
            "mdi6.file-import-outline", "Import a patient list…", "importPatients", box
        )
        self.import_button.clicked.connect(self.open_import)
        row.addWidget(self.import_button)
        self.export_buttons: dict[str, QPushButton] = {}
        for kind, label in (
            ("patients", "Export patients (mail merge)…"),
            ("referrals", "Export referrals…"),
            ("ledger", "Export reward ledger…"),
        ):
            button = _button("mdi6.file-export-outline", label, f"export{kind.title()}", box)
            button.clicked.connect(lambda _c=False, k=kind: self._choose_export(k))
            self.export_buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(
            _help(
                "Exports are CSV files that open in Excel, with each patient's code and "
                "personal link for a mail merge. Cells are written so a spreadsheet never "
                "runs them as formulas.",
                box,
            )
        )
        for button in (self.import_button, *self.export_buttons.values()):
            button.setEnabled(self.actor.is_owner)
            if not self.actor.is_owner:
                button.setToolTip(OWNER_ONLY)
        return box

    def open_import(self) -> ImportWizard:
        self.wizard = ImportWizard(self.services, self.tasks, self.events, self.actor, self)
        self.wizard.open()
        return self.wizard

    def _choose_export(self, kind: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export", str(Path.home() / f"frontdesk-{kind}.csv"), "CSV files (*.csv)"
        )
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> None:
        self.say("Exporting…")
        self.tasks.read(
            lambda: self.services.exports.export(self.actor, kind, path),
            self._exported,
            self._failed,
        )

    def _exported(self, result: ExportResult) -> None:
        self.say(f"Exported {result.rows:,} rows to {result.path}.")

    # -- messages ---------------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _failed(self, error: BaseException) -> None:
        self.status.setStyleSheet("color: #B42318;")
        self.status.setText(in_words(error, "That did not work; nothing was changed."))


def _button(icon: str, text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(qta.icon(icon, color="#344054"), text, parent)
    button.setObjectName(name)
    return button


def _help(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(dark);")
    return label
