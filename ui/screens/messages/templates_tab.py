"""Templates tab: pick a message kind, edit its text, see exactly what a patient gets.

The preview, encoding, part count and cost update on every keystroke from the pure
domain rules (no database call), so typing never waits. It renders a real recent event's
facts — the same values the outbox would use — so what the owner sees is what patients get.
An edit not yet saved is kept as a draft when another kind is picked (the list marks it),
never dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import in_words
from frontdesk.domain.templates import KIND_VALUES, PLACEHOLDERS
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.templates import Example, TemplateInfo, build_preview
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.row_model import ROW_ROLE


class TemplatesTab(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self._templates: dict[str, TemplateInfo] = {}
        self._price_micros = 40_000
        self._currency = "GBP"
        self._examples: dict[str, Example] = {}
        self._drafts: dict[str, str] = {}  # kind → unsaved text
        self._shown_kind: str | None = None

        row = QHBoxLayout(self)
        self.kinds = QListWidget(self)
        self.kinds.setObjectName("templateKinds")
        self.kinds.setAccessibleName("Message kinds")
        self.kinds.setFixedWidth(200)
        self.kinds.currentItemChanged.connect(lambda *_: self._show_kind())
        row.addWidget(self.kinds)

        editor_col = QVBoxLayout()
        self.help = QLabel("", self)
        self.help.setObjectName("templateHelp")
        self.help.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("templateEditor")
        self.editor.setAccessibleName("Template text")
        self.editor.textChanged.connect(self._update_preview)
        self.insert = QComboBox(self)
        self.insert.setObjectName("insertPlaceholder")
        self.insert.setAccessibleName("Insert a placeholder")
        self.insert.activated.connect(self._insert_placeholder)
        self.counter = QLabel("", self)
        self.counter.setObjectName("segmentCounter")
        self.cost = QLabel("", self)
        self.cost.setObjectName("costEstimate")
        self.error = QLabel("", self)
        self.error.setObjectName("templateError")
        self.error.setStyleSheet("color: #B42318;")
        self.error.setWordWrap(True)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save template", self)
        self.save_button.setObjectName("saveTemplateButton")
        self.save_button.clicked.connect(self._save)
        self.reset_button = QPushButton("Back to default", self)
        self.reset_button.setObjectName("resetTemplateButton")
        self.reset_button.clicked.connect(self._reset)
        self.saved = QLabel("", self)
        self.saved.setObjectName("templateSaved")
        buttons.addWidget(self.insert)
        buttons.addStretch(1)
        buttons.addWidget(self.saved)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        editor_col.addWidget(self.help)
        self.editor.setMinimumHeight(120)
        self.editor.setMaximumHeight(260)
        editor_col.addWidget(self.editor)
        editor_col.addLayout(buttons)
        editor_col.addWidget(self.counter)
        editor_col.addWidget(self.cost)
        editor_col.addWidget(self.error)
        editor_col.addStretch(1)
        row.addLayout(editor_col, 3)

        phone_col = QVBoxLayout()
        caption = QLabel("", self)
        caption.setObjectName("previewCaption")
        caption.setWordWrap(True)
        self.caption = caption
        bubble = QFrame(self)
        bubble.setObjectName("previewBubble")
        bubble.setStyleSheet("QFrame#previewBubble { background: #E9F5F6; border-radius: 14px; }")
        bubble_layout = QVBoxLayout(bubble)
        self.preview = QLabel("", bubble)
        self.preview.setObjectName("templatePreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        bubble_layout.addWidget(self.preview)
        phone_col.addWidget(caption)
        phone_col.addWidget(bubble)
        phone_col.addStretch(1)
        row.addLayout(phone_col, 2)

        self.owner_only = not actor.is_owner
        if self.owner_only:
            self.saved.setText("Only an owner can change templates.")
        events.settings_changed.connect(self.refresh)

    # -- data ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._tasks.read(self._load, self._loaded)

    def _load(self) -> tuple[list[TemplateInfo], dict[str, Any], dict[str, Example]]:
        templates = self._services.templates
        return templates.list(), self._services.clinic.get_settings(), templates.examples()

    def _loaded(
        self, result: tuple[list[TemplateInfo], dict[str, Any], dict[str, Example]]
    ) -> None:
        templates, settings, self._examples = result
        self._price_micros = int(settings.get("sms.segment_price_micros", 40_000))
        self._currency = settings.get("clinic.currency", "GBP")
        self._keep_draft()
        current = self.current_kind()
        self._templates = {t.kind: t for t in templates}
        self.kinds.blockSignals(True)
        self.kinds.clear()
        for info in templates:
            item = QListWidgetItem(self._label(info))
            item.setData(ROW_ROLE, info.kind)
            item.setToolTip(info.help)
            self.kinds.addItem(item)
        self.kinds.blockSignals(False)
        kinds = [t.kind for t in templates]
        self.kinds.setCurrentRow(kinds.index(current) if current in kinds else 0)

    def _label(self, info: TemplateInfo) -> str:
        mark = " ● unsaved" if info.kind in self._drafts else (" ✎" if info.customised else "")
        return info.label + mark

    def has_unsaved_edits(self) -> bool:
        self._keep_draft()
        return bool(self._drafts)

    def _keep_draft(self) -> None:
        """Remember the shown kind's text when it differs from what is saved."""
        kind = self._shown_kind
        if kind is None or kind not in self._templates:
            return
        text = self.editor.toPlainText()
        if text.strip() != self._templates[kind].body:
            self._drafts[kind] = text
        else:
            self._drafts.pop(kind, None)
        for row in range(self.kinds.count()):
            item = self.kinds.item(row)
            if item.data(ROW_ROLE) == kind:
                item.setText(self._label(self._templates[kind]))

    def current_kind(self) -> str | None:
        item = self.kinds.currentItem()
        return item.data(ROW_ROLE) if item else None

    def _show_kind(self) -> None:
        kind = self.current_kind()
        info = self._templates.get(kind or "")
        if info is None:
            return
        if kind != self._shown_kind:
            self._keep_draft()
        self._offer_placeholders(info.kind)
        marketing = " Marketing: needs SMS consent; the first one carries opt-out wording."
        self.help.setText(info.help + (marketing if info.marketing else ""))
        self.editor.setPlainText(self._drafts.get(info.kind, info.body))
        if kind != self._shown_kind:  # a refresh after saving keeps "Saved." on screen
            self.saved.setText("Only an owner can change templates." if self.owner_only else "")
        self._shown_kind = kind

    # -- live preview -------------------------------------------------------------------------
    def _update_preview(self) -> None:
        kind = self.current_kind()
        if kind is None:
            return
        body = self.editor.toPlainText()
        example = self._examples.get(kind)
        values = example.values if example else None
        result = build_preview(kind, body, self._price_micros, self._currency, values)
        self.caption.setText(example.caption if example else "An example with sample values")
        self.preview.setText(result.text)
        left = f" · {result.remaining} left in this part" if not result.error else ""
        self.counter.setText(result.summary + left)
        self.cost.setText(f"About {result.cost} per patient")
        self.error.setText(result.error or "")
        original = self._templates[kind].body if kind in self._templates else None
        self.save_button.setEnabled(
            not result.error and not self.owner_only and body.strip() != original
        )
        self.reset_button.setEnabled(
            not self.owner_only
            and bool(self._templates.get(kind) and self._templates[kind].customised)
        )

    def _offer_placeholders(self, kind: str) -> None:
        """Only the placeholders this kind's event has a value for."""
        self.insert.clear()
        self.insert.addItem("Insert a placeholder…", None)
        for name, meaning in PLACEHOLDERS.items():
            if name in KIND_VALUES[kind]:
                self.insert.addItem(f"{{{name}}} — {meaning}", name)

    def _insert_placeholder(self, index: int) -> None:
        name = self.insert.itemData(index)
        if name:
            self.editor.insertPlainText(f"{{{name}}}")
            self.editor.setFocus()
        self.insert.setCurrentIndex(0)

    # -- saving -------------------------------------------------------------------------------
    def _save(self) -> None:
        kind, body = self.current_kind(), self.editor.toPlainText()
        if kind is None:
            return
        self._tasks.write(
            lambda: self._services.templates.save(self._actor, kind, body),
            self._saved,
            lambda error: self.error.setText(in_words(error)),
        )

    def _reset(self) -> None:
        kind = self.current_kind()
        if kind is None:
            return
        self._tasks.write(lambda: self._services.templates.reset(self._actor, kind), self._saved)

    def _saved(self, info: TemplateInfo) -> None:
        self._templates[info.kind] = info
        self._drafts.pop(info.kind, None)
        self.saved.setText("Saved." if info.customised else "Back to the default text.")
        self.refresh()
