"""One personal link everywhere: a booking page with a fragment or its own query gives the same,
correct link on the card (service and screen), in the export and in the printed QR code."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QToolButton
from pytestqt.qtbot import QtBot

from frontdesk.domain.clock import FixedClock
from frontdesk.printing.geometry import Paper
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import Database
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.render.printing.output import write_pdf
from tests.printing.pdfcheck import decode_pdf

PAGES = {
    # booking page → the link with the code (the code must be in the query, before the '#')
    "https://clinic.example/book#form": "https://clinic.example/book?ref={code}#form",
    "https://x.example/b?loc=2": "https://x.example/b?loc=2&ref={code}",
}


@pytest.fixture(params=sorted(PAGES))
def page(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def services(sqlite_db: Database, clock: FixedClock, page: str) -> Services:
    built = build_services(ServiceContext(db=sqlite_db, clock=clock), rng=random.Random(3))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB", booking_url=page)
    return built


@pytest.fixture
def sarah(services: Services) -> tuple[int, str]:
    added = services.patients.add(
        SOLE_OWNER, NewPatientForm("Sarah", "Connolly", phone="07400 123456")
    ).patient
    assert added.code
    return added.id, added.code


def test_the_card_service_gives_the_link(services: Services, sarah, page: str) -> None:  # type: ignore[no-untyped-def]
    pid, code = sarah
    assert services.cards.card(pid).link == PAGES[page].format(code=code)


def test_the_card_on_screen_copies_the_link(  # type: ignore[no-untyped-def]
    services: Services, sarah, page: str, qtbot: QtBot
) -> None:
    pid, code = sarah
    create_application([])
    window = build_window(services)
    qtbot.addWidget(window)
    window.show()
    window.events.patient_opened.emit(pid)
    screen = window.screens["checkin"]
    name = screen.findChild(QLabel, "cardName")
    qtbot.waitUntil(lambda: name.text() == "Sarah Connolly" and name.isVisible(), timeout=5000)
    screen.findChild(QToolButton, "copyCodeButton").click()
    assert QGuiApplication.clipboard().text() == f"{code}  {PAGES[page].format(code=code)}"
    assert window.tasks.wait(5000)


def test_the_export_gives_the_link(services: Services, sarah, page: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _pid, code = sarah
    services.exports.export(SOLE_OWNER, "patients", tmp_path / "patients.csv")
    with (tmp_path / "patients.csv").open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["Personal link"] == PAGES[page].format(code=code)


def test_the_printed_qr_gives_the_link(  # type: ignore[no-untyped-def]
    services: Services, sarah, page: str, tmp_path: Path
) -> None:
    pid, code = sarah
    create_application([])
    pdf = write_pdf(services.printing.card_document([pid], Paper.A4), tmp_path / "cards.pdf")
    assert [d.text for d in decode_pdf(pdf)[0]] == [PAGES[page].format(code=code)]
