"""The benchmark runner keeps working: ``run.py --quick`` (what CI runs) writes well-formed
figures. The figures themselves are measured in a full run, not here."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"lookup", "checkin", "startup", "typing", "memory", "import", "print", "sync", "report"}


def test_quick_run_writes_a_row_per_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FRONTDESK_HOME": str(tmp_path / "h")}
    done = subprocess.run(
        [sys.executable, "tests/benchmarks/run.py", "--quick", "--out", str(out),
         "--cache", str(tmp_path / "cache")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(out.read_text())
    assert isinstance(rows, list) and rows
    for row in rows:
        assert {"name", "size", "metric", "value", "unit"} <= set(row), row
        assert isinstance(row["name"], str) and isinstance(row["unit"], str)
        if row["value"] is None:  # never a made-up figure: it says why instead
            assert row["note"].startswith("not measured: "), row
            continue
        assert isinstance(row["value"], int | float) and math.isfinite(row["value"])
        if "baseline" in row:
            assert row["baseline"] > 0
            assert math.isclose(
                row["ratio"], row["value"] / row["baseline"], rel_tol=0.05, abs_tol=0.01
            )
    assert {row["name"].split(".")[0] for row in rows} == KINDS
    measured = {row["name"].split(".")[0] for row in rows if row["value"] is not None}
    assert {"lookup", "startup", "memory", "sync"} <= measured
    lookups = [r for r in rows if r["name"].startswith("lookup.") and r["metric"] == "p99"]
    assert all(r["size"] == 10_000 and r["unit"] == "ms" and "baseline" in r for r in lookups)
    reports = [r for r in rows if r["name"] == "report"]
    assert {r["metric"] for r in reports} == {"monthly", "monthly_cold"}
    assert all(r["size"] == 10_000 and r["value"] > 0 and r["visits"] > 10_000 for r in reports)
    assert "| benchmark |" in done.stderr  # the README table
