"""The Patients screen: a progressive table, a filter, Enter opens the card."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.names import normalize_name
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.patients.dto import PatientPage
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import Database
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.screens.patients.model import PatientsModel
from frontdesk.ui.screens.patients.screen import PatientsScreen


@pytest.fixture
def services(sqlite_db: Database, clock: FixedClock) -> Services:
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    DemoService(built.ctx).generate(SOLE_OWNER, patients=450, seed=4)
    return built


@pytest.fixture
def window(services: Services, qtbot: QtBot) -> Iterator[MainWindow]:
    create_application([])
    win = build_window(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.tasks.wait(5000)


def test_the_list_fills_page_by_page_and_filters_as_you_type(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    window.show_screen("patients")
    screen = window.screens["patients"]
    assert isinstance(screen, PatientsScreen)
    table = screen.findChild(QTableView, "patientsTable")
    model = table.model()
    qtbot.waitUntil(lambda: model.rowCount() == 200, timeout=5000)
    assert screen.count.text() == "450 patients · showing 200"
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 400, timeout=5000)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == sorted(names, key=normalize_name)  # name order, accents folded
    target = services.patient_list.page("", 123, 1).rows[0].patient
    box = screen.findChild(QLineEdit, "patientsFilter")
    qtbot.keyClicks(box, target.code or "")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert model.index(0, 0).data() == target.name
    opened: list[int] = []
    window.events.patient_opened.connect(opened.append)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened == [target.id], timeout=5000)
    assert window.stack.currentWidget() is window.screens["checkin"]


def test_the_patients_model_passes_the_model_tester(
    services: Services,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    def fetch(text: str, offset: int, done) -> None:  # type: ignore[no-untyped-def]
        done(services.patient_list.page(text, offset, 50))

    model = PatientsModel(fetch, "GB", "Europe/London")
    model.reload("")
    assert model.rowCount() == 50 and model.canFetchMore()
    qtmodeltester.check(model)


def test_a_late_page_of_an_old_filter_is_dropped(services: Services) -> None:
    pending: list = []

    def fetch(text: str, offset: int, done) -> None:  # type: ignore[no-untyped-def]
        pending.append((text, done))

    model = PatientsModel(fetch, "GB", "Europe/London")
    model.reload("a")
    model.reload("zz-nobody")
    new_text, new_done = pending[1]
    new_done(services.patient_list.page(new_text, 0))
    old_text, old_done = pending[0]
    old_done(services.patient_list.page(old_text, 0))  # arrives last, must not win
    assert model.rowCount() == 0
    assert isinstance(services.patient_list.page("a", 0), PatientPage)
