"""Composition root of the desktop app: the window first, then the clinic's data and screens.

Only Qt and a few light modules are imported before the window shows; the data layer is
imported and the database opened on a worker thread (``frontdesk.ui.desk_loader``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from frontdesk.config import app_paths, database_url, keep_files_private
from frontdesk.domain.errors import FrontdeskError
from frontdesk.logs import install_crash_handler, start_logging
from frontdesk.resource_path import resource_path
from frontdesk.sms.connectivity import is_online
from frontdesk.ui.connectivity import ConnectivityMonitor
from frontdesk.ui.desk_loader import (
    Desk,
    PendingServices,
    could_not_open,
    desk_for,
    idle_minutes,
    load_desk,
)
from frontdesk.ui.events import AppEvents
from frontdesk.ui.main_window import MainWindow, ScreenFactory
from frontdesk.ui.sync_worker import SyncWorker
from frontdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from frontdesk.services.bundle import Services
    from frontdesk.services.records.context import Actor

log = logging.getLogger(__name__)
CLINIC_NAME_KEY = "clinic/name"  # shown in the title while the database opens


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv or sys.argv))
    assert isinstance(app, QApplication)
    QCoreApplication.setOrganizationName("Frontdesk")
    QCoreApplication.setApplicationName("Frontdesk")
    # Worker threads run Python too: hand the interpreter back to the GUI thread within 1 ms
    # (not the default 5 ms) so painting and typing never queue behind a background query.
    sys.setswitchinterval(0.001)
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    return app


def open_services(db: str | None = None) -> Services:
    from frontdesk.domain.clock import SystemClock
    from frontdesk.services.bootstrap import open_services as open_migrated

    paths = app_paths()
    return open_migrated(database_url(db, paths), paths.backups, SystemClock())


def desk_preferences() -> QSettings:
    return QSettings(str(app_paths().home / "desk.ini"), QSettings.Format.IniFormat)


def screen_factories(window: MainWindow, desk: Desk, sync: SyncWorker) -> dict[str, ScreenFactory]:
    """How each navigation key's screen is built (on first show); a key left out shows
    what is planned for it."""
    services, tasks, events, actor = desk.services, window.tasks, window.events, desk.actor
    clinic = desk.clinic
    assert clinic is not None and actor is not None

    def checkin() -> QWidget:
        from frontdesk.ui.screens.checkin.screen import CheckinScreen

        return CheckinScreen(services, tasks, events, actor, clinic)

    def patients() -> QWidget:
        from frontdesk.ui.screens.patients.screen import PatientsScreen

        screen = PatientsScreen(services, tasks, events, clinic.country, clinic.timezone)
        screen.open_requested.connect(
            lambda pid: (window.show_screen("checkin"), events.patient_opened.emit(pid))
        )
        return screen

    def referrals() -> QWidget:
        from frontdesk.ui.screens.referrals.screen import ReferralsScreen

        return ReferralsScreen(services, tasks, events, actor, clinic.timezone)

    def rewards() -> QWidget:
        from frontdesk.ui.screens.rewards.screen import RewardsScreen

        return RewardsScreen(services, tasks, events, actor, clinic.timezone)

    def messages() -> QWidget:
        from frontdesk.ui.screens.messages.screen import MessagesScreen

        screen = MessagesScreen(services, tasks, events, actor, sync, timezone=clinic.timezone)
        window.status.loaded.connect(screen.show_status)
        if window.status.last is not None:
            screen.show_status(window.status.last)
        return screen

    def print_screen() -> QWidget:
        from frontdesk.ui.screens.print.screen import PrintScreen

        return PrintScreen(services, tasks, events, actor)

    def reports() -> QWidget:
        from frontdesk.ui.screens.reports.screen import ReportsScreen

        return ReportsScreen(services, tasks, events)

    def settings() -> QWidget:
        from frontdesk.ui.screens.settings.data_page import DataSettingsPage
        from frontdesk.ui.screens.settings.reward_program_page import RewardProgramPage
        from frontdesk.ui.screens.settings.screen import ClinicSettingsPage, SettingsScreen
        from frontdesk.ui.screens.settings.sms_page import SmsSettingsPage
        from frontdesk.ui.screens.staff.audit_page import AuditPage
        from frontdesk.ui.screens.staff.staff_page import StaffPage

        screen = SettingsScreen()
        screen.add_page("Clinic", ClinicSettingsPage(services, tasks, events, actor))
        screen.add_page("Rewards program", RewardProgramPage(services, tasks, events, actor))
        screen.add_page("SMS", SmsSettingsPage(services, tasks, events, actor))
        screen.add_page(
            "Data and backups", DataSettingsPage(services, tasks, events, actor, clinic.timezone)
        )
        lock = window.desk_lock
        screen.add_page(
            "Staff",
            StaffPage(services, tasks, actor, on_first_account=lock.lock if lock else None),
        )
        screen.add_page("Audit log", AuditPage(services, tasks, actor, clinic.timezone))
        return screen

    return {
        "checkin": checkin,
        "patients": patients,
        "referrals": referrals,
        "rewards": rewards,
        "messages": messages,
        "print": print_screen,
        "reports": reports,
        "settings": settings,
    }


def new_window(pending: PendingServices, database_kind: str, title: str) -> MainWindow:
    """The shell: search box, navigation and status bar, usable before the data is open."""
    events = AppEvents()
    tasks = TaskRunner(events=events)
    window = MainWindow(
        tasks,
        events,
        pending.get,
        title=title,
        database_kind=database_kind,
        preferences=desk_preferences(),
    )
    tasks.setParent(window)
    events.setParent(window)
    return window


def attach_desk(
    window: MainWindow, desk: Desk, idle_clock: Callable[[], float] = time.monotonic
) -> None:
    """Fill the shell in once the clinic is open: screens, background sync, connectivity."""
    from frontdesk.ui.screens.staff.lock import DeskLock

    sync = SyncWorker(desk.services.sms.sync_once, window.events)
    sync.setParent(window)
    window.sync_worker = sync
    clinic = desk.clinic
    assert clinic is not None

    def desk_for_actor(actor: Actor) -> None:
        acting = replace(desk, actor=actor)
        window.attach(desk.services, actor, clinic, screen_factories(window, acting, sync))

    lock = DeskLock(
        window.desk_pages,
        desk.services.staff,
        window.tasks,
        desk_for_actor,
        idle_minutes=desk.idle_lock_minutes,
        clock=idle_clock,
        shortcut_parent=window,
    )
    window.desk_lock = lock
    lock.desk_locked.connect(window.search.popup.hide)  # no patient names over the lock
    window.switch_user.clicked.connect(lock.lock)
    window.events.settings_changed.connect(
        lambda: window.tasks.read(lambda: idle_minutes(desk.services), lock.idle.set_minutes)
    )
    lock.start(desk.actor)
    window.connectivity = ConnectivityMonitor(is_online, window.tasks, window.events, window)
    window.preferences.setValue(CLINIC_NAME_KEY, desk.clinic.name)


def build_window(
    services: Services, idle_clock: Callable[[], float] = time.monotonic
) -> MainWindow:
    """The whole window over services already open (tests, tools, screenshots)."""
    pending = PendingServices()
    pending.set(services)
    window = new_window(pending, services.database_kind, "Frontdesk")
    attach_desk(window, desk_for(services), idle_clock)
    return window


def main(db: str | None = None, argv: Sequence[str] | None = None) -> int:
    keep_files_private()
    app = create_application(argv)
    log_path = start_logging(app_paths().logs)
    install_crash_handler(log_path, lambda words: QMessageBox.critical(None, "Frontdesk", words))
    url = database_url(db, app_paths())
    pending = PendingServices()
    kind = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    title = str(desk_preferences().value(CLINIC_NAME_KEY, "Frontdesk"))
    window = new_window(pending, kind, title)
    window.show()
    window.search.focus()

    def opened(desk: Desk) -> None:
        if not desk.initialised:
            from frontdesk.ui.first_run import FirstRunDialog

            window.hide()
            if not FirstRunDialog.run(desk.services):
                app.exit(0)
                return
            desk = desk_for(desk.services)
            window.show()
        attach_desk(window, desk)
        assert window.connectivity is not None and window.sync_worker is not None
        window.connectivity.start()
        window.sync_worker.start()
        from frontdesk.ui.startup_checks import StartupChecks

        StartupChecks(desk.services.backups, window.tasks, window).start()

    def failed(error: BaseException) -> None:
        if isinstance(error, FrontdeskError):
            QMessageBox.critical(window, "Frontdesk", error.message)
            app.exit(error.exit_code)
            return
        log.exception("could not open the clinic", exc_info=error)
        QMessageBox.critical(window, "Frontdesk", could_not_open(error))
        app.exit(1)

    # Started once the event loop runs, so the window paints before the loader competes with
    # it for the interpreter.
    QTimer.singleShot(
        0,
        lambda: window.tasks.read(
            lambda: load_desk(lambda: open_services(db), pending), opened, failed
        ),
    )
    return app.exec()
