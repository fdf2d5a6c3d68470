"""The window comes before the data: typing is accepted at once and answered once the clinic
is open; screens are built the first time they are shown."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from PySide6.QtWidgets import QLineEdit, QListView, QTableView
from pytestqt.qtbot import QtBot

from frontdesk.services.bundle import Services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.ui.app import attach_desk, build_window, create_application, new_window
from frontdesk.ui.desk_loader import PendingServices, load_desk
from frontdesk.ui.main_window import MainWindow, OpeningScreen


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import ServiceContext

    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    DemoService(built.ctx).generate(SOLE_OWNER, patients=120, seed=3)
    return built


def test_a_search_typed_before_the_clinic_is_open_is_answered_when_it_opens(
    services: Services, qtbot: QtBot
) -> None:
    create_application([])
    pending = PendingServices()
    window = new_window(pending, "SQLite", "Harbour Physio")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.search.focus()
    box = window.findChild(QLineEdit, "searchBox")
    results = window.findChild(QListView, "searchResults")
    assert box is not None and results is not None
    assert isinstance(window.stack.currentWidget(), OpeningScreen)
    qtbot.waitUntil(box.hasFocus, timeout=2_000)

    qtbot.keyClicks(box, "Okafor")
    qtbot.wait(300)  # the lookup waits on a worker thread; the window stays responsive
    assert results.model().rowCount() == 0
    assert window.services is None

    gate = threading.Event()
    window.tasks.read(lambda: load_desk(lambda: (gate.wait(5), services)[1], pending),
                      lambda desk: attach_desk(window, desk))  # fmt: skip
    gate.set()
    qtbot.waitUntil(lambda: results.model().rowCount() > 0, timeout=10_000)
    names = [results.model().index(r, 0).data() for r in range(results.model().rowCount())]
    assert all("Okafor" in name for name in names)
    qtbot.waitUntil(lambda: window.screens.is_built("checkin"), timeout=5_000)
    assert window.windowTitle() == "Harbour Physio — Frontdesk"
    assert window.findChild(QTableView, "todayList") is not None
    window.tasks.wait()


def test_a_clinic_that_fails_to_open_answers_the_waiting_search_with_why(
    qtbot: QtBot,
) -> None:
    create_application([])
    pending = PendingServices()
    window = new_window(pending, "SQLite", "Frontdesk")
    qtbot.addWidget(window)
    window.show()
    box = window.findChild(QLineEdit, "searchBox")
    message = window.findChild(type(window.search.message), "searchMessage")
    assert box is not None and message is not None

    def broken() -> Services:
        raise RuntimeError("the disk is not readable")

    failures: list[BaseException] = []
    window.tasks.read(lambda: load_desk(broken, pending), None, failures.append)
    qtbot.keyClicks(box, "Okafor")
    qtbot.waitUntil(lambda: message.isVisible(), timeout=10_000)
    # An unexpected error is told in calm words; its own text goes to the log, not the screen.
    assert "could not be opened (the database did not answer)" in message.text()
    assert "start it again" in message.text()
    assert "the disk is not readable" not in message.text()
    assert failures and "the disk is not readable" in str(failures[0])
    window.tasks.wait()


def test_screens_are_built_when_first_shown(services: Services, qtbot: QtBot) -> None:
    create_application([])
    window: MainWindow = build_window(services)
    qtbot.addWidget(window)
    window.show()
    assert window.screens.is_built("checkin")
    assert not window.screens.is_built("rewards")
    assert not window.screens.is_built("settings")

    window.show_screen("rewards")
    assert window.screens.is_built("rewards")
    assert window.stack.currentWidget() is window.screens["rewards"]
    assert window.stack.currentWidget().objectName() == "rewardsScreen"
    assert not window.screens.is_built("settings")
    assert window.stack.count() == 8
    window.tasks.wait()


def test_the_window_module_loads_no_data_layer() -> None:
    """What runs before the window shows stays small: the data layer loads on a worker."""
    code = (
        "import sys, frontdesk.ui.app, frontdesk.ui.main_window;"
        "print(','.join(m for m in ('sqlalchemy', 'phonenumbers', 'frontdesk.services.bundle',"
        " 'frontdesk.services.records.dto', 'frontdesk.ui.screens.checkin.screen')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
