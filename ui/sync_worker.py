"""The background SMS sync: its own QThread, on a timer and when the connection returns.

A sync can run for a long time (10,000 queued texts at a long code's 1 per second), so it
never uses the GUI thread nor the shared write pool that desk actions queue on: it has a
thread of its own, reports progress by signal (queued to the GUI thread), and stops between
two messages when asked (the next sync carries on where it left off).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from frontdesk.domain.errors import in_words
from frontdesk.ui.events import AppEvents

log = logging.getLogger(__name__)

SYNC_EVERY_MS = 60_000
PROGRESS_EVERY = 25  # messages between two progress signals


class _Runner(QObject):
    finished = Signal(object)  # SyncReport
    failed = Signal(str)
    progress = Signal(int)  # messages handled so far in this sync

    def __init__(self, run: Callable[..., Any]) -> None:
        super().__init__()
        self._run = run
        self.stop_requested = threading.Event()

    @Slot()
    def sync(self) -> None:
        self.stop_requested.clear()
        handled = {"n": 0}

        def probe(point: str, _message_id: int | None) -> None:
            if point == "claimed":
                handled["n"] += 1
                if handled["n"] % PROGRESS_EVERY == 0:
                    self.progress.emit(handled["n"])

        try:
            report = self._run(probe=probe, should_stop=self.stop_requested.is_set)
        except Exception as error:  # shown in words; the timer tries again later
            self.failed.emit(in_words(error, "Messages could not be synced; trying again soon."))
        else:
            self.finished.emit(report)


class SyncWorker(QObject):
    """Owns the sync thread. ``run`` is ``services.sms.sync_once`` (takes probe/should_stop)."""

    started = Signal()
    progress = Signal(int)
    finished = Signal(object)
    failed = Signal(str)
    _kick = Signal()

    def __init__(
        self,
        run: Callable[..., Any],
        events: AppEvents,
        parent: QObject | None = None,
        interval_ms: int = SYNC_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self._events = events
        self.running = False
        self.last_report: Any = None
        self._thread = QThread()
        self._thread.setObjectName("smsSyncThread")
        self._runner = _Runner(run)
        self._runner.moveToThread(self._thread)
        self._kick.connect(self._runner.sync)
        self._runner.finished.connect(self._done)
        self._runner.failed.connect(self._failed)
        self._runner.progress.connect(self.progress)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.sync_now)
        events.connectivity_changed.connect(self._connectivity)
        self._thread.start()

    def start(self) -> None:
        self._timer.start()
        self.sync_now()

    def sync_now(self) -> bool:
        """Start a sync unless one is running; True when one was started."""
        if self.running:
            return False
        self.running = True
        self.started.emit()
        self._kick.emit()
        return True

    def stop(self) -> None:
        """Ask a running sync to stop after the message in hand."""
        self._runner.stop_requested.set()

    def shutdown(self, wait_ms: int = 10_000) -> None:
        self._timer.stop()
        self.stop()
        self._thread.quit()
        self._thread.wait(wait_ms)

    def _connectivity(self, online: bool) -> None:
        if online:  # the connection is back: send what waited
            self.sync_now()

    def _done(self, report: Any) -> None:
        self.running = False
        self.last_report = report
        self.finished.emit(report)
        self._events.sync_finished.emit(report)
        self._events.messages_changed.emit()

    def _failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)
        self._events.messages_changed.emit()
