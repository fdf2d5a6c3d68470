"""The Print screen: live preview, patients picker, saving and printing — without freezing."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from frontdesk.printing.geometry import Paper
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, Actor, ServiceContext
from frontdesk.services.records.patients import NewPatient, add_patient
from frontdesk.store.models import Poster, Visit
from frontdesk.ui.app import create_application
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.print.picker import ChosenPatientsModel
from frontdesk.ui.screens.print.screen import PrintScreen
from frontdesk.ui.tasks import TaskRunner
from tests.conftest import TEST_NOW
from tests.printing.pdfcheck import decode_image, decode_pdf

BOOK = "https://harbourphysio.example/book"


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB", booking_url=BOOK)
    return built


def _patient(
    services: Services, first: str, last: str, phone: str, seen_today: bool
) -> tuple[int, str]:
    with services.ctx.db.begin() as session:
        patient, code = add_patient(
            session,
            NewPatient(
                first_name=first, last_name=last, phone_e164=phone, email=None, email_norm=None
            ),
            TEST_NOW - timedelta(days=40),
            random.Random(phone),
        )
        if seen_today:
            session.add(Visit(patient_id=patient.id, visit_type="Follow-up", status="attended",
                              at=TEST_NOW - timedelta(hours=1), created_at=TEST_NOW))  # fmt: skip
        return patient.id, code


@pytest.fixture
def make_screen(services: Services, qtbot: QtBot) -> Iterator[Callable[[Actor], PrintScreen]]:
    """Print screens whose background work is finished and delivered before they close."""
    create_application([])
    runners: list[TaskRunner] = []

    def make(actor: Actor = SOLE_OWNER) -> PrintScreen:
        events = AppEvents()
        tasks = TaskRunner(events=events)
        widget = PrintScreen(services, tasks, events, actor)
        tasks.setParent(widget)
        events.setParent(widget)
        runners.append(tasks)
        qtbot.addWidget(widget)
        widget.resize(1200, 800)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    yield make
    for tasks in runners:
        tasks.wait(15_000)
    qtbot.wait(50)  # deliver the last results while the screens still exist


@pytest.fixture
def screen(make_screen: Callable[[Actor], PrintScreen]) -> PrintScreen:
    return make_screen(SOLE_OWNER)


def _wait_for_payloads(qtbot: QtBot, screen: PrintScreen, expected: list[str]) -> None:
    qtbot.waitUntil(
        lambda: screen.document is not None and list(screen.document.payloads) == expected,
        timeout=10_000,
    )


def test_the_preview_shows_todays_patients_cards(
    services: Services,
    make_screen: Callable[[Actor], PrintScreen],
    qtbot: QtBot,
    qapp: QApplication,
) -> None:
    tom = _patient(services, "Tom", "Baker", "+447400100001", seen_today=True)
    _patient(services, "Ann", "Other", "+447400100002", seen_today=False)
    built_on: list[bool] = []
    original = PrintScreen.build

    def spy(self: PrintScreen, *args: object, **kwargs: object) -> object:
        built_on.append(QThread.currentThread() is qapp.thread())
        return original(self, *args, **kwargs)

    PrintScreen.build = spy  # type: ignore[method-assign]
    try:
        screen = make_screen(SOLE_OWNER)
        _wait_for_payloads(qtbot, screen, [f"{BOOK}?ref={tom[1]}"])
    finally:
        PrintScreen.build = original  # type: ignore[method-assign]
    assert (
        screen.findChild(type(screen.picker.today_count), "todayCount").text()
        == "1 person seen today"
    )
    qtbot.waitUntil(lambda: screen.preview.view.image is not None, timeout=5000)
    assert screen.preview.label.text() == "Page 1 of 1"
    assert screen.print_button.isEnabled()
    assert built_on and not any(built_on), "documents must be built off the GUI thread"


def test_with_nobody_seen_today_the_preview_is_a_sample_and_nothing_prints(
    screen: PrintScreen, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: screen.document is not None, timeout=10_000)
    assert screen.document.title == "Sample referral cards"
    assert "Sample" in screen.preview.view.banner
    for button in (screen.print_button, screen.pdf_button, screen.png_button):
        assert not button.isEnabled()
    assert screen.print_button.toolTip() == "Choose patients first"


def test_search_adds_a_chosen_patient_and_the_preview_follows(
    services: Services, screen: PrintScreen, qtbot: QtBot
) -> None:
    zoe = _patient(services, "Zoë", "Okafor", "+447400100003", seen_today=False)
    screen.picker.chosen_button.click()
    qtbot.keyClicks(screen.picker.search, "Okafor")
    qtbot.waitUntil(
        lambda: (
            screen.picker.results.count() > 0
            and screen.picker.results.item(0).text().startswith("Zoë")
        ),
        timeout=5000,
    )
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Return)
    assert [p.id for p in screen.picker.model.people()] == [zoe[0]]
    _wait_for_payloads(qtbot, screen, [f"{BOOK}?ref={zoe[1]}"])
    screen.picker.table.selectRow(0)
    qtbot.keyClick(screen.picker.table, Qt.Key.Key_Delete)
    assert screen.picker.model.rowCount() == 0


def test_save_pdf_writes_cards_that_scan(
    services: Services, screen: PrintScreen, qtbot: QtBot, tmp_path: Path
) -> None:
    people = [
        _patient(services, f"P{i}", "Seen", f"+4474001002{i:02d}", seen_today=True)
        for i in range(12)
    ]
    screen.picker.refresh_today()
    screen.gallery.select("cards+aftercare")
    screen.paper.setCurrentIndex(1)  # US Letter
    _wait_for_payloads(qtbot, screen, [f"{BOOK}?ref={code}" for _id, code in people])
    with qtbot.waitSignal(screen.saved, timeout=15_000) as saved:
        screen.save_to(tmp_path / "cards.pdf")
    assert saved.args[0] == [tmp_path / "cards.pdf"]
    pages = decode_pdf(tmp_path / "cards.pdf")
    assert len(pages) == 4  # two sheets, each followed by its backs
    assert sorted(d.text for page in pages for d in page) == sorted(
        f"{BOOK}?ref={c}" for _i, c in people
    )
    assert "Saved cards.pdf" in screen.status.text()


def test_saving_a_poster_records_its_source_and_the_png_scans(
    services: Services, screen: PrintScreen, qtbot: QtBot, tmp_path: Path
) -> None:
    screen.gallery.select("poster:medspa")
    screen.paper.setCurrentIndex(2)  # A5 is offered for posters
    screen.source.setCurrentText("Mirror upstairs")
    _wait_for_payloads(qtbot, screen, [f"{BOOK}?src=mirror-upstairs"])
    with qtbot.waitSignal(screen.saved, timeout=15_000):
        screen.save_to(tmp_path / "poster.png")
    from PIL import Image

    with Image.open(tmp_path / "poster.png") as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert [d.text for d in decode_image(image.copy(), 300)] == [f"{BOOK}?src=mirror-upstairs"]
    with services.ctx.db.read() as session:
        assert session.scalars(select(Poster.source_tag)).all() == ["mirror-upstairs"]


def test_printing_paints_the_prepared_document_on_the_gui_thread(
    services: Services, screen: PrintScreen, qtbot: QtBot, tmp_path: Path
) -> None:
    tom = _patient(services, "Tom", "Baker", "+447400100001", seen_today=True)
    screen.picker.refresh_today()
    _wait_for_payloads(qtbot, screen, [f"{BOOK}?ref={tom[1]}"])
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(screen.printed, timeout=15_000) as printed:
        screen.print_to(printer)
    assert printed.args == [1]
    assert [d.text for d in decode_pdf(tmp_path / "printed.pdf")[0]] == [f"{BOOK}?ref={tom[1]}"]
    assert "Sent 1 page" in screen.status.text()


def test_a5_is_only_offered_for_posters(screen: PrintScreen) -> None:
    a5 = screen.paper.model().item(2)
    assert screen.paper.itemData(2) == Paper.A5
    assert not a5.isEnabled()
    screen.gallery.select("poster:physio")
    assert a5.isEnabled()
    screen.paper.setCurrentIndex(2)
    screen.gallery.select("cards")
    assert screen.paper.currentIndex() == 0 and not a5.isEnabled()


def test_a_receptionist_cannot_change_the_logo(make_screen: Callable[[Actor], PrintScreen]) -> None:
    widget = make_screen(Actor("Anna", "receptionist"))
    assert not widget.logo_button.isEnabled()
    assert "Only an owner" in widget.logo_button.toolTip()


def test_the_owner_sets_a_logo_from_a_file(
    services: Services, screen: PrintScreen, qtbot: QtBot, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
        '<rect width="4" height="4"/></svg>'
    )
    screen.set_logo_from(logo)
    qtbot.waitUntil(lambda: "Logo saved" in screen.status.text(), timeout=5000)
    assert services.printing.logo() is not None
    screen.set_logo_from(tmp_path / "missing.png")
    qtbot.waitUntil(lambda: "Couldn't" in screen.status.text(), timeout=5000)


def test_chosen_patients_model_is_a_well_behaved_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.services.records.dto import PatientRef

    model = ChosenPatientsModel()
    model.add(PatientRef(1, "Tom Baker", "+447400100001", None, "TOM-CDK0"))
    model.add(PatientRef(2, "Zoë Ng", None, None, None))
    assert not model.add(PatientRef(1, "Tom Baker", None, None, "TOM-CDK0"))
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == "—"
    model.remove_rows([0])
    assert model.rowCount() == 1
    qtmodeltester.check(model)
