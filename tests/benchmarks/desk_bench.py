"""Check-in (new patient + referral + checks + outbox, one transaction) and import (100k-row
CSV), each against the bare thing the machine can do (print is in print_bench)."""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
import subprocess
import time
from datetime import UTC, datetime

from frontdesk.domain.clock import SystemClock
from frontdesk.services.bootstrap import open_services
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER
from tests.benchmarks.databases import DemoDatabase, working_copy
from tests.benchmarks.harness import Row, Settings, log, median, percentile

CHECKIN_LIMIT_MS = 20.0
IMPORT_TARGET = 20_000


def checkin(settings: Settings, db: DemoDatabase) -> list[Row]:
    path = working_copy(settings, db, "checkin")
    services = open_services(str(path), None, SystemClock())
    raw = sqlite3.connect(path, isolation_level=None)
    count = 20 if settings.quick else 200
    referrers = [
        r[0] for r in raw.execute(
            "SELECT code FROM referral_code WHERE active ORDER BY id LIMIT ?", (count,))
    ]  # fmt: skip
    ours, bare = [], []
    try:
        for i, code in enumerate(referrers):
            form = NewPatientForm(
                first_name="Bench", last_name=f"Friend {_letters(i)}", phone=f"07501 {i:06d}",
                email=f"bench.friend{i}@example.org", sms_consent=True,
            )  # fmt: skip
            started = time.perf_counter()
            services.patients.add(SOLE_OWNER, form, referred_by=code)
            ours.append((time.perf_counter() - started) * 1000)
            bare.append(_bare_checkin(raw, i))
    finally:
        services.ctx.db.dispose()
        raw.close()
        path.unlink(missing_ok=True)
    p99, base = percentile(ours, 99), percentile(bare, 99)
    log(
        f"  check-in {db.size:,}: p50 {percentile(ours, 50):.1f} ms p99 {p99:.1f} ms "
        f"(bare p99 {base:.2f} ms)"
    )
    target = f"p99 <= {CHECKIN_LIMIT_MS:g} ms" if db.size == 100_000 else None
    extra = {
        "transactions": len(ours),
        "includes": "new patient, code, referral + event, self-referral and known-person "
        "checks, consent, audit, effects (rewards/outbox when configured)",
    }
    return [
        Row("checkin", db.size, "p50", percentile(ours, 50), "ms",
            baseline=percentile(bare, 50), extra=dict(extra)),
        Row("checkin", db.size, "p99", p99, "ms", baseline=base, target=target,
            met=(p99 <= CHECKIN_LIMIT_MS) if target else None, extra=dict(extra)),
    ]  # fmt: skip


def _letters(i: int) -> str:
    """0 → "Aa", 1 → "Ab": a distinct surname for each new patient (names have no digits)."""
    return "A" + "".join(chr(ord("a") + int(d)) for d in f"{i:04d}")


