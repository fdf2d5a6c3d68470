"""At start the app checks the database off the GUI thread, then keeps a daily backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.dataio.backups import BackupService
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import Database
from frontdesk.ui.startup_checks import StartupChecks
from frontdesk.ui.tasks import TaskRunner
from tests.dataio.patient_lists import patient_rows, write_csv
from tests.dataio.test_backups import _damage


@pytest.fixture
def services(sqlite_db: Database, clock: FixedClock, tmp_path: Path) -> Services:
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    object.__setattr__(built, "backups", BackupService(built.ctx, tmp_path / "backups"))
    built.imports.run(SOLE_OWNER, write_csv(tmp_path / "l.csv", patient_rows(300, seed=2)))
    return built


def test_a_healthy_database_gets_its_daily_backup(services: Services, qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    checks = StartupChecks(services.backups, TaskRunner(window), window)
    with qtbot.waitSignal(checks.backed_up, timeout=20_000) as signal:
        checks.start()
    assert checks.report is not None and checks.report.ok
    assert signal.args[0].kind == "auto" and Path(signal.args[0].path).exists()


def test_a_damaged_database_is_reported_and_not_backed_up(
    services: Services, qtbot: QtBot, db_path: Path
) -> None:
    services.backups.auto_backup()
    services.ctx.db.dispose()
    _damage(db_path)
    window = QWidget()
    qtbot.addWidget(window)
    checks = StartupChecks(services.backups, TaskRunner(window), window)
    with qtbot.waitSignal(checks.damaged, timeout=20_000) as signal:
        checks.start()
    assert f"The database file {db_path} is damaged" in signal.args[0].message
    box = window.findChild(QMessageBox, "integrityWarning")
    assert box is not None and "Settings → Backups" in box.text()
    assert len(services.backups.list()) == 1  # no damaged copy pushed out the good one
    # Read-only from now on: the desk's next write is refused with the same words.
    assert services.ctx.db.read_only_reason == signal.args[0].message
    box.close()
