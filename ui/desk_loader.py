"""Opening the clinic off the GUI thread, so the window and its search box come first.

Importing the data layer and opening (perhaps migrating) the database takes most of
start-up. The window is shown before that and accepts typing at once: a search typed
meanwhile waits on a worker thread for the services and is answered as soon as they exist.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontdesk.domain.errors import DataUnavailableError, in_words

if TYPE_CHECKING:
    from frontdesk.services.bundle import Services
    from frontdesk.services.records.context import Actor
    from frontdesk.services.records.dto import ClinicInfo

# Imported on the loader thread too: the GUI thread then only builds widgets, never waits
# on a module that another thread is half-way through importing.
SCREEN_MODULES = (
    "frontdesk.ui.screens.checkin.screen",
    "frontdesk.ui.screens.patients.screen",
    "frontdesk.ui.screens.referrals.screen",
    "frontdesk.ui.screens.rewards.screen",
    "frontdesk.ui.screens.messages.screen",
    "frontdesk.ui.screens.print.screen",
    "frontdesk.ui.screens.reports.screen",
    "frontdesk.ui.screens.settings.screen",
    "frontdesk.ui.screens.settings.data_page",
    "frontdesk.ui.screens.settings.sms_page",
    "frontdesk.ui.screens.settings.reward_program_page",
    "frontdesk.ui.screens.staff.lock",
    "frontdesk.ui.screens.staff.staff_page",
    "frontdesk.ui.screens.staff.audit_page",
    "frontdesk.ui.first_run",
    "frontdesk.ui.startup_checks",
)


@dataclass(frozen=True)
class Desk:
    """What the window needs once the clinic is open."""

    services: Services
    actor: Actor | None  # None once staff accounts exist: the desk asks who is there
    clinic: ClinicInfo | None  # None until the first-run dialog has set the clinic up
    initialised: bool
    idle_lock_minutes: int = 0


class PendingServices:
    """The services, once opened; callers on worker threads wait for them."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._services: Services | None = None
        self._error: BaseException | None = None

    def set(self, services: Services) -> None:
        self._services = services
        self._ready.set()

    def fail(self, error: BaseException) -> None:
        self._error = error
        self._ready.set()

    def get(self, timeout: float | None = 120) -> Services:
        """The services; raises what stopped them opening. Never call on the GUI thread."""
        if not self._ready.wait(timeout):
            raise DataUnavailableError("The clinic database is taking too long to open.")
        if self._services is None:
            raise DataUnavailableError(could_not_open(self._error)) from self._error
        return self._services


def could_not_open(error: BaseException | None) -> str:
    """Words for the desk when the clinic's database would not open."""
    message = in_words(error, "the database did not answer") if error else "no reason was given"
    return (
        f"The clinic's data could not be opened ({message}). Close Frontdesk and start it "
        "again; if it happens again, call your IT support — nothing has been changed."
    )


def load_desk(open_services: Callable[[], Services], pending: PendingServices) -> Desk:
    """Open the services (worker thread), publish them, then prepare the first screen."""
    try:
        services = open_services()
    except BaseException as error:
        pending.fail(error)
        raise
    pending.set(services)
    desk = desk_for(services)
    for module in SCREEN_MODULES:
        importlib.import_module(module)
    return desk


def desk_for(services: Services) -> Desk:
    """Who acts and which clinic this is (a few small queries; any thread)."""
    from frontdesk.services.records.context import SOLE_OWNER

    initialised = services.clinic.is_initialised()
    actor = None if services.staff.has_accounts() else SOLE_OWNER
    clinic = services.clinic.info() if initialised else None
    return Desk(services, actor, clinic, initialised, idle_minutes(services) if initialised else 0)


def idle_minutes(services: Services) -> int:
    """The clinic's "Lock after idle" minutes (0: never)."""
    key = "security.idle_lock_minutes"
    return int(services.clinic.get_settings(key).get(key) or 0)
