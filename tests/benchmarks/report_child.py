"""A child process for the report benchmark: open the services over a database in a fresh
process and time ``ReportService.monthly`` — the first call (cold: new connection, empty
SQLite page cache, nothing compiled) and then ``warm`` calls more on the same services.

    python report_child.py DB_PATH CLOCK_ISO MONTH|- WARM_CALLS

Prints one JSON line on stdout: open_ms, cold_ms, cold_cpu_ms, warm_ms[], warm_cpu_ms[] and
what the report counted (so the parent can say what was measured).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> int:
    path, clock_at, month, warm_calls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    from datetime import datetime

    from frontdesk.domain.clock import FixedClock
    from frontdesk.services.bootstrap import open_services

    clock = FixedClock(datetime.fromisoformat(clock_at))
    services, open_ms, _ = _timed(lambda: open_services(path, None, clock))
    wanted = None if month == "-" else month
    try:
        report, cold_ms, cold_cpu = _timed(lambda: services.reports.monthly(wanted))
        warm, warm_cpu = [], []
        for _ in range(warm_calls):
            _, wall, cpu = _timed(lambda: services.reports.monthly(wanted))
            warm.append(wall)
            warm_cpu.append(cpu)
    finally:
        services.ctx.db.dispose()
    data = {
        "open_ms": open_ms,
        "cold_ms": cold_ms,
        "cold_cpu_ms": cold_cpu,
        "warm_ms": warm,
        "warm_cpu_ms": warm_cpu,
        "month": report.month,
        "is_partial": report.is_partial,
        "attended": report.this.attended,
        "referred_visits_12_months": sum(f.referred_visits for f in report.trend),
        "introductions_12_months": sum(f.introductions for f in report.trend),
    }
    sys.stdout.write(json.dumps(data) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
