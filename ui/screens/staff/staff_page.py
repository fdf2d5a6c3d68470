"""Settings → Staff: add, rename, change role, reset PIN, disable (never delete).

Owners manage everyone; a receptionist sees the list and can change only their own PIN.
The service refuses the same things (it is the protection); this page mirrors it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.staff.dto import StaffMember
from frontdesk.ui.screens.staff.models import StaffModel
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.tables import make_table

OWNER_ONLY = "Only an owner can manage staff accounts."
NO_ACCOUNTS = (
    "No staff accounts yet: anyone at this desk acts as the owner. Add the owner's account "
    "first (with a PIN); from then on the desk asks who is there."
)


def _pin_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(8)
    field.setPlaceholderText("4 to 8 digits")
    field.setAccessibleName("PIN")
    return field


def _role_box(parent: QWidget, name: str) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    box.addItems(["receptionist", "owner"])
    box.setAccessibleName("Role")
    return box


class StaffPage(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        actor: Actor,
        parent: QWidget | None = None,
        on_first_account: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffPage")
        self._staff, self._tasks, self._actor = services.staff, tasks, actor
        self._on_first_account = on_first_account
        outer = QVBoxLayout(self)
        title = QLabel("Staff", self)
        title.setObjectName("screenTitle")
        outer.addWidget(title)
        self.notice = QLabel(NO_ACCOUNTS, self)
        self.notice.setObjectName("staffNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        outer.addWidget(self.notice)
        self.model = StaffModel(self)
        self.table = make_table(self, "staffTable", "Staff accounts")
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        outer.addWidget(self.table, 1)
        outer.addWidget(self._selected_box())
        outer.addWidget(self._add_box())
        self.message = QLabel("", self)
        self.message.setObjectName("staffMessage")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        owner = actor.is_owner
        for widget in (self.add_button, self.role_button, self.rename_button, self.active_button):
            widget.setEnabled(owner)
            if not owner:
                widget.setToolTip(OWNER_ONLY)
        self.reload()

    def _add_box(self) -> QGroupBox:
        box = QGroupBox("Add someone", self)
        form = QFormLayout(box)
        self.new_name = QLineEdit(box)
        self.new_name.setObjectName("newStaffName")
        self.new_name.setAccessibleName("Name")
        self.new_role = _role_box(box, "newStaffRole")
        self.new_pin = _pin_field(box, "newStaffPin")
        self.add_button = QPushButton("Add", box)
        self.add_button.setObjectName("addStaffButton")
        self.add_button.clicked.connect(self._add)
        form.addRow("Name", self.new_name)
        form.addRow("Role", self.new_role)
        form.addRow("PIN", self.new_pin)
        form.addRow("", self.add_button)
        return box

    def _selected_box(self) -> QGroupBox:
        box = QGroupBox("The person chosen above", self)
        grid = QFormLayout(box)
        self.rename_field = QLineEdit(box)
        self.rename_field.setObjectName("renameStaffField")
        self.rename_field.setAccessibleName("New name")
        self.rename_button = QPushButton("Rename", box)
        self.rename_button.setObjectName("renameStaffButton")
        self.rename_button.clicked.connect(self._rename)
        self.role_box = _role_box(box, "staffRoleField")
        self.role_button = QPushButton("Change role", box)
        self.role_button.setObjectName("changeRoleButton")
        self.role_button.clicked.connect(self._change_role)
        self.pin_field = _pin_field(box, "resetPinField")
        self.pin_button = QPushButton("Set PIN", box)
        self.pin_button.setObjectName("resetPinButton")
        self.pin_button.clicked.connect(self._set_pin)
        self.active_button = QPushButton("Disable", box)
        self.active_button.setObjectName("disableStaffButton")
        self.active_button.setToolTip("Disabled people cannot sign in; the audit keeps names.")
        self.active_button.clicked.connect(self._toggle_active)
        for label, field, button in (
            ("Name", self.rename_field, self.rename_button),
            ("Role", self.role_box, self.role_button),
            ("New PIN", self.pin_field, self.pin_button),
        ):
            row = QHBoxLayout()
            row.addWidget(field, 1)
            row.addWidget(button)
            grid.addRow(label, row)
        grid.addRow("", self.active_button)
        return box

    # -- reading ----------------------------------------------------------------------------
    def reload(self) -> None:
        self._tasks.read(self._staff.list, self._show)

    def _show(self, members: tuple[StaffMember, ...]) -> None:
        chosen = self.chosen()
        self.model.set_rows(members)
        self.notice.setVisible(not any(m.active for m in members))
        names = [m.name for m in members]
        if chosen is not None and chosen.name in names:
            self.table.selectRow(names.index(chosen.name))
        elif members:
            self.table.selectRow(0)
        self._selected_changed()

    def chosen(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected_changed(self) -> None:
        member = self.chosen()
        if member is None:
            self.pin_button.setEnabled(False)
            return
        self.rename_field.setText(member.name)
        self.role_box.setCurrentText(member.role)
        self.active_button.setText("Disable" if member.active else "Enable")
        own = member.id == self._actor.staff_id
        self.pin_button.setEnabled(self._actor.is_owner or own)
        self.pin_button.setToolTip("" if self.pin_button.isEnabled() else OWNER_ONLY)

    # -- changes (on the write thread) ------------------------------------------------------
    def _run(self, change: Callable[[], Any], done_words: Callable[[Any], str]) -> None:
        first = self.model.rowCount() == 0 or not any(m.active for m in self.model.rows())

        def done(result: Any) -> None:
            self.message.setText(done_words(result))
            self.reload()
            if first and self._on_first_account is not None:
                self._on_first_account()

        self.message.setText("Saving…")
        self._tasks.write(change, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        words = error.message if isinstance(error, FrontdeskError) else "That did not work."
        self.message.setText(words)

    def _add(self) -> None:
        name, role, pin = self.new_name.text(), self.new_role.currentText(), self.new_pin.text()
        self.new_pin.clear()

        def added(actor: Actor) -> str:
            self.new_name.clear()
            return f"Added {actor.name} ({actor.role})."

        self._run(lambda: self._staff.add(self._actor, name, role, pin), added)

    def _with_chosen(self, change: Callable[[StaffMember], Any], words: str) -> None:
        member = self.chosen()
        if member is None:
            self.message.setText("Choose someone in the list first.")
            return
        self._run(lambda: change(member), lambda result: words.format(name=result.name))

    def _rename(self) -> None:
        new = self.rename_field.text()
        self._with_chosen(
            lambda m: self._staff.rename(self._actor, m.name, new), "Renamed to {name}."
        )

    def _change_role(self) -> None:
        role = self.role_box.currentText()
        self._with_chosen(
            lambda m: self._staff.set_role(self._actor, m.name, role), f"{{name}} is now {role}."
        )

    def _set_pin(self) -> None:
        pin = self.pin_field.text()
        self.pin_field.clear()
        self._with_chosen(
            lambda m: self._staff.set_pin(self._actor, m.name, pin), "{name}'s PIN is changed."
        )

    def _toggle_active(self) -> None:
        member = self.chosen()
        if member is not None and member.active:
            self._with_chosen(
                lambda m: self._staff.disable(self._actor, m.name), "{name} can no longer sign in."
            )
        else:
            self._with_chosen(
                lambda m: self._staff.enable(self._actor, m.name), "{name} can sign in again."
            )
