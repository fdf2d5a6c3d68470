"""Late attach on the card: “my friend forgot to give my code”. A referrer, a reason, done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import SelfReferralError, in_words
from frontdesk.services.records.dto import LookupResult
from frontdesk.ui.screens.checkin.referrer_field import ReferrerField
from frontdesk.ui.tasks import TaskRunner


class LateAttachPanel(QFrame):
    attach = Signal(object, str, str, object)  # referrer id, typed, reason, override reason
    closed = Signal()

    def __init__(
        self,
        lookup: Callable[[str], LookupResult],
        tasks: TaskRunner,
        overlay_parent: QWidget,
        owner: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lateAttachPanel")
        self.title = QLabel("Attach the friend who referred them", self)
        self.title.setObjectName("panelSubtitle")
        self.referrer = ReferrerField(
            lookup,
            tasks,
            overlay_parent,
            name="attachReferrer",
            placeholder="Referrer's code, phone or name",
            owner=owner,
            parent=self,
        )
        self.reason = QLineEdit(self)
        self.reason.setObjectName("attachReasonField")
        self.reason.setPlaceholderText("Why now? e.g. forgot to give the code at the first visit")
        self.reason.setAccessibleName("Reason")
        self.reason.setMaxLength(520)
        self.reason.returnPressed.connect(self._submit)
        self.error = QLabel(self)
        self.error.setObjectName("attachError")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        self.button = QPushButton("Attach referrer", self)
        self.button.setObjectName("attachButton")
        self.button.clicked.connect(self._submit)
        cancel = QPushButton("Cancel", self)
        cancel.setObjectName("attachCancelButton")
        cancel.clicked.connect(self.closed.emit)
        form = QFormLayout()
        form.addRow("Referred by", self.referrer)
        form.addRow("Reason", self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Escape"), self, activated=self.closed.emit).setContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )

    def open_for(self, name: str) -> None:
        self.title.setText(f"Attach the friend who referred {name}")
        self.referrer.reset()
        self.reason.clear()
        self.error.hide()
        self.button.setEnabled(True)
        self.show()
        self.referrer.search.box.setFocus()

    def _submit(self) -> None:
        if self.referrer.is_empty():
            self.referrer.show_error("Who referred them? Type their code, phone or name.")
            return
        self.error.hide()
        self.button.setEnabled(False)
        self.attach.emit(
            self.referrer.referrer_id,
            self.referrer.typed,
            self.reason.text(),
            self.referrer.override_reason,
        )

    def show_failure(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        message = in_words(error)
        if isinstance(error, SelfReferralError):
            self.referrer.show_error(message, self_referral=True)
            return
        self.error.setText(message)
        self.error.show()
