"""WAL checkpoints off the commit path (SQLite).

SQLite copies the write-ahead log back into the database file when a commit pushes the log
past ``wal_autocheckpoint`` pages, and does it inside that commit: every few dozen check-ins
one of them waited for the copy and two fsyncs (30–90 ms, the check-in's p99). Here the
writer's own auto-checkpoint is raised to a backstop, and a small thread checkpoints
(PASSIVE: it never blocks a reader or the writer) shortly after commits, on its own
connection. The thread leaves when idle and starts again on the next commit, so a closed
database holds no thread or file handle.
"""

from __future__ import annotations

import sqlite3
import threading

# The writer checkpoints by itself only if the thread cannot keep up (~16 MB of log).
BACKSTOP_PAGES = 4000
# How long after a commit the checkpoint runs; commits within it share one. Each checkpoint
# copies the pages written since the last one and flushes the file: every 0.2 s cost a sync
# of 10k texts a quarter of its CPU; every 2 s the log stays well under the backstop even
# while texts go out at full speed (~3,000 pages).
INTERVAL_S = 2.0
IDLE_EXIT_S = 5.0


class Checkpointer:
    def __init__(self, path: str, busy_timeout_ms: int) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()  # the running thread's own
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        """A write transaction committed: checkpoint soon, in the background."""
        with self._lock:
            self._wake.set()
            if self._thread is None:
                self._stop = threading.Event()
                self._thread = threading.Thread(
                    target=self._run,
                    args=(self._stop,),
                    name="frontdesk-wal-checkpoint",
                    daemon=True,
                )
                self._thread.start()

    def close(self) -> None:
        """Stop the thread (after a last checkpoint) and release its connection."""
        with self._lock:
            thread, stop, self._thread = self._thread, self._stop, None
        if thread is not None:
            stop.set()
            self._wake.set()
            thread.join()

    def _run(self, stop: threading.Event) -> None:
        conn = sqlite3.connect(self._path, timeout=self._busy_timeout_ms / 1000)
        try:
            while True:
                if not self._wake.wait(IDLE_EXIT_S):
                    if self._leave(stop, idle=True):
                        return
                    continue
                # The engine's commit event comes just before the commit itself: let it land,
                # and let the commits right after it share this checkpoint.
                stop.wait(INTERVAL_S)
                self._wake.clear()
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                if stop.is_set():  # close() wakes us too: this was the last checkpoint
                    return
        except sqlite3.Error:
            self._leave(stop, idle=False)  # the writer's backstop checkpoints meanwhile
        finally:
            conn.close()

    def _leave(self, stop: threading.Event, *, idle: bool) -> bool:
        """Hand the job back (the next commit starts a thread); not while a commit waits."""
        with self._lock:
            if idle and self._wake.is_set():
                return False
            if self._stop is stop:
                self._thread = None
            return True
