"""Settings: a page per topic (clinic, rewards, SMS, staff, backups), help under every field.

Other features add their own page with ``add_page``; the Clinic page edits the clinic's
identity and the general settings declared in ``frontdesk.settings``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_settings import CLINIC_HELP, SETTINGS, label_for
from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.clinic.service import SettingsSaved
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.settings.form import SaveBar, SettingsForm
from frontdesk.ui.tasks import TaskRunner


class SettingsScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.pages = QListWidget(self)
        self.pages.setObjectName("settingsPages")
        self.pages.setAccessibleName("Settings pages")
        self.pages.setFixedWidth(180)
        self.stack = QStackedWidget(self)
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        layout.addWidget(self.pages)
        layout.addWidget(self.stack, 1)

    def add_page(self, title: str, page: QWidget) -> None:
        self.pages.addItem(title)
        self.stack.addWidget(page)
        if self.pages.currentRow() < 0:
            self.pages.setCurrentRow(0)


class ClinicSettingsPage(QScrollArea):
    """Every general setting as a field with its help; one Save writes all changes or none."""

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clinicSettingsPage")
        self.setWidgetResizable(True)
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        body = QWidget(self)
        outer = QVBoxLayout(body)
        title = QLabel("Clinic", body)
        title.setObjectName("screenTitle")
        outer.addWidget(title)
        self.form = SettingsForm(body, editable=actor.is_owner)
        helps = {**CLINIC_HELP, **{key: spec.help for key, spec in SETTINGS.items()}}
        for key, help_text in helps.items():
            self.form.line(key, label_for(key), help_text, name=f"setting:{key}")
        outer.addLayout(self.form.layout)
        bar = SaveBar(
            body,
            "Save changes",
            name="saveSettings",
            message_name="settingsMessage",
            owner=actor.is_owner,
            what="settings",
        )
        self.message, self.save = bar.message, bar.button
        self.save.clicked.connect(self._save)
        outer.addLayout(bar.layout)
        outer.addStretch(1)
        self.setWidget(body)
        self._loaded: dict[str, str] = {}
        events.settings_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self._tasks.read(self._services.clinic.get_settings, self._show)

    def _show(self, values: dict[str, Any]) -> None:
        self._loaded = {key: _as_text(value) for key, value in values.items()}
        self.form.set_values(self._loaded)

    def changes(self) -> dict[str, str]:
        return self.form.changes(self._loaded)

    def _save(self) -> None:
        changes = self.changes()
        if not changes:
            self._say("Nothing to save.", ok=True)
            return
        save: Callable[[], SettingsSaved] = lambda: self._services.clinic.save_settings(  # noqa: E731
            self._actor, changes
        )
        self.save.setEnabled(False)
        self.form.clear_errors()
        self._tasks.write(save, self._saved, self._failed)

    def _saved(self, saved: SettingsSaved) -> None:
        self.save.setEnabled(True)
        count = len(saved.values)
        self._say(f"Saved {count} change{'s' if count != 1 else ''}.", ok=True)

    def _failed(self, error: BaseException) -> None:
        # What was typed stays in the fields so it can be corrected.
        self.save.setEnabled(True)
        text = in_words(error, "The settings could not be saved.")
        key = getattr(error, "key", None)
        if isinstance(key, str) and self.form.show_error(key, text):
            text = f"{label_for(key)}: {text} Nothing was saved."
        self._say(text, ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setProperty("tone", "ok" if ok else "error")
        self.message.setStyleSheet("color: #067647;" if ok else "color: #B42318;")
        self.message.setText(text)


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)