def _bare_checkin(raw: sqlite3.Connection, i: int) -> float:
    """The same rows written with bare INSERTs in one transaction: the floor."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    started = time.perf_counter()
    raw.execute("BEGIN IMMEDIATE")
    pid = raw.execute(
        "INSERT INTO patient (first_name, last_name, name_norm, last_norm, first_key, last_key,"
        " phone_e164, phone_rev, phone_invalid, email, email_norm, sms_consent, source_kind,"
        " created_at) VALUES ('Bare', ?, ?, ?, 'BR', 'FRNT', ?, ?, 0, ?, ?, 1, 'patient', ?)",
        (f"Friend{i}", f"bare friend{i}", f"friend{i}", f"+447502{i:06d}",
         f"{i:06d}2057447"[::1], f"bare{i}@example.org", f"bare{i}@example.org", now),
    ).lastrowid  # fmt: skip
    raw.execute(
        "INSERT INTO referral_code (patient_id, code, code_suffix, active, created_at)"
        " VALUES (?, ?, ?, 1, ?)",
        (pid, f"BARE-{i:04d}X", f"{i:03d}X"[-4:], now),
    )
    rid = raw.execute(
        "INSERT INTO referral (referrer_id, referee_id, channel, status, created_at)"
        " VALUES (1, ?, 'desk', 'introduced', ?)",
        (pid, now),
    ).lastrowid
    raw.execute(
        "INSERT INTO referral_event (referral_id, to_status, at) VALUES (?, 'introduced', ?)",
        (rid, now),
    )
    raw.execute(
        "INSERT INTO outbox_message (patient_id, to_phone, kind, body, segments, encoding,"
        " marketing, status, not_before, next_attempt_at, attempts, created_at)"
        " VALUES (?, ?, 'welcome', 'Welcome!', 1, 'GSM-7', 0, 'pending', ?, ?, 0, ?)",
        (pid, f"+447502{i:06d}", now, now, now),
    )
    raw.execute("COMMIT")
    return (time.perf_counter() - started) * 1000


# -- import -----------------------------------------------------------------------------------
def _csv(settings: Settings, rows: int) -> str:
    path = settings.work / f"patients-{rows}.csv"
    rng = random.Random(3)
    firsts = ["Anna", "Tom", "Priya", "Kwame", "Zoë", "Łukasz", "Siobhán", "Wei", "María"]
    lasts = ["Okafor", "Smith", "Kaur", "O'Brien", "Nowak", "Chen", "García", "Evans"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["First name", "Last name", "Mobile", "Email", "Year of birth"])
        for i in range(rows):
            first, last = rng.choice(firsts), rng.choice(lasts)
            number = f"7502 {i // 1000 % 1000:03d} {i % 1000:03d}"
            phone = rng.choice([f"0{number}", f"+44 {number}", f"(0{number[:4]}) {number[5:]}"])
            writer.writerow([first, last, phone, f"{first}.{last}.{i}@example.org".lower(),
                             rng.randrange(1940, 2008)])  # fmt: skip
    return str(path)


def import_rows(settings: Settings, db: DemoDatabase) -> list[Row]:
    rows = 5_000 if settings.quick else 100_000
    csv_path = _csv(settings, rows)
    speeds, bare = [], []
    for _ in range(max(settings.repeats - 2, 1)):
        path = working_copy(settings, db, "import")
        services = open_services(str(path), None, SystemClock())
        try:
            result = services.imports.run(SOLE_OWNER, csv_path, duplicates="merge")
        finally:
            services.ctx.db.dispose()
            path.unlink(missing_ok=True)
        speeds.append(result.rows_per_second)
        bare.append(_sqlite_import(settings, csv_path, rows))
    value, base = median(speeds), median(bare)
    log(
        f"  import {rows:,} rows into {db.size:,}: {value:,.0f} rows/s (sqlite3 .import "
        f"{base:,.0f} rows/s)"
    )
    return [
        Row("import", db.size, "rows_per_s", value, "rows/s", baseline=base,
            target=f">= {IMPORT_TARGET:,} rows/s", met=value >= IMPORT_TARGET,
            extra={"csv_rows": rows, "phone_formats": "national, +44, (0xxxx) spaced",
                   "baseline_is": "sqlite3 CLI .import into an empty table"}),
    ]  # fmt: skip


def _sqlite_import(settings: Settings, csv_path: str, rows: int) -> float:
    target = settings.work / "bare-import.sqlite3"
    target.unlink(missing_ok=True)
    cli = shutil.which("sqlite3")
    started = time.perf_counter()
    if cli:
        subprocess.run([cli, str(target), "-cmd", ".mode csv", f".import {csv_path} patients"],
                       check=True, capture_output=True)  # fmt: skip
    else:  # documented fallback: Python's sqlite3 executemany of the parsed rows
        with open(csv_path, encoding="utf-8") as f, sqlite3.connect(target) as conn:
            reader = csv.reader(f)
            next(reader)
            conn.execute("CREATE TABLE patients (a, b, c, d, e)")
            conn.executemany("INSERT INTO patients VALUES (?, ?, ?, ?, ?)", reader)
    return rows / (time.perf_counter() - started)
