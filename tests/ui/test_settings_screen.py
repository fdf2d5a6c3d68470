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
