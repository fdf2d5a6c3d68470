"""The window: a top bar with the global search, a navigation rail, screens, a status bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.ui.connectivity import ConnectivityMonitor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.render import icons
from frontdesk.ui.screens.placeholder import PlannedScreen
from frontdesk.ui.search import SearchBar
from frontdesk.ui.status_bar import DeskStatusBar
from frontdesk.ui.sync_worker import SyncWorker
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.row_model import ROW_ROLE

if TYPE_CHECKING:
    from frontdesk.services.bundle import Services
    from frontdesk.services.records.context import Actor
    from frontdesk.services.records.dto import ClinicInfo, DeskStatus
    from frontdesk.ui.screens.staff.lock import DeskLock


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
ScreenFactory = Callable[[], QWidget]


class MainWindow(QMainWindow):
    """The window opens as a shell (search box, rail, status bar) before the clinic's data
    is open; ``attach`` then fills it in. Each screen is built the first time it is shown,
    so start-up pays only for the screen the receptionist sees."""

    def __init__(
        self,
        tasks: TaskRunner,
        events: AppEvents,
        services_when_open: Callable[[], Services],
        *,
        title: str = "Frontdesk",
        database_kind: str = "SQLite",
        preferences: QSettings | None = None,
    ) -> None:
        super().__init__()
        # Per-desk UI preferences (window size…); the composition root points this at a file
        # under FRONTDESK_HOME so tests and portable installs never touch the user's registry.
        self.preferences = preferences or QSettings()
        self.setObjectName("mainWindow")
        # Waits for the clinic to open: only ever called on worker threads.
        self._pending_services = services_when_open
        self.services: Services | None = None
        self.tasks = tasks
        self.events = events
        self.actor: Actor | None = None
        self.setWindowTitle(f"{title} — Frontdesk")

        central = QWidget(self)
        central.setObjectName("central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._top_bar(title, central))

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
        self.screens = LazyScreens(self)
        for entry in NAV:
            item = QListWidgetItem(icons.icon(entry.icon, color="#344054"), entry.label)
            item.setData(ROW_ROLE, entry.key)
            item.setSizeHint(QSize(170, 44))
            self.nav.addItem(item)
            self.stack.addWidget(OpeningScreen(entry.label))
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        # The desk, and in front of it (when locked) the sign-in screen: locking swaps the
        # page and leaves every screen of the desk as it was.
        self.desk_pages = QStackedWidget(self)
        self.desk_pages.setObjectName("deskPages")
        self.desk_pages.addWidget(central)
        self.setCentralWidget(self.desk_pages)

        self.status = DeskStatusBar(
            lambda: self._pending_services().status.desk_status(), tasks, database_kind, self
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
        self.desk_lock: DeskLock | None = None
        self.status.refresh()
        self._restore_geometry()

    def attach(
        self,
        services: Services,
        actor: Actor,
        clinic: ClinicInfo,
        screens: dict[str, ScreenFactory],
    ) -> None:
        """The clinic is open: name it, and build the screen on show (the others on demand).

        Called again when someone else signs in: the screens are built afresh for their role.
        """
        self.services = services
        self.actor = actor
        who = f" — {actor.name}" if actor.staff_id is not None else ""
        self.setWindowTitle(f"{clinic.name}{who} — Frontdesk")
        self.clinic_name.setText(clinic.name)
        self.search.set_timezone(clinic.timezone)
        self.staff_name.setText(f"{actor.name} · {actor.role}")
        self.staff_name.setAccessibleName(f"Signed in as {actor.name}, {actor.role}")
        self.switch_user.setVisible(actor.staff_id is not None)
        self.screens.reset()
        self.status.set_database_kind(services.database_kind)
        for entry in NAV:
            self.screens.provide(
                entry.key, screens.get(entry.key) or _planned(entry.label, entry.summary)
            )
        self._show_row(self.nav.currentRow())

    def _show_row(self, row: int) -> None:
        if row >= 0:
            self.screens.build(NAV[row].key)
            self.stack.setCurrentIndex(row)

    def _top_bar(self, title: str, parent: QWidget) -> QWidget:
        bar = QWidget(parent)
        bar.setObjectName("topBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 10, 16, 10)
        logo = QLabel(bar)
        logo.setPixmap(icons.icon("mdi6.heart-pulse", color="#0E7C86").pixmap(26, 26))
        self.clinic_name = QLabel(title, bar)
        self.clinic_name.setObjectName("clinicName")
        self.search = SearchBar(
            lambda query: self._pending_services().lookup.lookup(query),
            self.tasks,
            overlay_parent=self,
        )
        self.staff_name = QLabel("", bar)
        self.staff_name.setObjectName("staffName")
        self.switch_user = QToolButton(bar)
        self.switch_user.setObjectName("switchUserButton")
        self.switch_user.setIcon(icons.icon("mdi6.account-switch-outline", color="#344054"))
        self.switch_user.setToolTip("Switch user (Ctrl+L)")
        self.switch_user.setAccessibleName("Switch user")
        self.switch_user.hide()  # shown once staff accounts exist
        row.addWidget(logo)
        row.addWidget(self.clinic_name)
        row.addStretch(1)
        row.addWidget(self.search, 2)
        row.addStretch(1)
        row.addWidget(self.staff_name)
        row.addWidget(self.switch_user)
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
        if self.services is not None:
            self.services.backups.stop_checks()  # a quick check of a big file takes seconds
        self.tasks.close(5_000)
        super().closeEvent(event)


def _planned(label: str, summary: str) -> ScreenFactory:
    return lambda: PlannedScreen(label, summary)


class OpeningScreen(QWidget):
    """Stands in for a screen until the clinic is open and the screen is first shown."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        heading = QLabel(title, self)
        heading.setObjectName("screenTitle")
        body = QLabel("Opening the clinic…", self)
        body.setObjectName("screenSummary")
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)


class LazyScreens(Mapping[str, QWidget]):
    """The window's screens by navigation key, each built on first use."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._factories: dict[str, ScreenFactory] = {}
        self._built: dict[str, QWidget] = {}

    def provide(self, key: str, factory: ScreenFactory) -> None:
        self._factories[key] = factory

    def build(self, key: str) -> QWidget | None:
        """The screen for ``key``, built and put in the stack now if it was not yet."""
        if key in self._built or key not in self._factories:
            return self._built.get(key)
        screen = self._factories[key]()
        screen.setObjectName(f"{key}Screen")
        row = [entry.key for entry in NAV].index(key)
        stack = self._window.stack
        stand_in = stack.widget(row)
        stack.insertWidget(row, screen)
        stack.removeWidget(stand_in)
        stand_in.deleteLater()
        self._built[key] = screen
        return screen

    def reset(self) -> None:
        """Put the stand-ins back: each screen is built again on its next show."""
        stack = self._window.stack
        for key, screen in self._built.items():
            row = [entry.key for entry in NAV].index(key)
            stand_in = OpeningScreen(NAV[row].label)
            stack.insertWidget(row, stand_in)
            stack.removeWidget(screen)
            screen.setParent(None)  # out of the window at once, not at the next event loop pass
            screen.deleteLater()
        self._built.clear()
        self._factories.clear()

    def is_built(self, key: str) -> bool:
        return key in self._built

    def __getitem__(self, key: str) -> QWidget:
        screen = self.build(key)
        if screen is None:
            raise KeyError(key)
        return screen

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)
