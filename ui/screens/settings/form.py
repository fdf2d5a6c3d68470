"""The one builder of the settings pages' forms: a labelled field, its plain-language help
under it, and under that the field's own validation message (hidden until there is one).

Every value goes in and out as text, the form the settings services read and write, so a
page only says which fields it has; ``changes()`` is what differs from what was loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

Editor = QLineEdit | QComboBox | QSpinBox | QCheckBox
ERROR_COLOUR = "#B42318"


class SettingField:
    """One setting on a page: its editor, help and message, read and written as text."""

    def __init__(self, key: str, label: str, editor: Editor, help: QLabel, message: QLabel):
        self.key, self.label, self.editor = key, label, editor
        self.help, self.message = help, message

    def value(self) -> str:
        editor = self.editor
        if isinstance(editor, QComboBox):
            data = editor.currentData()
            return "" if data is None else str(data)
        if isinstance(editor, QSpinBox):
            return str(editor.value())
        if isinstance(editor, QCheckBox):
            return "yes" if editor.isChecked() else "no"
        return editor.text()

    def set_value(self, text: str) -> None:
        editor = self.editor
        editor.blockSignals(True)  # loading a value is not an edit
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(text), 0))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(text) if text.strip().lstrip("-").isdigit() else editor.minimum())
        elif isinstance(editor, QCheckBox):
            editor.setChecked(text == "yes")
        else:
            editor.setText(text)
        editor.blockSignals(False)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.editor.setProperty("invalid", True)
        self.editor.setAccessibleDescription(text)  # a screen reader hears why

    def clear_error(self) -> None:
        self.message.clear()
        self.message.setVisible(False)
        self.editor.setProperty("invalid", False)
        self.editor.setAccessibleDescription("")


class SettingsForm:
    """Rows of ``SettingField``s in a ``QFormLayout``; add ``layout`` to the page."""

    def __init__(self, parent: QWidget, *, editable: bool = True) -> None:
        self._parent = parent
        self._editable = editable
        self.layout = QFormLayout()
        self.layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, SettingField] = {}

    # -- building -------------------------------------------------------------------------
    def line(
        self,
        key: str,
        label: str,
        help: str,
        *,
        name: str,
        placeholder: str = "",
        password: bool = False,
    ) -> QLineEdit:
        edit = QLineEdit(self._parent)
        edit.setPlaceholderText(placeholder)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add(key, label, edit, help, name=name)
        return edit

    def choice(
        self, key: str, label: str, help: str, choices: Sequence[tuple[str, str]], *, name: str
    ) -> QComboBox:
        """``choices`` are (value, words shown) pairs; the value is what is read and written."""
        box = QComboBox(self._parent)
        for value, words in choices:
            box.addItem(words, value)
        self.add(key, label, box, help, name=name)
        return box

    def number(
        self, key: str, label: str, help: str, low: int, high: int, *, name: str, suffix: str = ""
    ) -> QSpinBox:
        spin = QSpinBox(self._parent)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        self.add(key, label, spin, help, name=name)
        return spin

    def check(self, key: str, text: str, help: str, *, name: str) -> QCheckBox:
        box = QCheckBox(text, self._parent)
        self.add(key, "", box, help, name=name)
        return box

    def add(self, key: str, label: str, editor: Editor, help: str, *, name: str) -> SettingField:
        editor.setObjectName(name)
        editor.setAccessibleName(label or (editor.text() if isinstance(editor, QCheckBox) else ""))
        if not self._editable:
            if isinstance(editor, QLineEdit):
                editor.setReadOnly(True)
            editor.setEnabled(False)
        hint = QLabel(help, self._parent)
        hint.setObjectName("fieldHelp")
        hint.setWordWrap(True)
        hint.setVisible(bool(help))
        message = QLabel("", self._parent)
        message.setObjectName(f"fieldMessage:{key}")
        message.setWordWrap(True)
        message.setStyleSheet(f"color: {ERROR_COLOUR};")
        message.setVisible(False)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(hint)
        column.addWidget(message)
        self.layout.addRow(label, column)
        field = SettingField(key, label, editor, hint, message)
        self.fields[key] = field
        return field

    # -- values and messages --------------------------------------------------------------
    def values(self) -> dict[str, str]:
        return {key: field.value() for key, field in self.fields.items()}

    def set_values(self, values: Mapping[str, str]) -> None:
        for key, field in self.fields.items():
            field.set_value(values.get(key, ""))
            field.clear_error()

    def changes(self, since: Mapping[str, str]) -> dict[str, str]:
        """The fields whose text differs from ``since`` (what was loaded)."""
        values = self.values()
        return {key: value for key, value in values.items() if value != since.get(key, "")}

    def show_error(self, key: str, text: str) -> bool:
        """The message under ``key``'s field; False when no field of this form has that key."""
        field = self.fields.get(key)
        if field is None:
            return False
        field.show_error(text)
        return True

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.clear_error()


class SaveBar:
    """A page's message and its Save button, in one row under the form. Only an owner may
    press it; a receptionist reads why in its tooltip (the services refuse them anyway)."""

    def __init__(
        self, parent: QWidget, text: str, *, name: str, message_name: str, owner: bool, what: str
    ) -> None:
        self.message = QLabel("", parent)
        self.message.setObjectName(message_name)
        self.message.setWordWrap(True)
        self.button = QPushButton(text, parent)
        self.button.setObjectName(name)
        self.button.setEnabled(owner)
        if not owner:
            self.button.setToolTip(f"Only an owner can change {what}.")
        self.layout = QHBoxLayout()
        self.layout.addWidget(self.message, 1)
        self.layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
