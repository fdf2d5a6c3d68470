"""Peak memory of the CSV import on 200 MB files (a benchmark, not part of the test run).

    python tests/benchmarks/import_memory_bench.py [--mb 200] [--work DIR]

Each case runs in a fresh child process and reports its peak resident memory
(``ru_maxrss``), so the figure is the import's, not this script's:

- ``one line``: a 200 MB file that is a single line; refused after reading 64 KB of it.
- ``outlook``: a 200 MB Outlook-shaped contacts export (90 columns, long notes); the
  preview reads it streamed and keeps only the patients' own fields.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.dataio.exports_shaped import OUTLOOK_HEADER

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from frontdesk.domain.clock import SystemClock
from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.bundle import build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade

db = open_database(sys.argv[2])
upgrade(db)
services = build_services(ServiceContext(db=db, clock=SystemClock()))
services.clinic.init(SOLE_OWNER, name="Bench Clinic", country="GB")
started = time.perf_counter()
try:
    preview = services.imports.preview(sys.argv[1])
    outcome = f"{preview.new_patients:,} new patients, {len(preview.problems):,} problems"
except InvalidInputError as error:
    outcome = error.message
print(json.dumps({
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "seconds": round(time.perf_counter() - started, 1),
    "outcome": outcome,
}))
"""


def one_line(path: Path, megabytes: int) -> Path:
    with path.open("w", encoding="utf-8") as file:
        file.write("First Name,Last Name,Notes\nAnn,Lee,")
        chunk = "x" * (1024 * 1024)
        for _ in range(megabytes):
            file.write(chunk)
        file.write("\n")
    return path


def outlook(path: Path, megabytes: int) -> Path:
    notes = "Prefers morning appointments; knee rehab, see letter from GP. " * 12
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow(OUTLOOK_HEADER)
        index = 0
        while file.tell() < megabytes * 1024 * 1024:
            row = dict.fromkeys(OUTLOOK_HEADER, "")
            row.update(
                {
                    "First Name": f"Ann{chr(97 + index % 26)}",
                    "Last Name": f"Lee{chr(97 + index // 26 % 26)}{chr(97 + index // 676 % 26)}",
                    "Mobile Phone": f"07400 {index % 1_000_000:06d}",
                    "Home Street": f"{index % 300} Harbour Road",
                    "Home City": "Leeds",
                    "Home Postal Code": "LS1 4AB",
                    "E-mail Address": f"p{index}@example.org",
                    "Notes": notes,
                }
            )
            writer.writerow(row.values())
            index += 1
    return path


def measure(path: Path, work: Path) -> dict[str, object]:
    db = work / f"{path.stem}.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(db)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["file_mb"] = round(path.stat().st_size / 1024 / 1024)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="file size in MB")
    parser.add_argument("--work", type=Path, help="where the files go (default: a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="frontdesk-import-mem-") as temp:
        work = args.work or Path(temp)
        for name, build in (("one line", one_line), ("outlook", outlook)):
            path = build(work / f"{name.replace(' ', '_')}.csv", args.mb)
            figures = measure(path, work)
            print(json.dumps({"case": name, **figures}))
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
