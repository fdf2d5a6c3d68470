"""Which benchmark runs at which sizes, in what order; what is not built says so."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tests.benchmarks import (
    desk_bench,
    gui_bench,
    lookup_bench,
    print_bench,
    report_bench,
    sync_bench,
)
from tests.benchmarks.databases import demo_database
from tests.benchmarks.harness import Row, Settings, log, not_measured

# Rows of issue 7's table not measured yet (name, metric, unit, why): none left.
NOT_BUILT: dict[str, tuple[str, str, str, str]] = {}


def _near(sizes: Sequence[int], wanted: int) -> int:
    """The measured size closest to what a target names (100k for start-up, 1M for typing)."""
    return min(sizes, key=lambda s: (abs(s - wanted), -s))


def run_all(settings: Settings, sizes: Sequence[int], only: set[str] | None) -> list[Row]:
    rows: list[Row] = []

    def wanted(name: str) -> bool:
        return only is None or name in only

    def guarded(name: str, size: int | None, metric: str, unit: str, fn: Callable[[], list[Row]]):
        try:
            return fn()
        except Exception as error:  # a benchmark that breaks says why; the rest still run
            log(f"  {name} failed: {error}")
            return [not_measured(name, size, metric, unit, f"failed: {str(error)[:200]}")]

    dbs = {}
    databases = {"lookup", "checkin", "startup", "typing", "memory", "import", "report", "sync"}
    if only is None or only & databases:  # print needs none: don't build 1M for it
        dbs = {size: demo_database(settings, size) for size in sizes}
    if wanted("lookup"):
        for size in sizes:
            log(f"lookup at {size:,} …")
            rows += guarded(
                "lookup", size, "p99", "ms", lambda s=size: lookup_bench.run(settings, dbs[s])
            )
    if wanted("checkin"):
        for size in sizes:
            log(f"check-in at {size:,} …")
            rows += guarded(
                "checkin", size, "p99", "ms", lambda s=size: desk_bench.checkin(settings, dbs[s])
            )
    if wanted("startup"):
        db = dbs[_near(sizes, 100_000)]
        log(f"start-up at {db.size:,} …")
        rows += guarded("startup", db.size, "ready", "ms", lambda: gui_bench.startup(settings, db))
    if wanted("typing"):
        db = dbs[_near(sizes, 1_000_000)]
        log(f"typing at {db.size:,} …")
        rows += guarded(
            "typing", db.size, "longest_stall", "ms", lambda: gui_bench.typing(settings, db)
        )
    if wanted("memory"):
        db = dbs[_near(sizes, 1_000_000)]
        log(f"memory at {db.size:,} …")
        rows += guarded("memory", db.size, "peak_rss", "MB", lambda: gui_bench.memory(settings, db))
    if wanted("import"):
        db = dbs[_near(sizes, 100_000)]
        log(f"import into {db.size:,} …")
        rows += guarded("import", db.size, "rows_per_s", "rows/s",
                        lambda: desk_bench.import_rows(settings, db))  # fmt: skip
    if wanted("print"):
        log("print …")
        rows += guarded("print", 500, "cards_to_pdf", "s", lambda: print_bench.cards(settings))
    if wanted("sync"):
        db = dbs[_near(sizes, 10_000)]
        log(f"sync from {db.size:,} …")
        rows += guarded("sync", None, "msgs_per_s", "msgs/s", lambda: sync_bench.run(settings, db))
    if wanted("report"):
        for size in sizes:  # cheap at every size; the target applies from 1M visits up
            log(f"report at {size:,} ({dbs[size].visits:,} visits) …")
            rows += guarded(
                "report",
                size,
                "monthly",
                "s",
                lambda s=size: report_bench.monthly(settings, dbs[s]),
            )
    for key, (name, metric, unit, why) in NOT_BUILT.items():
        if wanted(key):
            rows.append(not_measured(name, None, metric, unit, why))
    return rows
