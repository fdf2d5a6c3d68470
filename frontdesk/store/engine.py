"""Engines and units of work for SQLite (one desk) and PostgreSQL (several desks)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from frontdesk.config import make_private
from frontdesk.domain.errors import DatabaseDamagedError
from frontdesk.store.wal import BACKSTOP_PAGES, Checkpointer
from frontdesk.store.written import track_writes

SQLITE_BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another's lock


def busy_timeout_ms() -> int:
    """The writer's wait, ``FRONTDESK_BUSY_TIMEOUT_S`` if set (a bad value keeps the default);
    past it the desk is told another desk is busy writing, rather than kept waiting."""
    try:
        return max(0, int(float(os.environ["FRONTDESK_BUSY_TIMEOUT_S"]) * 1000))
    except (KeyError, ValueError):
        return SQLITE_BUSY_TIMEOUT_MS


def normalize_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL, a ``postgres://`` URL or a plain file path."""
    if "://" not in url_or_path:
        return f"sqlite:///{url_or_path}"
    if url_or_path.startswith(("postgres://", "postgresql://")):
        rest = url_or_path.split("://", 1)[1]
        return f"postgresql+psycopg://{rest}"
    return url_or_path


def _sqlite_engine(
    url: str,
    *,
    immediate: bool,
    pool_size: int,
    checkpointer: Checkpointer | None = None,
    timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
) -> Engine:
    # Pooled: a fresh connection re-reads the whole schema on its first query (~1.4 ms, more
    # than a search itself). A pooled connection is used by one thread at a time and holds no
    # lock between units of work. Replacing the file (restore) must ``dispose()`` first.
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=8,
        connect_args={"timeout": timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN is ours (and IMMEDIATE for writers).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
        # FULL: a commit is on disk before the desk is told "saved", so a power cut loses no
        # check-in and no outbox claim (a claim lost after its message went out would send it
        # twice). Costs one fsync of the WAL per commit (~0.5 ms here); NORMAL would lose the
        # commits since the last checkpoint.
        cursor.execute("PRAGMA synchronous=FULL")
        if checkpointer is not None:  # the checkpointer thread does it, off the commit path
            cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the lock up front: two desks never deadlock upgrading a read lock.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if checkpointer is not None:

        @event.listens_for(engine, "commit")
        def _on_commit(_conn: Any) -> None:
            checkpointer.committed()

    return engine


@dataclass(frozen=True)
class Database:
    """Where the data lives, with one factory for writes and one for reads."""

    url: str
    write_engine: Engine
    read_engine: Engine
    _writes: sessionmaker[Session]
    _reads: sessionmaker[Session]
    _checkpointer: Checkpointer | None = None
    # Set when the file failed its integrity check: the desk keeps reading, nothing writes.
    _write_refusal: list[str] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.write_engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def sqlite_path(self) -> str | None:
        if not self.is_sqlite:
            return None
        return make_url(self.url).database

    def begin(self) -> Any:
        """A unit of work that writes: ``with db.begin() as session:`` commits or rolls back."""
        if self._write_refusal:
            raise DatabaseDamagedError(self._write_refusal[0])
        return self._writes.begin()

    def refuse_writes(self, message: str) -> None:
        """From now on every write is refused with ``message`` (the file is damaged)."""
        self._write_refusal[:] = [message]

    def allow_writes(self) -> None:
        self._write_refusal.clear()

    @property
    def read_only_reason(self) -> str | None:
        return self._write_refusal[0] if self._write_refusal else None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; nothing it does is committed."""
        with self._reads() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
        self.write_engine.dispose()
        self.read_engine.dispose()


def open_database(url_or_path: str) -> Database:
    """Build engines for a URL or path. Does not create tables: see ``store.migrate``."""
    url = normalize_url(url_or_path)
    checkpointer = None
    if url.startswith("sqlite"):
        path = make_url(url).database
        wait = busy_timeout_ms()
        if path and path != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                make_private(Path(path + suffix))
            checkpointer = Checkpointer(path, wait)
        write_engine = _sqlite_engine(
            url, immediate=True, pool_size=1, checkpointer=checkpointer, timeout_ms=wait
        )
        # The UI's read pool has four threads, plus the GUI thread's own quick reads.
        read_engine = _sqlite_engine(url, immediate=False, pool_size=5, timeout_ms=wait)
    else:
        write_engine = create_engine(url, pool_pre_ping=True, pool_size=4)
        read_engine = write_engine
    writes = sessionmaker(write_engine, expire_on_commit=False)
    track_writes(writes)
    return Database(
        url=url,
        write_engine=write_engine,
        read_engine=read_engine,
        _writes=writes,
        _reads=sessionmaker(read_engine, expire_on_commit=False),
        _checkpointer=checkpointer,
    )
