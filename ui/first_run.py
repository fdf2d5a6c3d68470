"""First start on an empty database: set up the clinic, or explore a demo clinic."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_profile import CLINIC_TYPES, countries
from frontdesk.domain.errors import FrontdeskError, InvalidInputError
from frontdesk.domain.pin import validate_pin
from frontdesk.services.bundle import Services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import OWNER, SOLE_OWNER

DEMO_CLINIC = "Harbour Physio"
NO_OWNER_YET = (
    "With your name and a PIN, the desk asks who is there and what each person may do. "
    "Without them, anyone at this desk acts as the owner until you add staff in "
    "Settings → Staff."
)


class FirstRunDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Welcome to Frontdesk")
        self.setObjectName("firstRunDialog")
        layout = QVBoxLayout(self)
        intro = QLabel("Tell us about your clinic. You can change all of this later in Settings.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("clinicNameField")
        self.country = QComboBox(self)
        self.country.setObjectName("countryField")
        self.country.addItems(countries())
        self.country.setCurrentText("GB")
        self.kind = QComboBox(self)
        self.kind.setObjectName("clinicTypeField")
        self.kind.addItems(CLINIC_TYPES)
        self.owner = QLineEdit(self)
        self.owner.setObjectName("ownerNameField")
        self.owner.setPlaceholderText("Your name (optional)")
        self.owner.setAccessibleName("Owner's name")
        self.pin = QLineEdit(self)
        self.pin.setObjectName("ownerPinField")
        self.pin.setPlaceholderText("A PIN of 4 to 8 digits")
        self.pin.setAccessibleName("Owner's PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        form.addRow("Clinic name", self.name)
        form.addRow("Country", self.country)
        form.addRow("Kind of clinic", self.kind)
        form.addRow("Owner", self.owner)
        form.addRow("Owner's PIN", self.pin)
        layout.addLayout(form)
        help_text = QLabel(NO_OWNER_YET, self)
        help_text.setObjectName("fieldHelp")
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        self.error = QLabel(self)
        self.error.setObjectName("firstRunError")
        self.error.setStyleSheet("color: #B42318")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        demo = QPushButton("Explore a demo clinic", self)
        demo.setObjectName("demoButton")
        create = buttons.addButton("Set up my clinic", QDialogButtonBox.ButtonRole.AcceptRole)
        create.setObjectName("createClinicButton")
        buttons.addButton(demo, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        create.clicked.connect(self._create)
        demo.clicked.connect(self._demo)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _create(self) -> None:
        owner, pin = " ".join(self.owner.text().split()), self.pin.text()
        try:
            if owner or pin:  # checked before anything is written
                if not owner:
                    raise InvalidInputError("Write the owner's name too, or leave the PIN empty.")
                validate_pin(pin)
            self.services.clinic.init(
                SOLE_OWNER,
                name=self.name.text(),
                country=self.country.currentText(),
                clinic_type=self.kind.currentText(),
            )
            if owner:
                self.services.staff.add(SOLE_OWNER, owner, OWNER, pin)
        except FrontdeskError as error:
            self.error.setText(error.message)  # the form keeps what was typed
            return
        self.accept()

    def _demo(self) -> None:
        self.services.clinic.init(SOLE_OWNER, name=DEMO_CLINIC, country="GB")
        DemoService(self.services.ctx).generate(SOLE_OWNER, patients=400, seed=7)
        self.accept()

    @classmethod
    def run(cls, services: Services) -> bool:
        return cls(services).exec() == QDialog.DialogCode.Accepted
