"""Render the referral program's README screenshots from a fresh demo clinic (offscreen).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_referrals.py [--out docs/images]

Writes referrals.png (the list with its badges, filters and a referral's history),
review_queue.png (one flag, the two people side by side) and rewards.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import build_services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.screens.referrals.screen import ReferralsScreen
from frontdesk.ui.screens.rewards.screen import RewardsScreen
from frontdesk.ui.widgets.row_model import ROW_ROLE


def settle(window: MainWindow, ms: int = 500) -> None:
    window.tasks.wait(10_000)
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    window.tasks.wait(10_000)


def shoot(window: MainWindow, out: Path) -> None:
    window.show_screen("referrals")
    screen = window.screens["referrals"]
    assert isinstance(screen, ReferralsScreen)
    settle(window)
    # A rewarded referral with a full history in the side panel.
    for row in range(screen.proxy.rowCount()):
        referral = screen.proxy.index(row, 0).data(ROW_ROLE)
        if referral.status == "rewarded" and referral.referrer:
            screen.table.selectRow(row)
            break
    settle(window)
    window.grab().save(str(out / "referrals.png"))
    screen.tabs.setCurrentIndex(1)
    settle(window)
    window.grab().save(str(out / "review_queue.png"))
    screen.tabs.setCurrentIndex(0)
    window.show_screen("rewards")
    rewards = window.screens["rewards"]
    assert isinstance(rewards, RewardsScreen)
    settle(window)
    rewards.balance_table.selectRow(0)
    settle(window)
    window.grab().save(str(out / "rewards.png"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/images")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        os.environ["FRONTDESK_HOME"] = home
        db = open_database(str(Path(home) / "demo.sqlite3"))
        upgrade(db)
        clock = FixedClock(datetime(2026, 11, 25, 10, 30, tzinfo=UTC))
        services = build_services(ServiceContext(db=db, clock=clock))
        services.clinic.init(
            SOLE_OWNER,
            name="Harbour Physio",
            country="GB",
            booking_url="https://harbourphysio.example/book",
        )
        DemoService(services.ctx).generate(SOLE_OWNER, patients=2000, seed=7)
        app = create_application([])
        window = build_window(services)
        window.resize(1360, 820)
        window.show()
        settle(window)
        shoot(window, out)
        window.tasks.wait(10_000)
        window.close()
        QCoreApplication.processEvents()
        db.dispose()
        del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
