"""Every statement the search box runs walks an index: none scans the patient table, so a
search costs the same at a million patients as at a hundred (see tests/benchmarks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from frontdesk.services.lookup_sql import LookupStatements
from frontdesk.store.engine import Database
from frontdesk.store.prefix import prefix_params

PARAMS: dict[str, dict[str, Any]] = {
    "code": {"code": "SARAH-K7QD"},
    "near_codes": {"codes": ["SARAH-K7QE", "SARAH-K7QF"]},
    "email": prefix_params("email", "sarah@"),
    "phone": {"e164": "+447400100123", **prefix_params("rev", "3210")},
    "name_prefix": prefix_params("name", "sarah co"),
    "name_keys": {"first_key": "SR", "last_key": "KNL"},
    "first_key_last": {"first_key": "SR", **prefix_params("last", "co")},
    "last_prefix": prefix_params("last", "co"),
    "first_key": {"first_key": "SR"},
    "last_key": {"last_key": "KNL"},
    "hits": {"ids": [1, 2, 3]},
}


def _plans(database: Database, explain: str) -> dict[str, str]:
    sql = LookupStatements(database.dialect, 100)
    plans = {}
    with database.write_engine.connect() as conn:
        if database.dialect == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")  # empty tables: force the choice
        for name, params in PARAMS.items():
            statement = getattr(sql, name).params(**params)
            compiled = statement.compile(
                dialect=conn.dialect, compile_kwargs={"literal_binds": True}
            )
            rows = conn.execute(text(f"{explain} {compiled}")).all()
            plans[name] = "\n".join(str(row[-1]) for row in rows)
    return plans


def test_no_lookup_statement_scans_a_table(database: Database) -> None:
    if database.is_sqlite:
        plans = _plans(database, "EXPLAIN QUERY PLAN")
        for name, plan in plans.items():
            assert "SCAN" not in plan, f"{name} scans:\n{plan}"
    else:
        plans = _plans(database, "EXPLAIN")
        for name, plan in plans.items():
            assert "Seq Scan" not in plan, f"{name} scans:\n{plan}"
