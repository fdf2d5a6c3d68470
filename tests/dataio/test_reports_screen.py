"""The Reports screen on a clinic with known figures: tiles, charts, tables, click-through."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from frontdesk.services.bundle import Services
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.reports.drilldown import DrillDownDialog
from frontdesk.ui.screens.reports.screen import ReportsScreen
from frontdesk.ui.tasks import TaskRunner
from tests.dataio import report_data


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import SOLE_OWNER, ServiceContext

    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    with built.ctx.db.begin() as session:
        report_data.build(session)
    return built


@pytest.fixture
def screen(services: Services, qtbot: QtBot) -> ReportsScreen:
    events = AppEvents()
    widget = ReportsScreen(services, TaskRunner(events=events), events)
    widget.events = events  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    assert widget.report is None, "the report loads off the GUI thread, after show"
    qtbot.waitUntil(lambda: widget.report is not None, timeout=20_000)
    return widget


def test_this_month_to_date_against_the_same_days_last_month(screen: ReportsScreen) -> None:
    assert screen.subtitle.text() == "November 2026 · month to date, compared with 1–25 Oct"
    tile = screen.tiles["introductions"]
    assert tile.objectName() == "introductionsTile"
    assert tile.value.text() == "1" and tile.delta.text() == "▼ 75% vs 1–25 Oct"
    assert screen.tiles["referred_revenue"].value.text() == "£105"
    assert screen.tiles["outstanding_credit"].value.text() == "£5"
    month = screen.findChild(QComboBox, "reportMonth")
    assert month is not None and month.count() == 24
    assert month.itemText(0) == "November 2026 (to date)"


def test_picking_a_month_reloads_everything(screen: ReportsScreen, qtbot: QtBot) -> None:
    month = screen.findChild(QComboBox, "reportMonth")
    assert month is not None
    month.setCurrentIndex(1)
    month.activated.emit(1)
    qtbot.waitUntil(lambda: screen.report is not None and screen.report.month == "2026-10")
    assert screen.tiles["introductions"].value.text() == "4"
    assert screen.tiles["roi"].value.text() == "7.0×"
    assert screen.funnel.values["introductions"] == (4, 0)
    assert screen.trend.months[-1] == "Oct 26"
    top = screen.findChild(QTableView, "topReferrersTable")
    assert top is not None and top.model().rowCount() == 2
    assert top.model().index(0, 0).data() == "Sarah Test"
    wording = screen.findChild(QTableView, "byTemplateTable")
    assert wording is not None and wording.model().index(0, 0).data() == "Friendly ask"
    assert "ROI 7.0×" in screen.roi.text()


def test_every_table_model_is_a_well_behaved_qt_model(
    screen: ReportsScreen, qtmodeltester: ModelTester
) -> None:
    for model in (
        screen.top_model,
        screen.template_model,
        screen.poster_model,
        screen.visit_model,
    ):
        qtmodeltester.check(model)


def test_a_tile_opens_the_rows_behind_it(screen: ReportsScreen, qtbot: QtBot) -> None:
    QTest.mouseClick(screen.tiles["attended"], Qt.MouseButton.LeftButton)
    dialog = screen.findChild(DrillDownDialog, "drillDownDialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.model.index(0, 2).data() == "Anna Test"
    assert dialog.note.text() == "1 in all."
    dialog.close()


def test_changes_elsewhere_refresh_the_figures(screen: ReportsScreen, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: screen.csv_button.isEnabled())
    screen.events.referrals_changed.emit()  # type: ignore[attr-defined]
    assert screen.status.text() == "Loading the figures…"  # a reload has started
    assert not screen.csv_button.isEnabled()
    qtbot.waitUntil(lambda: screen.csv_button.isEnabled())


def test_csv_and_pdf_are_saved_off_the_gui_thread(
    screen: ReportsScreen, qtbot: QtBot, tmp_path: Path
) -> None:
    from frontdesk.ui.render.report_pdf import write_report_pdf
    from frontdesk.ui.screens.reports.screen import _write_csv

    screen.save_to(tmp_path / "r.csv", _write_csv)
    qtbot.waitUntil(lambda: (tmp_path / "r.csv").exists())
    assert "Harbour Physio — referral report" in (tmp_path / "r.csv").read_text("utf-8-sig")
    screen.save_to(tmp_path / "r.pdf", write_report_pdf)
    qtbot.waitUntil(lambda: screen.status.text() == f"Saved {tmp_path / 'r.pdf'}.", timeout=20_000)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
