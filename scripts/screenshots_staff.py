"""README screenshots of the sign-in screen, Settings → Staff and Settings → Audit log.

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_staff.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyrings.MemoryKeyring"

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtTest import QTest

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import PermissionDeniedError
from frontdesk.services.bundle import build_services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade
from frontdesk.ui.app import build_window, create_application


def settle(ms: int = 500) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/images")
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["FRONTDESK_HOME"] = home
        db = open_database(str(Path(home) / "demo.sqlite3"))
        upgrade(db)
        services = build_services(ServiceContext(db=db, clock=FixedClock(datetime.now(UTC))))
        services.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
        DemoService(services.ctx).generate(SOLE_OWNER, patients=300, seed=7)
        owner = services.staff.add(SOLE_OWNER, "Sam Whitaker", "owner", "1234")
        services.staff.add(owner, "Anna Lopez", "receptionist", "5678")
        services.staff.add(owner, "Priya Shah", "receptionist", "2468")
        services.staff.disable(owner, "Priya Shah")
        services.clinic.set_setting(owner, "security.idle_lock_minutes", "5")
        with contextlib.suppress(PermissionDeniedError):  # a failed sign-in for the audit log
            services.staff.sign_in("Anna Lopez", "0000")
        app = create_application([])
        window = build_window(services)
        window.resize(1360, 820)
        window.show()
        settle()
        lock = window.desk_lock
        assert lock is not None
        lock.screen.names.setCurrentRow(1)
        QTest.keyClicks(lock.screen.pin, "56")
        settle(200)
        window.grab().save(str(out / "sign_in.png"))
        lock.screen.names.setCurrentRow(0)
        lock.screen.pin.setText("1234")
        lock.screen.submit()
        settle(900)
        window.show_screen("settings")
        screen = window.screens["settings"]
        pages = screen.pages  # type: ignore[attr-defined]
        for row in range(pages.count()):
            if pages.item(row).text() == "Staff":
                pages.setCurrentRow(row)
        settle(600)
        window.grab().save(str(out / "staff.png"))
        for row in range(pages.count()):
            if pages.item(row).text() == "Audit log":
                pages.setCurrentRow(row)
        settle(900)
        window.grab().save(str(out / "audit_log.png"))
        window.close()
        QCoreApplication.processEvents()
        db.dispose()
        del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
