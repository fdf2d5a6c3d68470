"""The window: a top bar with the global search, a navigation rail, screens, a status bar."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.bundle import Services
from frontdesk.services.context import Actor
from frontdesk.services.dto import ClinicInfo, DeskStatus
from ui import icons
from ui.connectivity import ConnectivityMonitor
from ui.events import AppEvents
from ui.screens.placeholder import PlannedScreen
from ui.search import SearchBar
from ui.status_bar import DeskStatusBar
from ui.sync_worker import SyncWorker
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    icon: str
    summary: str


NAV: tuple[NavEntry, ...] = (
    NavEntry(
        "checkin",
        "Check-in",
        "mdi6.account-check-outline",
        "Today's list and the patient card: check in, attach a referral, redeem credit.",
    ),
    NavEntry(
        "patients",
        "Patients",
        "mdi6.account-group-outline",
        "Every patient with their code, consent and visits.",
    ),
    NavEntry(
        "referrals",
        "Referrals",
        "mdi6.account-switch-outline",
        "Who brought whom, with each referral's stage and history.",
    ),
    NavEntry(
        "rewards",
        "Rewards",
        "mdi6.gift-outline",
        "Credit balances, the reward ledger and redemptions at checkout.",
    ),
    NavEntry(
        "messages",
        "Messages",
        "mdi6.message-text-outline",
        "The outbox, replies from patients and the message templates.",
    ),
    NavEntry(
        "print",
        "Print",
        "mdi6.printer-outline",
        "QR posters for treatment rooms and personal referral cards.",
    ),
    NavEntry(
        "reports",
        "Reports",
        "mdi6.chart-box-outline",
        "This month against last: introductions, attended new patients, rewards, ROI.",
    ),
    NavEntry(
        "settings",
        "Settings",
        "mdi6.cog-outline",
        "Clinic, reward program, ask rules, SMS, staff and backups.",
    ),
)


MIN_SIZE = QSize(1024, 640)
DEFAULT_SIZE = QSize(1280, 800)


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        clinic: ClinicInfo,
        screens: dict[str, QWidget] | None = None,
        preferences: QSettings | None = None,
    ) -> None:
        super().__init__()
        # Per-desk UI preferences (window size…); the composition root points this at a file
        # under FRONTDESK_HOME so tests and portable installs never touch the user's registry.
        self.preferences = preferences or QSettings()
        self.setObjectName("mainWindow")
        self.services = services
        self.tasks = tasks
        self.events = events
        self.actor = actor
        self.setWindowTitle(f"{clinic.name} — Frontdesk")

        central = QWidget(self)
        central.setObjectName("central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._top_bar(clinic, central))

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navRail")
        self.nav.setAccessibleName("Navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(184)
        self.stack = QStackedWidget(central)
        self.stack.setObjectName("screens")
        self.screens: dict[str, QWidget] = {}
        for entry in NAV:
            item = QListWidgetItem(icons.icon(entry.icon, color="#344054"), entry.label)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setSizeHint(QSize(170, 44))
            self.nav.addItem(item)
            screen = (screens or {}).get(entry.key) or PlannedScreen(entry.label, entry.summary)
            screen.setObjectName(f"{entry.key}Screen")
            self.screens[entry.key] = screen
            self.stack.addWidget(screen)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.status = DeskStatusBar(
            services.status.desk_status, tasks, services.database_kind, self
        )
        self.setStatusBar(self.status)

        for sequence in ("Ctrl+K", "F2"):
            QShortcut(QKeySequence(sequence), self, activated=self.search.focus)
        self.search.patient_chosen.connect(self._open_patient)
        events.messages_changed.connect(self.status.refresh)
        events.flags_changed.connect(self.status.refresh)
        events.sync_finished.connect(lambda _report: self.status.refresh())
        events.connectivity_changed.connect(self.status.set_online)
        self.status.loaded.connect(self.update_counts)
        self.connectivity: ConnectivityMonitor | None = None
        self.sync_worker: SyncWorker | None = None
        self.status.refresh()
        self._restore_geometry()

    def _top_bar(self, clinic: ClinicInfo, parent: QWidget) -> QWidget:
        bar = QWidget(parent)
        bar.setObjectName("topBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 10, 16, 10)
        logo = QLabel(bar)
        logo.setPixmap(icons.icon("mdi6.heart-pulse", color="#0E7C86").pixmap(26, 26))
        name = QLabel(clinic.name, bar)
        name.setObjectName("clinicName")
        self.search = SearchBar(self.services.lookup.lookup, self.tasks, overlay_parent=self)
        who = QLabel(self.actor.name, bar)
        who.setObjectName("staffName")
        who.setAccessibleName(f"Signed in as {self.actor.name}")
        row.addWidget(logo)
        row.addWidget(name)
        row.addStretch(1)
        row.addWidget(self.search, 2)
        row.addStretch(1)
        row.addWidget(who)
        return bar

    def show_screen(self, key: str) -> None:
        self.nav.setCurrentRow([entry.key for entry in NAV].index(key))

    def _open_patient(self, patient_id: int) -> None:
        self.show_screen("checkin")
        self.events.patient_opened.emit(patient_id)

    def set_nav_count(self, key: str, count: int) -> None:
        row = [entry.key for entry in NAV].index(key)
        label = NAV[row].label
        self.nav.item(row).setText(f"{label}  ({count})" if count else label)

    def update_counts(self, status: DeskStatus) -> None:
        self.set_nav_count("messages", status.unhandled_replies)
        self.set_nav_count("referrals", status.open_flags)

    # -- window size remembered -------------------------------------------------------------
    def _restore_geometry(self) -> None:
        minimum, default = self._sizes_for_screen()
        self.setMinimumSize(minimum)
        geometry = self.preferences.value("mainWindow/geometry")
        restored = geometry is not None and self.restoreGeometry(geometry)
        # A geometry saved on a larger or since-removed screen can come back tiny or
        # off-screen: fall back to a comfortable default rather than a cramped window.
        if not restored or self.width() < minimum.width() or self.height() < minimum.height():
            self.resize(default)

    def _sizes_for_screen(self) -> tuple[QSize, QSize]:
        """The minimum and default window sizes, never larger than the screen allows."""
        screen = self.screen().availableGeometry().size()
        usable = QSize(int(screen.width() * 0.9), int(screen.height() * 0.9))
        return MIN_SIZE.boundedTo(usable), DEFAULT_SIZE.boundedTo(screen)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.preferences.setValue("mainWindow/geometry", self.saveGeometry())
        self.preferences.sync()
        if self.sync_worker is not None:
            self.sync_worker.shutdown()
        self.tasks.close(5_000)
        super().closeEvent(event)
