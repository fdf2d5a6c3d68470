"""Composition root of the desktop app: builds the database, services and window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from frontdesk.config import app_paths, database_url
from frontdesk.domain.clock import SystemClock
from frontdesk.domain.errors import FrontdeskError
from frontdesk.resources import resource_path
from frontdesk.services.bootstrap import open_services as open_migrated
from frontdesk.services.bundle import Services
from frontdesk.services.context import Actor
from frontdesk.services.dto import ClinicInfo
from frontdesk.sms.connectivity import is_online
from ui.connectivity import ConnectivityMonitor
from ui.events import AppEvents
from ui.first_run import FirstRunDialog
from ui.main_window import MainWindow
from ui.screens.checkin import CheckinScreen
from ui.screens.messages.screen import MessagesScreen
from ui.screens.patients import PatientsScreen
from ui.screens.print_screen import PrintScreen
from ui.screens.referrals import ReferralsScreen
from ui.screens.reward_program import RewardProgramPage
from ui.screens.rewards import RewardsScreen
from ui.screens.settings import ClinicSettingsPage, SettingsScreen
from ui.screens.settings_sms import SmsSettingsPage
from ui.sync_worker import SyncWorker
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv or sys.argv))
    assert isinstance(app, QApplication)
    QCoreApplication.setOrganizationName("Frontdesk")
    QCoreApplication.setApplicationName("Frontdesk")
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    return app


def open_services(db: str | None = None) -> Services:
    paths = app_paths()
    return open_migrated(database_url(db, paths), paths.backups, SystemClock())


def build_screens(
    services: Services,
    tasks: TaskRunner,
    events: AppEvents,
    actor: Actor,
    clinic: ClinicInfo,
    sync: SyncWorker | None = None,
) -> dict[str, QWidget]:
    """Each navigation key's screen; a key left out shows what is planned for it."""
    settings = SettingsScreen()
    settings.add_page("Clinic", ClinicSettingsPage(services, tasks, events, actor))
    settings.add_page("Rewards program", RewardProgramPage(services, tasks, events, actor))
    settings.add_page("SMS", SmsSettingsPage(services, tasks, events, actor))
    return {
        "checkin": CheckinScreen(services, tasks, events, actor, clinic),
        "patients": PatientsScreen(services, tasks, events, clinic.country),
        "messages": MessagesScreen(services, tasks, events, actor, sync),
        "print": PrintScreen(services, tasks, events, actor),
        "settings": settings,
        "referrals": ReferralsScreen(services, tasks, events, actor),
        "rewards": RewardsScreen(services, tasks, events, actor),
    }


def build_window(services: Services) -> MainWindow:
    tasks = TaskRunner()
    events = AppEvents()
    actor = services.staff.sign_in(None, None) if not services.staff.has_accounts() else None
    if actor is None:
        # Staff sign-in arrives with the staff screen; until then the owner acts.
        from frontdesk.services.context import SOLE_OWNER

        actor = SOLE_OWNER
    preferences = QSettings(str(app_paths().home / "desk.ini"), QSettings.Format.IniFormat)
    clinic = services.clinic.info()
    sync = SyncWorker(services.sms.sync_once, events)
    screens = build_screens(services, tasks, events, actor, clinic, sync)
    window = MainWindow(
        services, tasks, events, actor, clinic, screens=screens, preferences=preferences
    )
    patients = screens["patients"]
    assert isinstance(patients, PatientsScreen)
    patients.open_requested.connect(
        lambda pid: (window.show_screen("checkin"), events.patient_opened.emit(pid))
    )
    tasks.setParent(window)
    events.setParent(window)
    sync.setParent(window)
    window.sync_worker = sync
    messages = screens["messages"]
    assert isinstance(messages, MessagesScreen)
    window.status.loaded.connect(messages.show_status)
    window.connectivity = ConnectivityMonitor(is_online, tasks, events, window)
    return window


def main(db: str | None = None, argv: Sequence[str] | None = None) -> int:
    app = create_application(argv)
    try:
        services = open_services(db)
        if not services.clinic.is_initialised() and not FirstRunDialog.run(services):
            return 0
        window = build_window(services)
    except FrontdeskError as error:
        QMessageBox.critical(None, "Frontdesk", error.message)
        return error.exit_code
    window.show()
    window.search.focus()
    if window.connectivity:
        window.connectivity.start()
    if window.sync_worker:
        window.sync_worker.start()
    return app.exec()
