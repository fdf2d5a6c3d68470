"""The one way the UI runs service calls: off the GUI thread, results back by signal.

Reads run on a shared pool; writes go through a single-thread pool so they are serialised
(one desk never races itself). Callbacks are delivered on the GUI thread. A write whose
result carries ``changes`` (what the service wrote) is announced to ``AppEvents`` once its
callback has run, so screens never list topics by hand.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from frontdesk.domain.changes import Changes
from frontdesk.ui.events import AppEvents

log = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """A QRunnable carrying a callable; emits ``finished(result)`` or ``failed(exception)``."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as error:  # handed to the caller's failure callback, never lost
            log.debug("task failed: %s", "".join(traceback.format_exception(error)))
            self._emit(self.signals.failed, error)
        else:
            self._emit(self.signals.finished, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window closed while this ran: no one is left to tell
            log.debug("task finished after its receiver was deleted")


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, *, events: AppEvents | None = None) -> None:
        super().__init__(parent)
        self._events = events
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(4)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._live: set[_Signals] = set()
        self._closed = False

    def read(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._submit(self._reads, fn, on_done, on_error, announce=False)

    def write(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._submit(self._writes, fn, on_done, on_error, announce=True)

    def _submit(
        self,
        pool: QThreadPool,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        *,
        announce: bool,
    ) -> None:
        if self._closed:
            log.debug("not started, the window is closing: %r", fn)
            return
        task = Task(fn)
        signals = task.signals
        # The signals object lives in the GUI thread, so connected slots run there.
        self._live.add(signals)
        signals.finished.connect(lambda result: self._done(signals, on_done, result, announce))
        signals.failed.connect(lambda error: self._failed(signals, on_error, error))
        pool.start(task)

    def _done(
        self,
        signals: _Signals,
        callback: Callable[[Any], None] | None,
        result: Any,
        announce: bool,
    ) -> None:
        self._live.discard(signals)
        if self._closed:  # after close the screens may already be gone
            return
        if callback:
            callback(result)
        changes = getattr(result, "changes", None)
        if announce and isinstance(changes, Changes) and self._events is not None:
            self._events.announce(changes)

    def _failed(
        self,
        signals: _Signals,
        callback: Callable[[BaseException], None] | None,
        error: BaseException,
    ) -> None:
        self._live.discard(signals)
        if self._closed:
            log.debug("background task failed during shutdown: %s", error)
        elif callback:
            callback(error)
        else:
            log.error("background task failed: %s", error)

    def close(self, msecs: int = 5_000) -> bool:
        """Start nothing new and wait for what runs: after this no callback can reach a
        deleted widget (a screen's timer firing during shutdown used to crash the exit)."""
        self._closed = True
        return self.wait(msecs)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until all work is done (shutdown and tests only)."""
        return self._reads.waitForDone(msecs) and self._writes.waitForDone(msecs)
