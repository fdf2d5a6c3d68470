"""Demo databases of a given size, built once through the CLI and cached.

The cache key is size + seed + a hash of the demo generator's source: a change to the
generator builds afresh. A schema change does not: the cached clinic is brought up to date
through the migrations, as a real clinic's database would be (a million patients take
minutes to build, an index seconds to add).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontdesk.store.engine import open_database
from frontdesk.store.migrate import head_revision, upgrade
from tests.benchmarks.harness import ROOT, Settings, child_env, log, run_child

GENERATOR_SOURCES = [
    "frontdesk/services/demo/service.py",
    "frontdesk/services/demo/rows.py",
    "frontdesk/services/demo/names.py",
    "frontdesk/services/records/patients.py",
    "frontdesk/store/bulk.py",
]


@dataclass(frozen=True)
class DemoDatabase:
    size: int
    path: Path
    meta: dict[str, object]

    @property
    def visits(self) -> int:
        return int(self.meta["report"]["visits"])  # type: ignore[index]


def _key(size: int, seed: int) -> str:
    digest = hashlib.sha256()
    for source in GENERATOR_SOURCES:
        digest.update((ROOT / source).read_bytes())
    return f"demo-{size}-seed{seed}-gen{digest.hexdigest()[:10]}"


def _brought_up_to_date(path: Path, meta_path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    if meta.get("revision") == head_revision():
        return meta
    log(f"  migrating the cached clinic from {meta.get('revision')} to {head_revision()} …")
    database = open_database(str(path))
    try:
        upgrade(database, None)  # no backup copy: the generator can always build it again
    finally:
        database.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    meta = {**meta, "revision": head_revision()}
    meta_path.write_text(json.dumps(meta))
    return meta


def demo_database(settings: Settings, size: int) -> DemoDatabase:
    key = _key(size, settings.seed)
    path = settings.cache / f"{key}.sqlite3"
    meta_path = settings.cache / f"{key}.json"
    if path.exists() and meta_path.exists():
        meta = _brought_up_to_date(path, meta_path, json.loads(meta_path.read_text()))
        return DemoDatabase(size, path, meta)
    settings.cache.mkdir(parents=True, exist_ok=True)
    for stale in settings.cache.glob(f"demo-{size}-seed{settings.seed}-*"):
        stale.unlink()
    building = settings.cache / f"{key}.building.sqlite3"
    for leftover in settings.cache.glob(f"{building.name}*"):
        leftover.unlink()
    log(f"building a {size:,}-patient demo clinic (cached in {settings.cache}) …")
    env = child_env(FRONTDESK_HOME=str(settings.work / "build-home"))
    cli = ["-m", "frontdesk.cli.main", "--db", str(building)]
    run_child(
        [
            *cli,
            "init",
            "--clinic",
            "Harbour Physio",
            "--country",
            "GB",
            "--booking-url",
            "https://harbourphysio.example/book",
        ],
        env,
    )
    started = time.perf_counter()
    report = json.loads(
        run_child(
            [*cli, "--json", "demo", "--patients", str(size), "--seed", str(settings.seed)],
            env,
            timeout=3600,
        )
    )
    seconds = time.perf_counter() - started
    with sqlite3.connect(building) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    building.rename(path)
    for leftover in settings.cache.glob(f"{building.name}*"):
        leftover.unlink()
    meta = {
        "report": report,
        "build_seconds": round(seconds, 1),
        "built_at": time.time(),
        "revision": head_revision(),
    }
    meta_path.write_text(json.dumps(meta))
    log(f"  built in {seconds:.0f} s")
    return DemoDatabase(size, path, meta)


def working_copy(settings: Settings, db: DemoDatabase, label: str) -> Path:
    """A private copy for benchmarks that write, so the cached clinic stays as built."""
    target = settings.work / f"{label}-{db.size}.sqlite3"
    for old in settings.work.glob(f"{target.name}*"):
        old.unlink()
    shutil.copyfile(db.path, target)
    return target
