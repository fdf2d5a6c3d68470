"""Many rows fast, inside the caller's transaction (one function per dialect).

Two shapes: ``insert_rows`` streams tuples into one table (imports: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL); ``BulkWriter`` buffers generated rows for several tables
and flushes them parents first (the demo clinic).

The ORM costs ~50 µs a row and RETURNING several more; a 100,000-row import needs the
driver's own bulk path: ``executemany`` on SQLite, ``COPY`` on PostgreSQL. Values go through
each column type's own bind processor, so what lands in the table is exactly what the ORM
would have written (naive-UTC timestamps, 0/1 booleans on SQLite).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, Table, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from frontdesk.store.base import Base

BULK_CACHE_KIB = 256 * 1024
FLUSH_ROWS = 20_000


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` primary keys nobody else will use, for rows inserted in this transaction.

    SQLite: the writer holds the database lock (BEGIN IMMEDIATE), so max(id)+1… are free.
    PostgreSQL: taken from the table's sequence, so another desk's inserts never collide.
    """
    if count <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        top = session.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")).scalar()
        start = int(top or 0) + 1
        return list(range(start, start + count))
    rows = session.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table.name, "n": count},
    ).scalars()
    return [int(value) for value in rows]


def prepare_for_bulk(session: Session) -> None:
    """Give this transaction's SQLite connection a page cache big enough to hold the
    indexes being filled: random-order index inserts thrash the 2 MB default (4x slower).
    The connection is not pooled, so the setting ends with the transaction."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


@contextmanager
def indexes_rebuilt(session: Session, table: Table, incoming: int) -> Iterator[None]:
    """When more rows are coming than the table holds (a first import), drop its plain
    (non-unique) indexes for the insert and build them again after: sorting once beats
    several random B-tree inserts a row. It all happens in the caller's transaction, so a
    failure restores them; unique indexes always stay, so constraints are checked row by
    row. (On PostgreSQL other desks wait for the table meanwhile; it is a first import.)"""
    connection = session.connection()
    droppable = [index for index in table.indexes if not index.unique]
    rebuild = False
    if droppable and incoming > 0:
        held = connection.exec_driver_sql(f"SELECT count(*) FROM {table.name}").scalar() or 0
        rebuild = incoming > held
    if rebuild:
        for index in droppable:
            index.drop(connection)
    yield
    if rebuild:
        for index in droppable:
            index.create(connection)


def in_chunks(
    session: Session, column: ColumnElement[Any], values: Sequence[Any]
) -> Iterator[ColumnElement[bool]]:
    """``column IN values`` as conditions of a size each dialect handles well: short IN
    lists on SQLite (bound-parameter limit), one array per 20,000 values on PostgreSQL
    (one round trip instead of forty)."""
    if session.get_bind().dialect.name == "postgresql":
        for start in range(0, len(values), 20_000):
            chunk = list(values[start : start + 20_000])
            yield column == any_(bindparam(None, chunk, type_=ARRAY(column.type)))
        return
    for start in range(0, len(values), 500):
        yield column.in_(values[start : start + 500])


def _processors(session: Session, table: Table, columns: Sequence[str]) -> list[Any]:
    dialect = session.get_bind().dialect
    return [
        _remembering(table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in columns
    ]


def _remembering(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """A bind processor that converts each distinct value once: imports repeat the same
    timestamp and the same booleans on every row."""
    if process is None:
        return None
    seen: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = process(value)
            return result
        except TypeError:  # unhashable: convert every time
            return process(value)

    return remembered


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order); returns how many were written."""
    processors = _processors(session, table, columns)
    active: list[tuple[int, Callable[[Any], Any]]] = [
        (i, p) for i, p in enumerate(processors) if p is not None
    ]

    def prepared(row: Sequence[Any]) -> tuple[Any, ...]:
        if not active:
            return tuple(row)
        values = list(row)
        for i, process in active:
            values[i] = process(values[i])
        return tuple(values)

    connection = session.connection()
    names = ", ".join(columns)
    if connection.dialect.name == "sqlite":
        batch = [prepared(row) for row in rows]
        if batch:
            marks = ", ".join("?" * len(columns))
            connection.exec_driver_sql(
                f"INSERT INTO {table.name} ({names}) VALUES ({marks})", batch
            )
        return len(batch)
    raw = connection.connection.driver_connection
    written = 0
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(prepared(row))
            written += 1
    return written


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
                advance_sequence(self._session, table)


def advance_sequence(session: Session, table: Table) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id sequence past them, or
    the next ordinary insert (a patient added at the desk) collides with a demo row. SQLite
    takes max(id)+1 by itself; a table without a serial id is left alone."""
    if session.get_bind().dialect.name != "postgresql" or "id" not in table.c:
        return
    session.execute(
        text(
            "SELECT setval(pg_get_serial_sequence(:table, 'id'), max_id) "
            f"FROM (SELECT max(id) AS max_id FROM {table.name}) AS top WHERE max_id IS NOT NULL"
        ),
        {"table": table.name},
    )


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
