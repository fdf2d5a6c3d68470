"""“Referred by?”: the same search dropdown as the top bar, the chosen person as a chip, and
the self-referral explanation inline in red under the field (with an owner's override)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.records.dto import LookupResult, SearchHit
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.search import SearchBar
from frontdesk.ui.tasks import TaskRunner


class ReferrerField(QWidget):
    changed = Signal()

    def __init__(
        self,
        lookup: Callable[[str], LookupResult],
        tasks: TaskRunner,
        overlay_parent: QWidget,
        *,
        name: str,
        placeholder: str,
        owner: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._owner = owner
        self.hit: SearchHit | None = None
        self.search = SearchBar(lookup, tasks, overlay_parent, self, name=name)
        self.search.box.setMinimumWidth(0)
        self.search.box.setPlaceholderText(placeholder)
        self.search.box.setAccessibleName("Referred by")
        self.search.hit_chosen.connect(self.choose)
        self.search.box.textEdited.connect(lambda _t: self._typed())

        self.chip = QFrame(self)
        self.chip.setObjectName(f"{name}Chip")
        chip_row = QHBoxLayout(self.chip)
        chip_row.setContentsMargins(10, 4, 4, 4)
        self.chip_label = QLabel(self.chip)
        self.chip_label.setObjectName(f"{name}Chosen")
        self.chip_label.setTextFormat(Qt.TextFormat.PlainText)
        clear = QToolButton(self.chip)
        clear.setObjectName(f"{name}Clear")
        clear.setIcon(qta.icon("mdi6.close"))
        clear.setToolTip("Choose someone else")
        clear.setAccessibleName("Choose someone else")
        clear.clicked.connect(self.clear_choice)
        chip_row.addWidget(self.chip_label, 1)
        chip_row.addWidget(clear)
        self.chip.hide()

        self.error = QLabel(self)
        self.error.setObjectName(f"{name}Error")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        self.override = QLineEdit(self)
        self.override.setObjectName(f"{name}OverrideReason")
        self.override.setPlaceholderText("Owner: why it is fine (e.g. child uses a parent's phone)")
        self.override.setAccessibleName("Owner's reason to allow it")
        self.override.setMaxLength(500)
        self.override.hide()
        # A receptionist's way through: an owner types their name and PIN at this desk, for
        # this one save (the audit names both people).
        self.owner_row = QWidget(self)
        owner_layout = QHBoxLayout(self.owner_row)
        owner_layout.setContentsMargins(0, 0, 0, 0)
        self.owner_name = QLineEdit(self.owner_row)
        self.owner_name.setObjectName(f"{name}OwnerName")
        self.owner_name.setPlaceholderText("Owner's name")
        self.owner_name.setAccessibleName("Owner's name")
        self.owner_pin = QLineEdit(self.owner_row)
        self.owner_pin.setObjectName(f"{name}OwnerPin")
        self.owner_pin.setPlaceholderText("Owner's PIN")
        self.owner_pin.setAccessibleName("Owner's PIN")
        self.owner_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.owner_pin.setMaxLength(8)
        owner_layout.addWidget(self.owner_name, 2)
        owner_layout.addWidget(self.owner_pin, 1)
        self.owner_row.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.chip)
        layout.addWidget(self.error)
        layout.addWidget(self.override)
        layout.addWidget(self.owner_row)

    # -- what the form reads ----------------------------------------------------------------
    @property
    def referrer_id(self) -> int | None:
        return self.hit.patient.id if self.hit else None

    @property
    def typed(self) -> str:
        """What was typed without picking from the list (a code said aloud, say)."""
        return "" if self.hit else self.search.box.text().strip()

    @property
    def override_reason(self) -> str | None:
        text = self.override.text().strip()
        return text if self.override.isVisible() and text else None

    def take_owner_credentials(self) -> tuple[str, str] | None:
        """The owner's name and PIN typed for this save; the PIN field is cleared at once."""
        if not self.owner_row.isVisible():
            return None
        name, pin = self.owner_name.text().strip(), self.owner_pin.text()
        self.owner_pin.clear()
        return (name, pin) if name and pin else None

    def is_empty(self) -> bool:
        return self.hit is None and not self.typed

    # -- what the form shows ----------------------------------------------------------------
    def choose(self, hit: SearchHit) -> None:
        self.hit = hit
        parts = [hit.patient.name, hit.patient.code or "", hit.masked_phone]
        self.chip_label.setText("  ·  ".join(p for p in parts if p))
        self.search.box.hide()
        self.chip.show()
        self.show_error(None)
        self.changed.emit()

    def clear_choice(self) -> None:
        self.hit = None
        self.chip.hide()
        self.search.box.show()
        self.search.box.clear()
        self.search.box.setFocus()
        self.show_error(None)
        self.changed.emit()

    def reset(self) -> None:
        self.clear_choice()
        self.override.clear()
        self.override.hide()
        self.owner_name.clear()
        self.owner_pin.clear()
        self.owner_row.hide()

    def show_error(self, message: str | None, *, self_referral: bool = False) -> None:
        """Red words under the field; for a self-referral an owner also gets a reason box."""
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        can_override = bool(message) and self_referral
        if can_override and message:
            reason = message.split(" Only an owner")[0]
            if self._owner:
                words = "As the owner, you can let it through: write why below and save again."
            else:
                words = (
                    "Only an owner can let it through: ask them to type their name, PIN "
                    "and why below, then save again."
                )
            self.error.setText(f"{reason} {words}")
        self.override.setVisible(can_override)
        self.owner_row.setVisible(can_override and not self._owner)
        if can_override:
            self.override.setFocus()

    def show_owner_refusal(self, message: str) -> None:
        """The owner who stepped in was not recognised: say so, keep the reason and name."""
        self.error.setText(message)
        self.error.show()
        self.owner_pin.setFocus()

    def _typed(self) -> None:
        if self.error.isVisible() and not self.override.isVisible():
            self.show_error(None)
        self.changed.emit()
