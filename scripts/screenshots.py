"""Render README screenshots from a fresh demo clinic (offscreen, or under Xvfb).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs/images]

Each shot is a function taking the window; add one when a screen changes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtTest import QTest

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import build_services
from frontdesk.services.context import SOLE_OWNER, ServiceContext
from frontdesk.services.demo import DemoService
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade
from ui.app import build_window, create_application
from ui.main_window import MainWindow


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shot_main_window(window: MainWindow, out: Path) -> None:
    QTest.keyClicks(window.search.box, "kat")
    settle(700)
    window.grab().save(str(out / "main_window.png"))
    window.search.popup.hide()
    window.search.box.clear()


def shot_reports(window: MainWindow, out: Path) -> None:
    window.show_screen("reports")
    screen = window.screens["reports"]
    for _ in range(60):  # the report loads off the GUI thread
        settle(250)
        if getattr(screen, "report", None) is not None:
            break
    settle(600)
    window.grab().save(str(out / "reports.png"))


SHOTS: dict[str, Callable[[MainWindow, Path], None]] = {
    "main_window": shot_main_window,
    "reports": shot_reports,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/images")
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["FRONTDESK_HOME"] = home
        db = open_database(str(Path(home) / "demo.sqlite3"))
        upgrade(db)
        clock = FixedClock(datetime.now(UTC))
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
        window.search.focus()
        settle()
        for name, shot in SHOTS.items():
            if not args.only or name in args.only:
                shot(window, out)
        window.close()
        QCoreApplication.processEvents()
        db.dispose()
        del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
