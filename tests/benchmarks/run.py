"""Run every benchmark and write the figures as JSON (and a table on stderr).

    python tests/benchmarks/run.py [--sizes 10000,100000,1000000] [--quick] [--out FILE.json]

Databases are demo clinics built through the CLI and cached (``--cache``, default the user
cache directory); ``--quick`` measures 10k only with few repeats, for CI.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import platformdirs

from tests.benchmarks import suite
from tests.benchmarks.harness import Settings, log
from tests.benchmarks.report_table import markdown_table

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="patients per database, e.g. 10000,100000,1000000")
    parser.add_argument("--quick", action="store_true", help="10k only, few repeats (< 2 min)")
    parser.add_argument("--out", type=Path, help="write the JSON list here (default: stdout)")
    parser.add_argument("--cache", type=Path, help="where built databases are kept")
    parser.add_argument("--only", help="comma-separated benchmark names (lookup,startup,…)")
    args = parser.parse_args(argv)
    if args.quick and args.sizes:
        parser.error("--quick measures 10k only; leave out --sizes")
    try:
        sizes = [int(s) for s in (args.sizes or "").split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes takes whole numbers separated by commas, not {args.sizes!r}")
    if any(not 1_000 <= s <= 1_000_000 for s in sizes):
        parser.error("each size is between 1000 and 1000000 patients")
    args.size_list = [10_000] if args.quick else sorted(set(sizes or DEFAULT_SIZES))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # print renders with Qt, headless
    cache = args.cache or Path(platformdirs.user_cache_dir("frontdesk-benchmarks", False))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as work:
        settings = Settings(quick=args.quick, cache=cache, work=Path(work))
        only = set(args.only.split(",")) if args.only else None
        rows = suite.run_all(settings, args.size_list, only)
    data = [row.as_json() for row in rows]
    text = json.dumps(data, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    else:
        print(text)
    log(markdown_table(data))
    log(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
