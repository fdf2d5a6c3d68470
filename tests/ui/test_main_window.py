"""The main window on a demo database: search as you type, without freezing the GUI."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QListView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from frontdesk.services.bundle import Services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.models import Patient, ReferralCode
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.main_window import NAV, MainWindow


@pytest.fixture
def window(services: Services, qtbot: QtBot) -> MainWindow:
    DemoService(services.ctx).generate(SOLE_OWNER, patients=300, seed=5)
    create_application([])
    win = build_window(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.search.focus()
    return win


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    """UI tests run on SQLite only: the data layer is covered on both elsewhere."""
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import ServiceContext

    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    return built


def _a_patient(services: Services) -> tuple[int, str, str]:
    with services.ctx.db.read() as session:
        row = session.execute(
            select(Patient.id, Patient.last_name, ReferralCode.code)
            .join(ReferralCode, ReferralCode.patient_id == Patient.id)
            .where(Patient.last_name == "Okafor")
            .limit(1)
        ).one()
    return row.id, row.last_name, row.code


def test_search_box_has_focus_and_finds_a_patient_by_name(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    box = window.findChild(QLineEdit, "searchBox")
    results = window.findChild(QListView, "searchResults")
    assert box is not None and results is not None
    assert QApplication.focusWidget() is box
    _id, last_name, _code = _a_patient(services)
    qtbot.keyClicks(box, last_name[:4])
    qtbot.waitUntil(lambda: results.isVisible() and results.model().rowCount() > 0, timeout=5000)
    names = [results.model().index(r, 0).data() for r in range(results.model().rowCount())]
    assert any(last_name in name for name in names)


def test_enter_on_a_code_opens_that_patient(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    patient_id, _last, code = _a_patient(services)
    box = window.findChild(QLineEdit, "searchBox")
    opened: list[int] = []
    window.events.patient_opened.connect(opened.append)
    qtbot.keyClicks(box, code.lower())
    results = window.findChild(QListView, "searchResults")
    qtbot.waitUntil(lambda: results.model().rowCount() > 0, timeout=5000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened == [patient_id], timeout=5000)


def test_ctrl_k_returns_to_the_search_box(window: MainWindow, qtbot: QtBot) -> None:
    window.show_screen("settings")
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.findChild(QLineEdit, "searchBox")


def test_every_screen_is_reachable_from_the_rail(window: MainWindow) -> None:
    for row, entry in enumerate(NAV):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget().objectName() == f"{entry.key}Screen"


def test_status_bar_says_sms_is_not_set_up_and_counts_the_outbox(
    window: MainWindow, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: window.status.last is not None, timeout=5000)
    text = window.status.summary.text()
    assert "SMS not set up" in text
    assert f"{window.status.last.waiting_messages} messages waiting" in text
    assert window.status.last.waiting_messages > 0


def test_database_path_is_never_the_real_users(tmp_path: Path) -> None:
    import os

    assert "pytest-frontdesk-home" in os.environ["FRONTDESK_HOME"]


def test_status_bar_follows_the_connection(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.status.last is not None, timeout=5000)
    window.events.connectivity_changed.emit(True)
    assert window.status.summary.text().startswith("● Online")
    window.events.connectivity_changed.emit(False)
    assert window.status.summary.text().startswith("○ Offline")


def test_window_size_is_remembered_in_the_desk_preferences(
    window: MainWindow, qtbot: QtBot
) -> None:
    screen = window.screen().availableGeometry()
    wanted = (screen.width() - 20, screen.height() - 100)
    window.resize(*wanted)
    window.close()
    stored = Path(window.preferences.fileName())
    assert stored.name == "desk.ini" and stored.is_file()
    again = build_window(window.services)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == wanted


def test_the_style_sheet_parses() -> None:
    # Qt drops a whole style sheet it cannot parse, leaving every screen unstyled.
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from frontdesk.resource_path import resource_path

    complaints: list[str] = []

    def collect(kind: QtMsgType, _context: object, message: str) -> None:
        complaints.append(message)

    app = create_application([])
    previous = qInstallMessageHandler(collect)
    try:
        app.setStyleSheet("")
        app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
        window = QLineEdit()  # style sheets are parsed when a widget is polished
        window.ensurePolished()
    finally:
        qInstallMessageHandler(previous)
    assert not [m for m in complaints if "stylesheet" in m.lower()]
