"""The Clinic settings page: help under each field, save all-or-nothing, keep what was typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import RECEPTIONIST, SOLE_OWNER, Actor, ServiceContext
from frontdesk.ui.app import create_application
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.settings.screen import ClinicSettingsPage
from frontdesk.ui.tasks import TaskRunner


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    return built


def _page(services: Services, qtbot: QtBot, actor: Actor) -> ClinicSettingsPage:
    create_application([])
    tasks = TaskRunner()
    page = ClinicSettingsPage(services, tasks, AppEvents(), actor)
    qtbot.addWidget(page)
    page.show()
    name = page.findChild(QLineEdit, "setting:clinic.name")
    qtbot.waitUntil(lambda: name.text() == "Harbour Physio", timeout=5000)
    return page


def test_owner_saves_changes_and_they_are_stored(services: Services, qtbot: QtBot) -> None:
    page = _page(services, qtbot, SOLE_OWNER)
    page.findChild(QLineEdit, "setting:sms.quiet_start").setText("21:30")
    qtbot.mouseClick(page.findChild(QPushButton, "saveSettings"), Qt.MouseButton.LeftButton)
    message = page.findChild(QLabel, "settingsMessage")
    qtbot.waitUntil(lambda: message.text() == "Saved 1 change.", timeout=5000)
    assert services.clinic.get_settings("sms.quiet_start") == {"sms.quiet_start": "21:30"}


def test_a_bad_value_is_explained_and_the_form_keeps_it(services: Services, qtbot: QtBot) -> None:
    page = _page(services, qtbot, SOLE_OWNER)
    page.findChild(QLineEdit, "setting:clinic.name").setText("Renamed Clinic")
    quiet = page.findChild(QLineEdit, "setting:sms.quiet_start")
    quiet.setText("25:00")
    qtbot.mouseClick(page.findChild(QPushButton, "saveSettings"), Qt.MouseButton.LeftButton)
    message = page.findChild(QLabel, "settingsMessage")
    qtbot.waitUntil(lambda: "time like 20:00" in message.text(), timeout=5000)
    assert quiet.text() == "25:00"
    assert services.clinic.get_settings("clinic.name") == {"clinic.name": "Harbour Physio"}


def test_a_receptionist_sees_settings_read_only(services: Services, qtbot: QtBot) -> None:
    page = _page(services, qtbot, Actor(name="Anna", role=RECEPTIONIST))
    assert page.findChild(QLineEdit, "setting:clinic.name").isReadOnly()
    assert not page.findChild(QPushButton, "saveSettings").isEnabled()


def _message_under(page, key: str) -> QLabel:  # type: ignore[no-untyped-def]
    label = page.findChild(QLabel, f"fieldMessage:{key}")
    assert label is not None, key
    return label


def test_a_bad_value_shows_its_message_under_its_own_field(
    services: Services, qtbot: QtBot
) -> None:
    page = _page(services, qtbot, SOLE_OWNER)
    page.findChild(QLineEdit, "setting:clinic.name").setText("Renamed Clinic")
    page.findChild(QLineEdit, "setting:sms.quiet_start").setText("25:00")
    qtbot.mouseClick(page.findChild(QPushButton, "saveSettings"), Qt.MouseButton.LeftButton)
    quiet = _message_under(page, "sms.quiet_start")
    qtbot.waitUntil(lambda: "time like 20:00" in quiet.text(), timeout=5000)
    assert quiet.isVisibleTo(page)
    name = _message_under(page, "clinic.name")
    assert name.text() == "" and not name.isVisibleTo(page)
    # Corrected and saved: the message under the field goes away.
    page.findChild(QLineEdit, "setting:sms.quiet_start").setText("21:00")
    qtbot.mouseClick(page.findChild(QPushButton, "saveSettings"), Qt.MouseButton.LeftButton)
    message = page.findChild(QLabel, "settingsMessage")
    qtbot.waitUntil(lambda: message.text() == "Saved 2 changes.", timeout=5000)
    qtbot.waitUntil(lambda: not quiet.isVisibleTo(page), timeout=5000)


def test_program_page_shows_a_bad_amount_under_its_own_field(
    services: Services, qtbot: QtBot
) -> None:
    from frontdesk.ui.screens.settings.reward_program_page import RewardProgramPage

    create_application([])
    page = RewardProgramPage(services, TaskRunner(), AppEvents(), SOLE_OWNER)
    qtbot.addWidget(page)
    page.show()
    friend = page.findChild(QLineEdit, "program:new_patient")
    qtbot.waitUntil(lambda: friend.text() != "", timeout=5000)
    friend.setText("500%")
    qtbot.mouseClick(page.findChild(QPushButton, "saveProgram"), Qt.MouseButton.LeftButton)
    under = _message_under(page, "new_patient")
    assert "500% off makes no sense" in under.text() and under.isVisibleTo(page)
    assert _message_under(page, "referrer").text() == ""


def test_sms_page_shows_a_bad_account_sid_under_its_own_field(
    services: Services, qtbot: QtBot
) -> None:
    from frontdesk.ui.screens.settings.sms_page import SmsSettingsPage

    create_application([])
    page = SmsSettingsPage(services, TaskRunner(), AppEvents(), SOLE_OWNER)
    qtbot.addWidget(page)
    page.show()
    page.findChild(QLineEdit, "accountSid").setText("AC-not-a-sid")
    page.findChild(QLineEdit, "authToken").setText("0123456789abcdef0123")
    page.findChild(QLineEdit, "fromNumber").setText("07700 900123")
    qtbot.mouseClick(page.findChild(QPushButton, "saveSmsButton"), Qt.MouseButton.LeftButton)
    under = _message_under(page, "account_sid")
    qtbot.waitUntil(lambda: "starts with AC" in under.text(), timeout=5000)
    assert under.isVisibleTo(page)
    assert page.findChild(QLabel, "smsResult").text().startswith("Account SID: ")
    assert _message_under(page, "from_number").text() == ""
    assert page.findChild(QLineEdit, "accountSid").text() == "AC-not-a-sid"  # kept to correct
