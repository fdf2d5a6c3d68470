"""Proof that a service call reads through indexes: every SELECT it sends is explained on
the database it ran on, and no listed table may be scanned."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import event

from frontdesk.store.engine import Database


def statements_of(
    database: Database, call: Callable[[], object], *, writes: bool = False
) -> list[tuple[str, object]]:
    """The SELECTs ``call`` sends on the read engine, or with ``writes`` on the write engine
    (inside its transactions), the clinic row aside."""
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    engine = database.write_engine if writes else database.read_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return [
        (sql, params)
        for sql, params in seen
        if sql.lstrip().upper().startswith("SELECT") and "FROM clinic" not in sql
    ]


def assert_no_table_scans(
    database: Database,
    statements: Iterable[tuple[str, object]],
    tables: Iterable[str],
    never: Iterable[str] = (),
) -> None:
    """No listed table is scanned; no SQLite plan contains any of ``never``."""
    tables, never = tuple(tables), tuple(never)
    with database.read_engine.connect() as conn:
        if database.is_sqlite:
            for sql, params in statements:
                plan = " | ".join(
                    row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
                )
                for table in tables:
                    assert f"SCAN {table} " not in plan + " ", f"{plan}\n{sql}"
                for phrase in never:
                    assert phrase not in plan, f"{plan}\n{sql}"
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            for sql, params in statements:
                plan = "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql, params))
                for table in tables:
                    assert f"Seq Scan on {table} " not in plan, f"{plan}\n{sql}"
