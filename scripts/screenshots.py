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
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Screenshots never touch the real keyring: an empty in-memory one (SMS not yet connected).
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyrings.MemoryKeyring"

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import build_services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.screens.settings.sms_page import SmsSettingsPage


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


def _messages(window: MainWindow):  # type: ignore[no-untyped-def]
    window.show_screen("messages")
    screen = window.screens["messages"]
    settle(600)
    return screen


def shot_messages_outbox(window: MainWindow, out: Path) -> None:
    screen = _messages(window)
    screen.tabs.setCurrentIndex(0)
    table = screen.outbox.table
    for row in range(table.model().rowCount()):
        if "not" in str(table.model().index(row, 6).data()).lower():
            table.selectRow(row)
            break
    else:
        table.selectRow(0)
    settle(300)
    window.grab().save(str(out / "messages_outbox.png"))


def shot_messages_inbox(window: MainWindow, out: Path) -> None:
    screen = _messages(window)
    screen.tabs.setCurrentIndex(1)
    settle(300)
    screen.inbox.table.selectRow(0)
    settle(300)
    window.grab().save(str(out / "messages_inbox.png"))


def shot_messages_templates(window: MainWindow, out: Path) -> None:
    screen = _messages(window)
    screen.tabs.setCurrentIndex(2)
    tab = screen.templates
    tab.kinds.setCurrentRow(0)
    settle(300)
    tab.editor.setPlainText(tab.editor.toPlainText() + " 😊")
    settle(300)
    window.grab().save(str(out / "messages_templates.png"))


def shot_messages_settings_sms(window: MainWindow, out: Path) -> None:
    window.show_screen("settings")
    settings = window.screens["settings"]
    settings.pages.setCurrentRow(settings.pages.count() - 1)  # the SMS page
    page = settings.findChild(SmsSettingsPage)
    page.account_sid.setText("AC3f5e0c9a1b2d4e6f8a0b1c2d3e4f5a6b")
    page.secret.setText("not-a-real-token-000000000000000")
    page.from_number.setText("+44 7911 123001")
    settle(400)
    window.grab().save(str(out / "messages_settings_sms.png"))
    settings.pages.setCurrentRow(0)


def shot_reports(window: MainWindow, out: Path) -> None:
    window.show_screen("reports")
    screen = window.screens["reports"]
    for _ in range(60):  # the report loads off the GUI thread
        settle(250)
        if getattr(screen, "report", None) is not None:
            break
    settle(600)
    window.grab().save(str(out / "reports.png"))


def shot_settings(window: MainWindow, out: Path) -> None:
    window.show_screen("settings")
    settle(500)
    window.grab().save(str(out / "settings.png"))
    window.show_screen("checkin")


def _late_attach_example(window: MainWindow) -> tuple[int, str]:
    """A patient who came recently with no referrer on file, and an older patient's name."""
    from sqlalchemy import func, select

    from frontdesk.store.models import Patient, Referral, Visit

    now = window.services.ctx.clock.now()
    with window.services.ctx.db.read() as session:
        first_visits = (
            select(Visit.patient_id, func.min(Visit.at).label("first"))
            .where(Visit.status == "attended")
            .group_by(Visit.patient_id)
            .subquery()
        )
        referee = session.execute(
            select(Patient.id, Patient.created_at)
            .join(first_visits, first_visits.c.patient_id == Patient.id)
            .where(
                first_visits.c.first > now - timedelta(days=12),
                ~Patient.id.in_(select(Referral.referee_id).where(Referral.referee_id.isnot(None))),
            )
            .order_by(Patient.id)
            .limit(1)
        ).one()
        referrer = (
            session.execute(
                select(Patient.first_name, Patient.last_name)
                .where(Patient.created_at < referee.created_at, Patient.last_name == "Connolly")
                .order_by(Patient.id)
                .limit(1)
            ).first()
            or session.execute(
                select(Patient.first_name, Patient.last_name).order_by(Patient.id).limit(1)
            ).one()
        )
    return referee.id, f"{referrer.first_name} {referrer.last_name[:3]}"


def shot_checkin(window: MainWindow, out: Path) -> None:
    """The check-in screen with a forgotten referrer being attached on the card."""
    from frontdesk.ui.screens.checkin.screen import CheckinScreen

    screen = window.screens["checkin"]
    assert isinstance(screen, CheckinScreen)
    window.show_screen("checkin")
    referee_id, referrer_query = _late_attach_example(window)
    window.events.patient_opened.emit(referee_id)
    settle(800)
    screen.card.attach_button.click()
    settle(200)
    box = screen.attach_panel.referrer.search.box
    QTest.keyClicks(box, referrer_query)
    settle(900)
    QTest.keyClick(box, Qt.Key.Key_Return)  # the top hit becomes the chosen referrer
    settle(200)
    QTest.keyClicks(screen.attach_panel.reason, "Forgot to give her code at the first visit")
    settle(200)
    window.grab().save(str(out / "checkin.png"))


def shot_new_patient(window: MainWindow, out: Path) -> None:
    """The new-patient form refusing a self-referral inline, under “Referred by?”."""
    from frontdesk.ui.screens.checkin.screen import CheckinScreen

    screen = window.screens["checkin"]
    assert isinstance(screen, CheckinScreen)
    screen.new_patient()
    settle(200)
    form = screen.form
    _referee, referrer_query = _late_attach_example(window)
    hit = window.services.lookup.lookup(referrer_query).hits[0]
    first, last = hit.patient.name.split(" ", 1)
    QTest.keyClicks(form.first, first)
    QTest.keyClicks(form.last, last)
    QTest.keyClicks(form.phone, hit.patient.phone or "")
    form.consent.setChecked(True)
    form.referrer.choose(hit)
    form.submit()
    settle(900)
    window.grab().save(str(out / "checkin_new_patient.png"))
    form.reset()
    screen._close_form()


SHOTS: dict[str, Callable[[MainWindow, Path], None]] = {
    "checkin_new_patient": shot_new_patient,
    "main_window": shot_main_window,
    "checkin": shot_checkin,
    "settings": shot_settings,
    "messages_outbox": shot_messages_outbox,
    "messages_inbox": shot_messages_inbox,
    "messages_templates": shot_messages_templates,
    "messages_settings_sms": shot_messages_settings_sms,
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
