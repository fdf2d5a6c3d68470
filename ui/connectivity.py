"""Checks now and then whether the SMS provider is reachable; announces changes only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from frontdesk.ui.events import AppEvents
from frontdesk.ui.tasks import TaskRunner

CHECK_EVERY_MS = 30_000


class ConnectivityMonitor(QObject):
    def __init__(
        self,
        probe: Callable[[], bool],
        tasks: TaskRunner,
        events: AppEvents,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._probe = probe
        self._tasks = tasks
        self._events = events
        self.online: bool | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self.check()
        self._timer.start()

    def check(self) -> None:
        self._tasks.read(self._probe, self._result)

    def _result(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self._events.connectivity_changed.emit(online)
