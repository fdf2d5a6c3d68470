"""The sign-in screen: a list of names and a PIN pad, keyboard first.

Type the first letters of a name (the list jumps to it), Tab, the PIN, Enter. The PIN is
checked on the write thread (a slow hash, and a failed try is recorded); the answer for a
wrong PIN and for a name that does not exist is the same.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.records.context import Actor
from frontdesk.services.staff.dto import StaffMember
from frontdesk.services.staff.service import StaffService
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.row_model import ROW_ROLE


class SignInScreen(QWidget):
    signed_in = Signal(object)  # the Actor who signed in

    def __init__(self, staff: StaffService, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self._staff, self._tasks = staff, tasks
        self._busy = False
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(1)
        self.title = QLabel("Who is at the desk?", self)
        self.title.setObjectName("screenTitle")
        column.addWidget(self.title)
        self.names = QListWidget(self)
        self.names.setObjectName("signInNames")
        self.names.setAccessibleName("Staff names")
        self.names.setMinimumSize(320, 180)
        column.addWidget(self.names)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("pinField")
        self.pin.setAccessibleName("PIN")
        self.pin.setPlaceholderText("PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(r"\d{0,8}", self.pin))
        self.pin.returnPressed.connect(self.submit)
        column.addWidget(self.pin)
        column.addLayout(self._pad())
        self.message = QLabel("", self)
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sign-in message")
        column.addWidget(self.message)
        column.addStretch(2)
        outer.addLayout(column)
        outer.addStretch(1)
        self.names.itemActivated.connect(lambda _item: self.pin.setFocus())

    def _pad(self) -> QGridLayout:
        grid = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "Sign in"]
        for index, key in enumerate(keys):
            button = QPushButton(key, self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes list → PIN, not the pad
            if key == "Sign in":
                button.setObjectName("signInButton")
                button.clicked.connect(self.submit)
            elif key == "⌫":
                button.setObjectName("pinBackspace")
                button.setToolTip("Delete the last digit")
                button.setAccessibleName("Delete the last digit")
                button.clicked.connect(self.pin.backspace)
            else:
                button.setObjectName(f"pinKey{key}")
                button.clicked.connect(lambda _=False, digit=key: self.pin.insert(digit))
            grid.addWidget(button, index // 3, index % 3)
        return grid

    def open(self, members: tuple[StaffMember, ...], current: Actor | None, note: str = "") -> None:
        """Fill the names (the current member chosen) and wait for a PIN."""
        self.names.clear()
        for member in members:
            item = QListWidgetItem(f"{member.name}  ·  {member.role}", self.names)
            item.setData(ROW_ROLE, member.name)
            if current is not None and member.name == current.name:
                self.names.setCurrentItem(item)
        if self.names.currentRow() < 0 and self.names.count():
            self.names.setCurrentRow(0)
        self.title.setText(
            f"Locked — {current.name} was signed in" if current else "Who is at the desk?"
        )
        self.pin.clear()
        self.message.setText(note)
        (self.pin if current else self.names).setFocus()

    def chosen_name(self) -> str | None:
        item = self.names.currentItem()
        return None if item is None else str(item.data(ROW_ROLE))

    def submit(self) -> None:
        name, pin = self.chosen_name(), self.pin.text()
        if self._busy:
            return
        if not name:
            self.message.setText("Choose your name in the list first.")
            self.names.setFocus()
            return
        if not pin:
            self.message.setText("Type your PIN, then press Enter.")
            self.pin.setFocus()
            return
        self._busy = True
        self.message.setText("Checking…")
        self._tasks.write(lambda: self._staff.sign_in(name, pin), self._done, self._failed)

    def _done(self, actor: Actor) -> None:
        self._busy = False
        self.pin.clear()
        self.message.setText("")
        self.signed_in.emit(actor)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.pin.clear()
        self.pin.setFocus()
        if isinstance(error, FrontdeskError):
            self.message.setText(error.message)
        else:
            self.message.setText("Signing in did not work. Try again.")
