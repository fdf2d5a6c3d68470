"""A database that fails its check at start is opened read-only: the desk can still look
people up, every write is refused with the one message, and a restore makes it writable."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import DatabaseDamagedError
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.dataio.backups import BackupService
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import Database
from tests.dataio.patient_lists import patient_rows, write_csv
from tests.dataio.test_backups import _damage


@pytest.fixture
def services(sqlite_db: Database, clock: FixedClock, tmp_path: Path) -> Services:
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    object.__setattr__(built, "backups", BackupService(built.ctx, tmp_path / "backups"))
    built.imports.run(SOLE_OWNER, write_csv(tmp_path / "l.csv", patient_rows(300, seed=6)))
    return built


def test_writes_are_refused_after_a_failed_check_and_allowed_after_restore(
    services: Services, db_path: Path
) -> None:
    good = services.backups.back_up(SOLE_OWNER)
    services.ctx.db.dispose()
    _damage(db_path)
    report = services.backups.check_integrity()
    assert not report.ok
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    with pytest.raises(DatabaseDamagedError) as refused:
        services.clinic.set_setting(SOLE_OWNER, "sms.quiet_start", "21:00")
    assert refused.value.message == report.message
    assert f"frontdesk restore {good.path}" in refused.value.message
    assert services.ctx.db.read_only_reason == report.message
    with pytest.raises(DatabaseDamagedError):
        services.backups.back_up(SOLE_OWNER)  # no copy of a damaged file is made
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest
    services.backups.restore(SOLE_OWNER, good.path)
    assert services.ctx.db.read_only_reason is None
    assert services.clinic.set_setting(SOLE_OWNER, "sms.quiet_start", "21:00") == "21:00"
