"""A real crash (the process dies mid-write) leaves the database as it was, and healthy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade
from tests.conftest import TEST_NOW
from tests.dataio.patient_lists import patient_rows, write_csv

CRASHING_IMPORT = textwrap.dedent(
    """
    import os, sys
    from frontdesk.domain.clock import SystemClock
    from frontdesk.services.dataio import patient_import
    from frontdesk.services.bootstrap import open_services
    from frontdesk.services.records.context import SOLE_OWNER

    patient_import.BATCH = 500
    services = open_services(sys.argv[1], None, SystemClock())

    def progress(stage, done, total):
        if stage == "writing" and done >= 1500:
            os._exit(9)  # no cleanup, no rollback: the power went

    services.imports.run(SOLE_OWNER, sys.argv[2], progress=progress)
    """
)


def test_a_process_killed_mid_import_leaves_no_patients(tmp_path: Path) -> None:
    db_file = tmp_path / "clinic.sqlite3"
    db = open_database(str(db_file))
    upgrade(db)
    services = build_services(ServiceContext(db=db, clock=FixedClock(TEST_NOW)))
    services.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    db.dispose()
    csv_file = write_csv(tmp_path / "list.csv", patient_rows(3000, seed=4))

    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_IMPORT, str(db_file), str(csv_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == 9, crashed.stderr

    with sqlite3.connect(db_file) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM patient").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM referral_code").fetchone()[0] == 0
        indexes = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='patient'"
            )
        }
    assert "ix_patient_phone_rev" in indexes  # the dropped-for-speed indexes are back

    db = open_database(str(db_file))
    services = build_services(ServiceContext(db=db, clock=FixedClock(TEST_NOW)))
    assert services.imports.run(SOLE_OWNER, csv_file).created == 3000
    db.dispose()
