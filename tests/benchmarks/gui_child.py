"""A child process for the GUI benchmarks: start the real app (or a bare PySide6 window),
wait until ``searchBox`` has focus in a running event loop (ready), then until the clinic
is open and the first screen built (opened), then do one measured thing.

    python gui_child.py startup|typing|memory app|bare [DB] [TEXT]

Prints one JSON line on stdout. Runs offscreen (the parent sets QT_QPA_PLATFORM).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()  # as early as this script can take it; the parent adds exec
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

HEARTBEAT_MS = 2
KEY_INTERVAL_MS = 90  # a quick receptionist: about 11 keys a second
SETTLE_MS = 400


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(data: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def main() -> int:
    task, flavour = sys.argv[1], sys.argv[2]
    db = sys.argv[3] if len(sys.argv) > 3 else None
    typed = sys.argv[4] if len(sys.argv) > 4 else "Kathryn Okafor 07400"

    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit, QListView

    state: dict[str, object] = {}

    def ready_box() -> QLineEdit | None:
        box = QApplication.focusWidget()
        if isinstance(box, QLineEdit) and box.objectName() == "searchBox" and box.isVisible():
            return box if box.isEnabled() and box.window().isVisible() else None
        return None

    def opened(box: QLineEdit) -> bool:
        """The clinic is open and the check-in screen built (a bare window always is)."""
        window = box.window()
        screens = getattr(window, "screens", None)
        return screens is None or (
            getattr(window, "services", None) is not None and screens.is_built("checkin")
        )

    def poll() -> None:
        box = ready_box()
        if box is None:
            return
        poller.stop()
        state["ready_ms"] = (time.perf_counter() - STARTED) * 1000
        state["cpu_ms"] = time.process_time() * 1000
        watch_opening(box)

    def watch_opening(box: QLineEdit) -> None:
        """From ready until the clinic is open: how long it takes and the longest stall of
        the event loop meanwhile (what a receptionist typing at once would feel)."""
        clock = QElapsedTimer()
        clock.start()
        gaps = {"last": 0, "max": 0}

        def beat() -> None:
            now = clock.elapsed()
            gaps["max"] = max(gaps["max"], now - gaps["last"])
            gaps["last"] = now
            if "opened_ms" not in state and opened(box):
                state["opened_ms"] = (time.perf_counter() - STARTED) * 1000
                QTimer.singleShot(SETTLE_MS, settled)

        def settled() -> None:
            heart.stop()
            state["opening_stall_ms"] = max(gaps["max"] - HEARTBEAT_MS, 0)
            begin(box)

        heart = QTimer(box)
        heart.setTimerType(Qt.TimerType.PreciseTimer)
        heart.setInterval(HEARTBEAT_MS)
        heart.timeout.connect(beat)
        heart.start()

    def begin(box: QLineEdit) -> None:
        if task == "startup":
            emit(
                {
                    "ready_ms": state["ready_ms"],
                    "cpu_ms": state["cpu_ms"],
                    "opened_ms": state["opened_ms"],
                    "opening_stall_ms": state["opening_stall_ms"],
                    "rss_mb": peak_rss_mb(),
                }
            )
            box.window().close()  # as a receptionist would: background work is waited for
        elif task == "typing":
            start_typing(box)
        else:
            start_typing(box, memory=True)

    def start_typing(box: QLineEdit, memory: bool = False) -> None:
        from PySide6.QtTest import QTest

        results = box.window().findChild(QListView, "searchResults")
        clock = QElapsedTimer()
        clock.start()
        gaps = {"last": clock.elapsed(), "max": 0}

        def beat() -> None:
            now = clock.elapsed()
            gaps["max"] = max(gaps["max"], now - gaps["last"])
            gaps["last"] = now

        heart = QTimer(box)
        heart.setTimerType(Qt.TimerType.PreciseTimer)
        heart.setInterval(HEARTBEAT_MS)
        heart.timeout.connect(beat)
        heart.start()
        keys = list(typed)
        sent = {"n": 0, "last_key_at": 0}

        def key() -> None:
            if sent["n"] < len(keys):
                QTest.keyClicks(box, keys[sent["n"]])
                sent["n"] += 1
                sent["last_key_at"] = clock.elapsed()
                return
            keyer.stop()
            waiter.start()

        def wait_answer() -> None:
            shown = results is not None and results.isVisible() and results.model().rowCount()
            waited = clock.elapsed() - sent["last_key_at"]
            if (shown and "answer_ms" not in state) or waited > 10_000:
                state["answer_ms"] = waited if shown else None
                waiter.stop()
                QTimer.singleShot(SETTLE_MS, finish)

        def finish() -> None:
            heart.stop()
            emit(
                {
                    "ready_ms": state["ready_ms"],
                    "opened_ms": state["opened_ms"],
                    "opening_stall_ms": state["opening_stall_ms"],
                    "keys": len(keys),
                    "max_stall_ms": max(gaps["max"] - HEARTBEAT_MS, 0),
                    "answer_ms": state.get("answer_ms"),
                    "hits": results.model().rowCount() if results is not None else 0,
                    "rss_mb": peak_rss_mb(),
                }
            )
            box.window().close()

        keyer = QTimer(box)
        keyer.setInterval(KEY_INTERVAL_MS)
        keyer.timeout.connect(key)
        waiter = QTimer(box)
        waiter.setInterval(5)
        waiter.timeout.connect(wait_answer)
        keyer.start()

    if flavour == "bare":
        from PySide6.QtWidgets import QMainWindow

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        box = QLineEdit(window)
        box.setObjectName("searchBox")
        window.setCentralWidget(box)
        window.resize(1280, 800)
        window.show()
        box.setFocus()
        poller = QTimer()
        poller.timeout.connect(poll)
        poller.start(1)
        return app.exec()

    from frontdesk.ui.app import create_application
    from frontdesk.ui.app import main as app_main

    create_application(sys.argv[:1])
    poller = QTimer()
    poller.timeout.connect(poll)
    poller.start(1)
    return app_main(db=db, argv=sys.argv[:1])


if __name__ == "__main__":
    raise SystemExit(main())
