"""Locks the desk after the clinic's idle minutes with no key press or click.

The clock is injected (a monotonic seconds function) and ``check`` is public, so tests move
time by hand instead of waiting; a slow timer only calls ``check`` in the running app.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
CHECK_EVERY_MS = 15_000


class IdleWatch(QObject):
    def __init__(
        self,
        on_idle: Callable[[], None],
        minutes: int = 0,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_idle = on_idle
        self._clock = clock
        self.minutes = 0
        self.paused = False  # while the desk is already locked
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        """Watch only while a limit is set: the filter sees every event of the app."""
        app = QApplication.instance()
        if app is not None and (minutes > 0) != (self.minutes > 0):
            if minutes > 0:
                app.installEventFilter(self)
                self._timer.start()
            else:
                app.removeEventFilter(self)
                self._timer.stop()
        self.minutes = max(0, minutes)
        self.touch()

    def touch(self) -> None:
        self._last = self._clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._last = self._clock()
        return False

    def check(self) -> bool:
        """Lock now if the desk has been idle long enough; True when it did."""
        if self.paused or self.minutes <= 0:
            return False
        if self._clock() - self._last < self.minutes * 60:
            return False
        self._on_idle()
        return True
