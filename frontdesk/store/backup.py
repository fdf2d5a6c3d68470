"""Copies of the SQLite file taken with the online backup API (safe while desks are open)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontdesk.store.atomic_file import commit, new_temp_beside

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def backup_sqlite(
    source: Path, target: Path, check: Callable[[Path], str | None] | None = None
) -> Path:
    """Copy a live database to ``target`` consistently, even mid-write by another process.

    The copy is written to a new temporary file beside ``target`` (created with ``O_EXCL``,
    never through a planted symlink) and renamed into place only once whole and, when
    ``check`` is given, once ``check(copy)`` finds no problem: a backup is good or absent.
    ``BackupCheckFailed`` carries the problem when it is not."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = new_temp_beside(target)
    try:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                # A backup is one self-contained file: no log beside it to lose or mix up.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        problem = check(partial) if check is not None else None
        if problem:
            raise BackupCheckFailed(problem)
        commit(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


class BackupCheckFailed(Exception):
    """The copy was made but failed its check, so it was deleted."""


def claim_backup_path(folder: Path, label: str, at: datetime) -> Path:
    """A backup file name no other backup has, reserved by creating it (``O_EXCL``): two
    copies taken in the same second get ``…-HHMMSS.2-label`` and never overwrite each other."""
    folder.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        path = folder / backup_name(label, at, attempt)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free backup name in {folder}")


def rotate_backups(
    folder: Path, keep: int, patterns: tuple[str, ...] = ("*.sqlite3",)
) -> list[Path]:
    """Delete the oldest backups matching ``patterns`` beyond ``keep``; returns what was
    removed. Names sort by the time in them, so the order survives copied files' mtimes."""
    found = {path for pattern in patterns for path in folder.glob(pattern)}
    backups = sorted(found, key=lambda p: (p.name, p.stat().st_mtime), reverse=True)
    removed = backups[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_name(label: str, at: datetime, attempt: int = 1) -> str:
    counter = f".{attempt}" if attempt > 1 else ""
    return f"frontdesk-{at:%Y%m%d-%H%M%S}{counter}-{label}.sqlite3"


class CheckStopped(Exception):
    """The check was stopped before it finished (the app is closing): no verdict."""


class CheckStopper:
    """Lets another thread end a running check at once. The check itself is one SQLite
    instruction that only ``interrupt`` (thread-safe) can end; the progress handler catches a
    stop that comes before that instruction starts, when ``interrupt`` would be a no-op."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: sqlite3.Connection | None = None
        self.stopped = False

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._running is not None:
                self._running.interrupt()

    def _watch(self, conn: sqlite3.Connection | None) -> None:
        with self._lock:
            self._running = conn
            if conn is not None and self.stopped:
                conn.interrupt()


def integrity_check(path: Path, stopper: CheckStopper | None = None) -> str:
    """SQLite's own verdict: 'ok' or the first problem it found. A quick check of a large
    file takes seconds; ``stopper.stop()`` ends it early with ``CheckStopped``."""
    conn = sqlite3.connect(path, check_same_thread=False)
    if stopper is not None:
        conn.set_progress_handler(lambda: int(stopper.stopped), 1)
        stopper._watch(conn)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    except sqlite3.OperationalError as error:
        if stopper is not None and stopper.stopped:
            raise CheckStopped(str(path)) from error
        raise
    finally:
        if stopper is not None:
            stopper._watch(None)
        conn.close()


SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileCheck:
    """What a candidate backup file holds, read without changing it."""

    problem: str | None  # None: a healthy Frontdesk database
    revision: str | None = None
    clinic_name: str | None = None
    patients: int | None = None


def check_backup_file(path: Path) -> FileCheck:
    """Is ``path`` a healthy Frontdesk database? Opened read-only; nothing is written."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return FileCheck(f"There is no file at {path}.")
    except (IsADirectoryError, PermissionError):
        return FileCheck(f"{path} cannot be read as a file.")
    if header != SQLITE_HEADER:
        return FileCheck(f"{path.name} is not a Frontdesk backup (not an SQLite database).")
    # immutable: a backup is read as the file it is, with no lock or -shm file made beside it.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        verdict = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        if verdict != "ok":
            return FileCheck(f"{path.name} is damaged (SQLite says: {verdict[:200]}).")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not {"alembic_version", "clinic", "patient"} <= tables:
            return FileCheck(f"{path.name} is an SQLite file but not a Frontdesk database.")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        clinic = conn.execute("SELECT name FROM clinic WHERE id = 1").fetchone()
        patients = conn.execute("SELECT count(*) FROM patient").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return FileCheck(f"{path.name} cannot be read as a database ({error}).")
    finally:
        conn.close()
    return FileCheck(
        None,
        revision=revision[0] if revision else None,
        clinic_name=clinic[0] if clinic else None,
        patients=int(patients),
    )


def restore_sqlite(source: Path, target: Path) -> None:
    """Replace the live database at ``target`` with ``source``, page by page through the
    online backup API: other connections see the restored data, and WAL files stay
    consistent (a file copy over a database in WAL mode would not)."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
