"""What every benchmark shares: the result row, percentiles, repeats, timing of children."""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Settings:
    """How hard to measure: ``--quick`` is a smoke run for CI, not a figure to publish."""

    quick: bool
    cache: Path
    work: Path
    seed: int = 7

    @property
    def repeats(self) -> int:
        return 2 if self.quick else 5

    @property
    def process_repeats(self) -> int:
        return 1 if self.quick else 7


@dataclass
class Row:
    name: str
    size: int | None
    metric: str
    value: float | None
    unit: str
    baseline: float | None = None
    target: str | None = None
    met: bool | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "size": self.size,
            "metric": self.metric,
            "value": _round(self.value),
            "unit": self.unit,
        }
        if self.baseline is not None:
            data["baseline"] = _round(self.baseline)
            if self.value is not None and self.baseline > 0:
                data["ratio"] = round(self.value / self.baseline, 2)
        if self.target is not None:
            data["target"] = self.target
        if self.met is not None:
            data["met"] = self.met
        if self.note:
            data["note"] = self.note
        data.update(self.extra)
        return data


def not_measured(name: str, size: int | None, metric: str, unit: str, why: str) -> Row:
    return Row(name, size, metric, None, unit, note=f"not measured: {why}")


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    if value == 0 or abs(value) >= 100:
        return round(value, 1)
    return round(value, max(2, 3 - math.floor(math.log10(abs(value)))))


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: p99 of 200 samples is the 198th smallest."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def timed_ms(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_child(args: Sequence[str], env: dict[str, str], timeout: float = 300) -> str:
    """Run a Python child (``python -m`` or a script) and return its stdout; fail loudly."""
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
