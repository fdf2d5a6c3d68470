"""Sign-in, Switch user and the idle lock, driven as a receptionist would (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.services.staff.service import NO_MATCH
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.main_window import MainWindow


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    owner = built.staff.add(SOLE_OWNER, "Sam Owner", "owner", "1234")
    built.staff.add(owner, "Anna Desk", "receptionist", "5678")
    built.clinic.set_setting(owner, "security.idle_lock_minutes", "5")
    return built


@pytest.fixture
def idle_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(services: Services, qtbot: QtBot, idle_clock: FakeClock) -> MainWindow:
    create_application([])
    win = build_window(services, idle_clock=idle_clock)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _child(window: QWidget, kind: type, name: str):  # type: ignore[no-untyped-def]
    found = window.findChild(kind, name)
    assert found is not None, name
    return found


def _names_loaded(window: MainWindow, qtbot: QtBot) -> QListWidget:
    names = _child(window, QListWidget, "signInNames")
    qtbot.waitUntil(lambda: names.count() == 2, timeout=5000)
    return names


def _sign_in(window: MainWindow, qtbot: QtBot, name: str, pin: str) -> None:
    names = _names_loaded(window, qtbot)
    names.setFocus()
    # Typed letters search the list while they come within the keyboard interval; a loaded
    # CI machine can space two simulated keys further apart than a person does, and letters
    # typed at the last sign-in must not still be in the search.
    interval = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(60_000)
    names.keyboardSearch("")
    qtbot.keyClicks(names, name[:2])  # the list jumps to the typed name
    QApplication.setKeyboardInputInterval(interval)
    assert names.currentItem().text().startswith(name)
    pin_field = _child(window, QLineEdit, "pinField")
    qtbot.keyClicks(pin_field, pin)
    qtbot.keyClick(pin_field, Qt.Key.Key_Return)


def _unlocked(window: MainWindow) -> bool:
    return window.desk_lock is not None and not window.desk_lock.locked


def test_the_app_opens_on_sign_in_and_shows_who_is_signed_in(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.desk_lock is not None and window.desk_lock.locked
    assert not _child(window, QWidget, "navRail").isVisible()
    names = _names_loaded(window, qtbot)
    assert [names.item(i).text() for i in range(2)] == [
        "Sam Owner  ·  owner",
        "Anna Desk  ·  receptionist",
    ]
    _sign_in(window, qtbot, "Anna Desk", "5678")
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    assert "Anna Desk" in window.windowTitle()
    assert _child(window, QLabel, "staffName").text() == "Anna Desk · receptionist"
    assert _child(window, QWidget, "navRail").isVisible()


def test_a_wrong_pin_keeps_the_desk_locked_and_says_so(window: MainWindow, qtbot: QtBot) -> None:
    _sign_in(window, qtbot, "Anna Desk", "0000")
    message = _child(window, QLabel, "signInMessage")
    qtbot.waitUntil(lambda: message.text() == NO_MATCH, timeout=5000)
    assert window.desk_lock is not None and window.desk_lock.locked
    assert _child(window, QLineEdit, "pinField").text() == ""


def test_the_pad_types_the_pin(window: MainWindow, qtbot: QtBot) -> None:
    _names_loaded(window, qtbot)
    for digit in "5678":
        qtbot.mouseClick(_child(window, QPushButton, f"pinKey{digit}"), Qt.MouseButton.LeftButton)
    names = _child(window, QListWidget, "signInNames")
    names.setCurrentRow(1)
    qtbot.mouseClick(_child(window, QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    assert window.actor is not None and window.actor.name == "Anna Desk"


def test_lock_out_after_wrong_pins_says_how_long_to_wait(window: MainWindow, qtbot: QtBot) -> None:
    message = _child(window, QLabel, "signInMessage")
    for _attempt in range(3):
        _sign_in(window, qtbot, "Anna Desk", "0000")
        qtbot.waitUntil(lambda: message.text() == NO_MATCH, timeout=5000)
        message.setText("")
    _sign_in(window, qtbot, "Anna Desk", "5678")
    qtbot.waitUntil(lambda: "Try again in 30 seconds" in message.text(), timeout=5000)
    assert window.desk_lock is not None and window.desk_lock.locked


def test_a_half_typed_new_patient_form_survives_switch_user_and_sign_in(
    window: MainWindow, qtbot: QtBot
) -> None:
    _sign_in(window, qtbot, "Anna Desk", "5678")
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    checkin = window.screens["checkin"]
    checkin.new_patient()
    first = _child(window, QLineEdit, "firstNameField")
    qtbot.waitUntil(first.isVisible, timeout=5000)
    qtbot.keyClicks(first, "Margaret")
    qtbot.keyClicks(_child(window, QLineEdit, "phoneField"), "07400 1234")
    window.search.focus()
    qtbot.keyClicks(window.search.box, "Sam")
    qtbot.waitUntil(window.search.popup.isVisible, timeout=5000)

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.search.popup.isVisible()  # no search results over the lock
    assert window.desk_lock is not None and window.desk_lock.locked
    assert not first.isVisible()
    pin_field = _child(window, QLineEdit, "pinField")
    _names_loaded(window, qtbot)
    assert _child(window, QListWidget, "signInNames").currentItem().text().startswith("Anna")
    qtbot.keyClicks(pin_field, "5678")
    qtbot.keyClick(pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    assert first.isVisible()
    assert first.text() == "Margaret"
    assert _child(window, QLineEdit, "phoneField").text() == "07400 1234"


def test_the_desk_locks_after_the_idle_minutes_and_activity_keeps_it_open(
    window: MainWindow, qtbot: QtBot, idle_clock: FakeClock
) -> None:
    _sign_in(window, qtbot, "Anna Desk", "5678")
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    lock = window.desk_lock
    assert lock is not None
    idle_clock.now += 4 * 60
    assert not lock.idle.check()
    qtbot.keyClick(window.search, Qt.Key.Key_A)  # a key press is activity
    idle_clock.now += 4 * 60
    assert not lock.idle.check() and not lock.locked
    idle_clock.now += 61
    assert lock.idle.check()
    assert lock.locked


def test_someone_else_signing_in_gets_the_desk_for_their_role(
    window: MainWindow, qtbot: QtBot
) -> None:
    _sign_in(window, qtbot, "Anna Desk", "5678")
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    window.show_screen("settings")
    save = _child(window, QPushButton, "saveSettings")
    assert not save.isEnabled()
    assert save.toolTip() == "Only an owner can change settings."

    switch = _child(window, QToolButton, "switchUserButton")
    assert switch.isVisible() and switch.toolTip() == "Switch user (Ctrl+L)"
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert window.desk_lock is not None and window.desk_lock.locked
    _sign_in(window, qtbot, "Sam Owner", "1234")
    qtbot.waitUntil(lambda: _unlocked(window) and window.actor.name == "Sam Owner", timeout=5000)
    assert "Sam Owner" in window.windowTitle()
    assert _child(window, QPushButton, "saveSettings").isEnabled()


OWNER_CONTROLS = (
    ("settings", "saveSettings"),
    ("settings", "saveProgram"),
    ("settings", "saveSmsButton"),
    ("settings", "exportPatients"),
    ("settings", "backUpNow"),
    ("settings", "addStaffButton"),
    ("settings", "auditExport"),
)


@pytest.mark.parametrize(
    ("who", "pin", "enabled"), [("Anna Desk", "5678", False), ("Sam Owner", "1234", True)]
)
def test_owner_only_controls_follow_the_role_signed_in(
    window: MainWindow, qtbot: QtBot, who: str, pin: str, enabled: bool
) -> None:
    _sign_in(window, qtbot, who, pin)
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    for screen, name in OWNER_CONTROLS:
        window.show_screen(screen)
        control = _child(window, QWidget, name)
        assert control.isEnabled() is enabled, name
        if not enabled:
            assert control.toolTip().startswith("Only an owner"), name


def test_no_idle_lock_when_the_setting_is_zero(
    window: MainWindow, qtbot: QtBot, idle_clock: FakeClock
) -> None:
    _sign_in(window, qtbot, "Anna Desk", "5678")
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    lock = window.desk_lock
    assert lock is not None
    lock.idle.set_minutes(0)
    idle_clock.now += 24 * 3600
    assert not lock.idle.check() and not lock.locked
    lock.idle.set_minutes(1)
    idle_clock.now += 61
    assert lock.idle.check() and lock.locked


def test_adding_the_first_account_turns_sign_in_on(sqlite_db, clock, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    services = build_services(ServiceContext(db=sqlite_db, clock=clock))
    services.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    create_application([])
    window = build_window(services)
    qtbot.addWidget(window)
    window.show()
    lock = window.desk_lock
    assert lock is not None and not lock.locked
    assert not _child(window, QToolButton, "switchUserButton").isVisible()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.tasks.wait(5000)  # the look for accounts has answered…
    QApplication.processEvents()
    assert not lock.locked  # …and with nobody to sign in as, Ctrl+L does nothing
    window.show_screen("settings")
    qtbot.keyClicks(_child(window, QLineEdit, "newStaffName"), "Sam Owner")
    window.findChild(QWidget, "newStaffRole").setCurrentText("owner")
    qtbot.keyClicks(_child(window, QLineEdit, "newStaffPin"), "1234")
    qtbot.mouseClick(_child(window, QPushButton, "addStaffButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    message = _child(window, QLabel, "signInMessage")
    qtbot.waitUntil(lambda: "Sign-in is on" in message.text(), timeout=5000)
    _sign_in_one(window, qtbot, "1234")
    qtbot.waitUntil(lambda: _unlocked(window), timeout=5000)
    assert window.actor is not None and window.actor.name == "Sam Owner"
    assert _child(window, QToolButton, "switchUserButton").isVisible()


def _sign_in_one(window: MainWindow, qtbot: QtBot, pin: str) -> None:
    names = _child(window, QListWidget, "signInNames")
    qtbot.waitUntil(lambda: names.count() == 1, timeout=5000)
    pin_field = _child(window, QLineEdit, "pinField")
    qtbot.keyClicks(pin_field, pin)
    qtbot.keyClick(pin_field, Qt.Key.Key_Return)
