"""First start: the clinic, and (optionally) the owner's account with a PIN."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import ServiceContext
from frontdesk.ui.app import create_application
from frontdesk.ui.first_run import FirstRunDialog


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    return build_services(ServiceContext(db=sqlite_db, clock=clock))


def _dialog(services: Services, qtbot: QtBot) -> FirstRunDialog:
    create_application([])
    dialog = FirstRunDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.findChild(QLineEdit, "clinicNameField"), "Harbour Physio")
    return dialog


def _create(dialog: FirstRunDialog, qtbot: QtBot) -> None:
    button = dialog.findChild(QPushButton, "createClinicButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_first_run_creates_the_owner_account_with_a_pin(services: Services, qtbot: QtBot) -> None:
    dialog = _dialog(services, qtbot)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "ownerNameField"), "Sam Owner")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "ownerPinField"), "4826")
    _create(dialog, qtbot)
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert services.clinic.is_initialised()
    assert [(m.name, m.role) for m in services.staff.list()] == [("Sam Owner", "owner")]
    assert services.staff.sign_in("Sam Owner", "4826").is_owner


def test_a_bad_pin_is_explained_and_nothing_is_created(services: Services, qtbot: QtBot) -> None:
    dialog = _dialog(services, qtbot)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "ownerNameField"), "Sam Owner")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "ownerPinField"), "12")
    _create(dialog, qtbot)
    assert dialog.findChild(QLabel, "firstRunError").text() == "A PIN is 4 to 8 digits."
    assert not services.clinic.is_initialised()
    assert services.staff.list() == ()
    assert dialog.findChild(QLineEdit, "clinicNameField").text() == "Harbour Physio"


def test_without_an_owner_the_desk_is_told_anyone_acts_as_owner(
    services: Services, qtbot: QtBot
) -> None:
    dialog = _dialog(services, qtbot)
    helps = [label.text() for label in dialog.findChildren(QLabel, "fieldHelp")]
    assert any("anyone at this desk acts as the owner" in text for text in helps)
    _create(dialog, qtbot)
    assert services.clinic.is_initialised()
    assert not services.staff.has_accounts()
