"""Who is at the desk: sign-in on start, Switch user (Ctrl+L) and the idle lock.

Locking shows the sign-in screen in place of the desk without touching the screens behind
it, so a half-typed form is still there when the same person signs in again. Someone else
signing in gets the desk built afresh for their role.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QWidget

from frontdesk.services.records.context import Actor
from frontdesk.services.staff.dto import StaffMember
from frontdesk.services.staff.service import StaffService
from frontdesk.ui.screens.staff.idle import IdleWatch
from frontdesk.ui.screens.staff.sign_in import SignInScreen
from frontdesk.ui.tasks import TaskRunner

SIGN_IN_ON = "Sign-in is on: choose your name and type your PIN."


class DeskLock(QObject):
    desk_locked = Signal()  # overlays outside the desk (the search dropdown) hide on this

    def __init__(
        self,
        pages: QStackedWidget,
        staff: StaffService,
        tasks: TaskRunner,
        on_actor: Callable[[Actor], None],
        *,
        idle_minutes: int = 0,
        clock: Callable[[], float] = time.monotonic,
        shortcut_parent: QWidget | None = None,
    ) -> None:
        super().__init__(pages)
        self._pages, self._staff, self._tasks, self._on_actor = pages, staff, tasks, on_actor
        self._desk = pages.currentWidget()
        self.screen = SignInScreen(staff, tasks, pages)
        pages.addWidget(self.screen)
        self.screen.signed_in.connect(self._signed_in)
        self.current: Actor | None = None
        self.idle = IdleWatch(self.lock, idle_minutes, clock, self)
        self.switch_shortcut = QShortcut(
            QKeySequence("Ctrl+L"), shortcut_parent or pages, activated=self.lock
        )

    @property
    def locked(self) -> bool:
        return self._pages.currentWidget() is self.screen

    def start(self, actor: Actor | None) -> None:
        """``actor`` acts at once (no staff accounts yet); None asks who is at the desk."""
        if actor is None:
            self._ask("")
        else:
            self.current = actor
            self._on_actor(actor)

    def lock(self) -> None:
        """Switch user / idle: ask for a PIN; nothing behind the lock is closed or cleared."""
        if self.locked:
            return
        if self.current is not None and self.current.staff_id is None:
            # No accounts when the desk opened: lock only once someone has added one.
            self._tasks.read(self._staff.has_accounts, self._lock_if_accounts)
            return
        self._ask("")

    def _lock_if_accounts(self, has_accounts: bool) -> None:
        if has_accounts and not self.locked:
            self._ask(SIGN_IN_ON)

    def _ask(self, note: str) -> None:
        self.idle.paused = True
        self._pages.setCurrentWidget(self.screen)
        self.desk_locked.emit()
        self.screen.open((), self.current, "Loading names…")

        def shown(members: tuple[StaffMember, ...]) -> None:
            self.screen.open(members, self.current, note)

        self._tasks.read(lambda: self._staff.list(include_disabled=False), shown)

    def _signed_in(self, actor: Actor) -> None:
        same = self.current is not None and actor.staff_id == self.current.staff_id
        if not same:
            self.current = actor
            self._on_actor(actor)  # the desk is built again for this person's role
        self._pages.setCurrentWidget(self._desk)
        self.idle.paused = False
        self.idle.touch()
