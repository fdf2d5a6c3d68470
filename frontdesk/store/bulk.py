"""Writing many rows fast: buffered Core ``executemany`` in foreign-key order.

The ORM's unit of work costs ~100 µs a row (identity map, events, one flush per batch); a
Core insert of plain dicts costs a few. Used where rows are generated, not edited (the demo
clinic, imports), always inside the caller's transaction so nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from frontdesk.store.base import Base

FLUSH_ROWS = 20_000
# While a bulk load runs, SQLite may keep up to this much of the database in memory (KiB).
BULK_CACHE_KIB = 262_144


class BulkWriter:
    """Buffers rows per table; flushes every table, parents first, when one buffer is full.

    Rows for a table must all have the same keys (one compiled statement per batch).
    """

    def __init__(self, session: Session, tables: list[type[Base]]) -> None:
        self._session = session
        # Declared order is parents first, so foreign keys hold at every flush.
        self._tables: list[Table] = [model.__table__ for model in tables]  # type: ignore[misc]
        self._buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in self._tables}
        self.written: dict[str, int] = dict.fromkeys(self._buffers, 0)

    def next_id(self, model: type[Base]) -> int:
        """The first free primary key of a table (ids are assigned here, not by the database)."""
        table: Table = model.__table__  # type: ignore[assignment]
        return int(self._session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1

    def add(self, model: type[Base], row: dict[str, Any]) -> None:
        buffer = self._buffers[model.__tablename__]
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table in self._tables:
            rows = self._buffers[table.name]
            if rows:
                self._session.execute(table.insert(), rows)
                self.written[table.name] += len(rows)
                self._buffers[table.name] = []


@contextmanager
def bulk_load_tuning(session: Session) -> Iterator[None]:
    """A larger page cache on SQLite for the length of a bulk load, so index pages stay put."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")
