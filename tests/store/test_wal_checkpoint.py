"""WAL checkpoints happen in the background, not inside the commit a desk waits for."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import text

from frontdesk.store.engine import Database
from frontdesk.store.wal import BACKSTOP_PAGES

THREAD = "frontdesk-wal-checkpoint"


def _in_main_file(path: Path, key: str) -> bool:
    """Whether the row is in the database file itself: a copy of it without its WAL."""
    probe = path.with_name("probe.sqlite3")
    for old in path.parent.glob("probe.sqlite3*"):
        old.unlink()
    shutil.copyfile(path, probe)
    conn = sqlite3.connect(probe)
    try:
        return conn.execute("SELECT 1 FROM setting WHERE key = ?", (key,)).fetchone() is not None
    except sqlite3.OperationalError:  # not even the schema is there yet
        return False
    finally:
        conn.close()


def _write(db: Database, key: str) -> None:
    with db.begin() as session:
        session.execute(
            text(
                "INSERT INTO setting (key, value_json, updated_at) VALUES (:k, '1', '2026-01-01')"
            ),
            {"k": key},
        )


def _wait_until(condition, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD]


def test_a_commit_reaches_the_database_file_without_checkpointing_itself(
    sqlite_db: Database, db_path: Path
) -> None:
    with sqlite_db.write_engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert pages == BACKSTOP_PAGES  # the writer's own checkpoint is only a backstop
    _write(sqlite_db, "test.one")
    # One small commit is far below the backstop: only the background thread copies it over.
    assert _wait_until(lambda: _in_main_file(db_path, "test.one"))


def test_dispose_stops_the_thread_and_the_next_commit_starts_it_again(
    sqlite_db: Database, db_path: Path
) -> None:
    _write(sqlite_db, "test.before")
    assert _checkpoint_threads()
    sqlite_db.dispose()
    assert not _checkpoint_threads()
    assert _in_main_file(db_path, "test.before")  # the last checkpoint ran before it stopped
    _write(sqlite_db, "test.after")
    assert _wait_until(lambda: _in_main_file(db_path, "test.after"))
