"""Settings → Data and backups, and the import wizard, driven like a person would."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from frontdesk.services.bundle import Services
from frontdesk.services.dataio.backups import BackupService
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.store import bulk
from frontdesk.store.models import Patient
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.settings.data_page import DataSettingsPage
from frontdesk.ui.tasks import TaskRunner
from tests.dataio.exports_shaped import square
from tests.dataio.patient_lists import patient_rows, write_csv

LIST = (
    "First Name,Last Name,Mobile,Email\n"
    "Sarah,Connolly,07400 123456,sarah@example.org\n"
    ",Baker,07400 123457,\n"
    "Zoë,O'Brien,07400 123458,zoe@example.org\n"
)


@pytest.fixture
def services(sqlite_db, clock, tmp_path: Path) -> Services:  # type: ignore[no-untyped-def]
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import ServiceContext

    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    object.__setattr__(built, "backups", BackupService(built.ctx, tmp_path / "backups"))
    return built


def _page(services: Services, qtbot: QtBot, actor: Actor = SOLE_OWNER) -> DataSettingsPage:
    events = AppEvents()
    page = DataSettingsPage(services, TaskRunner(events=events), events, actor, "Europe/London")
    page.events = events
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.health.text() != "Checking the database…")
    return page


def _patients(services: Services) -> int:
    with services.ctx.db.read() as session:
        return int(session.scalar(select(func.count(Patient.id))) or 0)


def test_back_up_now_and_restore_from_the_list(
    services: Services, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.imports.run(SOLE_OWNER, write_csv(tmp_path / "a.csv", patient_rows(20, seed=1)))
    page = _page(services, qtbot)
    assert page.health.text().startswith("✓ The database is healthy.")
    QTest.mouseClick(page.findChild(QPushButton, "backUpNow"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, 1).data() == "Manual"
    services.imports.run(SOLE_OWNER, write_csv(tmp_path / "b.csv", patient_rows(10, seed=9)))
    grown = _patients(services)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.events.patients_changed, timeout=20_000):
        QTest.mouseClick(page.findChild(QPushButton, "restoreSelected"), Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("Restored the backup (20 patients).")
    assert _patients(services) == 20 < grown
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)  # plus the copy kept before restoring
    assert {page.model.index(r, 1).data() for r in range(2)} == {"Manual", "Before a restore"}


def test_the_backup_list_is_a_well_behaved_model(
    services: Services, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    services.backups.back_up(SOLE_OWNER)
    page = _page(services, qtbot)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    qtmodeltester.check(page.model)


def test_a_receptionist_sees_the_owner_actions_disabled(services: Services, qtbot: QtBot) -> None:
    page = _page(services, qtbot, Actor(name="Anna", role="receptionist"))
    for name in ("backUpNow", "restoreSelected", "importPatients", "exportPatients"):
        button = page.findChild(QPushButton, name)
        assert button is not None and not button.isEnabled(), name
        assert button.toolTip() == "Only an owner can do this."


def test_export_from_the_page(services: Services, qtbot: QtBot, tmp_path: Path) -> None:
    services.imports.run(SOLE_OWNER, write_csv(tmp_path / "a.csv", patient_rows(5, seed=1)))
    page = _page(services, qtbot)
    page.export("patients", tmp_path / "merge.csv")
    qtbot.waitUntil(lambda: page.status.text().startswith("Exported 5 rows"))
    assert (tmp_path / "merge.csv").read_text("utf-8-sig").count("\n") == 6


def test_the_import_wizard_from_file_to_imported(
    services: Services, qtbot: QtBot, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    page = _page(services, qtbot)
    wizard = page.open_import()
    wizard.file_page.file.setText(str(source))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    assert [c.currentData() for c in wizard.mapping_page.combos] == [
        "first_name",
        "last_name",
        "phone",
        "email",
    ]
    assert "3 rows, UTF-8, comma-separated" in wizard.mapping_page.subTitle()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)
    preview = wizard.preview_page
    assert preview.problems.rowCount() == 1
    assert preview.problems.index(0, 2).data() == "No first name (last name 'Baker')."
    assert preview.summary.text().startswith("<b>2 new patients</b> will be added")
    for model in (preview.problems, preview.duplicates, preview.warnings):
        qtmodeltester.check(model)
    with qtbot.waitSignal(page.events.patients_changed, timeout=20_000):
        wizard.next()
    run = wizard.run_page
    assert run.done_label.text().startswith("Imported 2 new patients in ")
    assert _patients(services) == 2


def test_cancelling_an_import_leaves_nothing(
    services: Services, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_csv(tmp_path / "big.csv", patient_rows(400, seed=5))
    reached, go_on = threading.Event(), threading.Event()
    real = bulk.insert_rows

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        reached.set()
        go_on.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk, "insert_rows", held)
    page = _page(services, qtbot)
    wizard = page.open_import()
    wizard.file_page.file.setText(str(source))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)
    wizard.next()
    qtbot.waitUntil(reached.is_set)
    QTest.mouseClick(wizard.run_page.cancel, Qt.MouseButton.LeftButton)
    go_on.set()
    qtbot.waitUntil(lambda: "Import cancelled" in wizard.run_page.message.text())
    assert wizard.run_page.message.text() == "Import cancelled. Nothing was imported."
    assert wizard.result is None and _patients(services) == 0


def test_the_wizard_recognises_an_export_and_merges_the_same_person_twice(
    services: Services, qtbot: QtBot, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    source = square(tmp_path / "customers.csv")
    page = _page(services, qtbot)
    wizard = page.open_import()
    wizard.file_page.file.setText(str(source))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    mapping = wizard.mapping_page
    assert mapping.detected.text() == "Looks like a Square customers export."
    assert "column names on line 2" in mapping.subTitle()
    assert mapping.encoding.currentData() == "utf-8"
    assert mapping.combos[7].currentData() == "address"  # Street Address 1
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)
    preview = wizard.preview_page
    assert preview.tabs.tabText(3) == "Same person twice (1)"
    assert preview.merged.index(0, 0).data() == "5"
    qtmodeltester.check(preview.merged)
    assert "1 row merged (same person twice)" in preview.summary.text()
    with qtbot.waitSignal(page.events.patients_changed, timeout=20_000):
        wizard.next()
    assert wizard.run_page.done_label.text().startswith("Imported 3 new patients in ")


def test_the_wizard_reads_the_file_again_in_the_encoding_chosen(
    services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    source = tmp_path / "list.csv"
    source.write_bytes("First Name,Last Name,Mobile\nŁukasz,Piątek,07400 111001\n".encode("cp1250"))
    page = _page(services, qtbot)
    wizard = page.open_import()
    wizard.file_page.file.setText(str(source))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    mapping = wizard.mapping_page
    assert mapping.encoding.currentData() == "cp1250"
    assert mapping.table.item(0, 1).text() == "Łukasz"
    mapping.encoding.setCurrentIndex(mapping.encoding.findData("cp1252"))
    mapping.encoding.activated.emit(mapping.encoding.currentIndex())
    qtbot.waitUntil(lambda: mapping.table.item(0, 1).text() == "£ukasz")
    assert "Windows-1252 (Western Europe)" in mapping.subTitle()
    mapping.encoding.setCurrentIndex(mapping.encoding.findData("cp1250"))
    mapping.encoding.activated.emit(mapping.encoding.currentIndex())
    qtbot.waitUntil(lambda: mapping.table.item(0, 1).text() == "Łukasz")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)
    with qtbot.waitSignal(page.events.patients_changed, timeout=20_000):
        wizard.next()
    assert services.lookup.lookup("07400 111001").hits[0].patient.name == "Łukasz Piątek"
