"""Which benchmark runs at which sizes, in what order."""

from __future__ import annotations

from collections.abc import Sequence

from tests.benchmarks import lookup_bench
from tests.benchmarks.databases import demo_database
from tests.benchmarks.harness import Row, Settings, log


def run_all(settings: Settings, sizes: Sequence[int], only: set[str] | None) -> list[Row]:
    rows: list[Row] = []

    def wanted(name: str) -> bool:
        return only is None or name in only

    dbs = {size: demo_database(settings, size) for size in sizes}
    if wanted("lookup"):
        for size in sizes:
            log(f"lookup at {size:,} …")
            rows += lookup_bench.run(settings, dbs[size])
    return rows
