"""The new-patient form (Ctrl+N): name, mobile, email, SMS consent, “Referred by?”.

Each field is checked when the receptionist leaves it, with the same rules the service
applies, so mistakes show under the field that has them. A refused save (self-referral,
known person, another desk) keeps everything typed and says why where it belongs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import (
    FrontdeskError,
    InvalidPhoneError,
    KnownPersonError,
    PermissionDeniedError,
    SelfReferralError,
    UnknownCodeError,
    in_words,
)
from frontdesk.domain.person_fields import clean_email, clean_name_part
from frontdesk.domain.phones import format_phone, parse_phone
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.dto import LookupResult
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.screens.checkin.referrer_field import ReferrerField
from frontdesk.ui.tasks import TaskRunner


def _field_error(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setProperty("role", "fieldError")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


class NewPatientPanel(QFrame):
    """Emits ``save_requested`` with what was typed; the screen runs the save."""

    save_requested = Signal(object, object, str, object)  # form, referrer id, typed, override
    cancelled = Signal()
    open_existing = Signal(int)

    def __init__(
        self,
        lookup: Callable[[str], LookupResult],
        tasks: TaskRunner,
        overlay_parent: QWidget,
        region: str,
        owner: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newPatientPanel")
        self._region = region
        self._existing_id: int | None = None
        self.saving = False

        title = QLabel("New patient", self)
        title.setObjectName("panelTitle")
        self.banner = QFrame(self)
        self.banner.setObjectName("formBanner")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(12, 8, 8, 8)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("newPatientError")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("Open their record", self.banner)
        self.open_button.setObjectName("openExistingButton")
        self.open_button.clicked.connect(self._open_existing)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.open_button)
        self.banner.hide()

        self.first = self._line("firstNameField", "First name", 100)
        self.last = self._line("lastNameField", "Last name", 100)
        self.phone = self._line("phoneField", "Mobile, e.g. 07400 123456", 40)
        self.email = self._line("emailField", "name@example.com (optional)", 254)
        self.errors = {
            "first": _field_error("firstNameError", self),
            "last": _field_error("lastNameError", self),
            "phone": _field_error("phoneError", self),
            "email": _field_error("emailError", self),
        }
        self.consent = QCheckBox("Happy to get texts from us (SMS)", self)
        self.consent.setObjectName("consentField")
        self.referrer = ReferrerField(
            lookup,
            tasks,
            overlay_parent,
            name="referrer",
            placeholder="Friend's code, phone or name (optional)",
            owner=owner,
            parent=self,
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        form.addRow("First name", self._with_error(self.first, self.errors["first"]))
        form.addRow("Last name", self._with_error(self.last, self.errors["last"]))
        form.addRow("Mobile", self._with_error(self.phone, self.errors["phone"]))
        form.addRow("Email", self._with_error(self.email, self.errors["email"]))
        form.addRow("", self.consent)
        form.addRow("Referred by?", self.referrer)

        self.save_button = QPushButton(qta.icon("mdi6.account-plus-outline"), "Save  ⏎", self)
        self.save_button.setObjectName("saveNewPatientButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        cancel = QPushButton("Cancel", self)
        cancel.setObjectName("cancelNewPatientButton")
        cancel.setToolTip("Close the form (Esc); what you typed stays until you save")
        cancel.clicked.connect(self.cancelled.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for field in (self.first, self.last, self.phone, self.email):
            field.returnPressed.connect(self.submit)
        self.referrer.override.returnPressed.connect(self.submit)
        self.first.editingFinished.connect(lambda: self._check("first"))
        self.last.editingFinished.connect(lambda: self._check("last"))
        self.phone.editingFinished.connect(lambda: self._check("phone"))
        self.email.editingFinished.connect(lambda: self._check("email"))
        QShortcut(QKeySequence("Escape"), self, activated=self.cancelled.emit).setContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )

    def _line(self, name: str, placeholder: str, limit: int) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setAccessibleName(placeholder.split(",")[0])
        field.setMaxLength(limit + 20)  # a little over, so "too long" is said, not silently cut
        return field

    def _with_error(self, field: QWidget, error: QLabel) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(error)
        return box

    # -- checking -------------------------------------------------------------------------
    def _check(self, key: str, *, submitting: bool = False) -> bool:
        try:
            if key == "first" and (submitting or self.first.text().strip()):
                clean_name_part(self.first.text(), "first name", required=True)
            elif key == "last":
                clean_name_part(self.last.text(), "last name", required=False)
            elif key == "phone" and self.phone.text().strip():
                e164 = parse_phone(self.phone.text(), self._region)
                # Show it the way it will be read back: "07400 123456", "+44 7400 123456".
                self.phone.setText(format_phone(e164, self._region))
            elif key == "email":
                clean_email(self.email.text())
        except FrontdeskError as error:
            self.errors[key].setText(error.message)
            self.errors[key].show()
            return False
        self.errors[key].hide()
        return True

    def submit(self) -> None:
        if self.saving:
            return
        checks = [self._check(key, submitting=True) for key in ("first", "last", "phone", "email")]
        if not all(checks):
            self._focus_first_error()
            return
        if not self.phone.text().strip() and not self.email.text().strip():
            self.errors["phone"].setText("Please give a mobile number or an email.")
            self.errors["phone"].show()
            self.phone.setFocus()
            return
        self.banner.hide()
        form = NewPatientForm(
            first_name=self.first.text(),
            last_name=self.last.text(),
            phone=self.phone.text() or None,
            email=self.email.text() or None,
            sms_consent=self.consent.isChecked(),
        )
        self.set_saving(True)
        self.save_requested.emit(
            form, self.referrer.referrer_id, self.referrer.typed, self.referrer.override_reason
        )

    def set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText("Saving…" if saving else "Save  ⏎")

    def show_failure(self, error: BaseException) -> None:
        """Say why the save was refused, next to what caused it. Nothing typed is lost."""
        self.set_saving(False)
        message = in_words(error, "The patient could not be saved. Please try again.")
        if isinstance(error, SelfReferralError):
            self.referrer.show_error(message, self_referral=True)
            return
        if isinstance(error, PermissionDeniedError) and self.referrer.owner_row.isVisible():
            self.referrer.show_owner_refusal(message)  # the owner's name or PIN was wrong
            return
        if isinstance(error, UnknownCodeError | PermissionDeniedError) or (
            not self.referrer.is_empty() and "matches" in message
        ):
            self.referrer.show_error(message)
            return
        if isinstance(error, InvalidPhoneError):
            self.errors["phone"].setText(message)
            self.errors["phone"].show()
            self.phone.setFocus()
            return
        self._existing_id = (
            error.existing_patient_id if isinstance(error, KnownPersonError) else None
        )
        self.open_button.setVisible(self._existing_id is not None)
        self.banner_text.setText(message)
        self.banner.show()

    def reset(self) -> None:
        for field in (self.first, self.last, self.phone, self.email):
            field.clear()
        for label in self.errors.values():
            label.hide()
        self.consent.setChecked(False)
        self.referrer.reset()
        self.banner.hide()
        self.set_saving(False)

    def start(self) -> None:
        self.first.setFocus()

    def _focus_first_error(self) -> None:
        for key, field in (
            ("first", self.first),
            ("last", self.last),
            ("phone", self.phone),
            ("email", self.email),
        ):
            if self.errors[key].isVisible():
                field.setFocus()
                return

    def _open_existing(self) -> None:
        if self._existing_id is not None:
            self.open_existing.emit(self._existing_id)
