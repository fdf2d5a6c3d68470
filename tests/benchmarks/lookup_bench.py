"""Lookup: p50/p99 through LookupService against the raw SQLite query for the same row.

Queries are what a receptionist types for real patients of the clinic: their code, their
phone as stored and in national format with spaces, its last four digits, a name prefix,
and a misspelt / sound-alike name. Every round runs every query once; a figure is the median
over rounds of that round's percentile.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from frontdesk.domain.clock import SystemClock
from frontdesk.domain.names import normalize_name, phonetic_key
from frontdesk.services.bootstrap import open_services
from tests.benchmarks.databases import DemoDatabase
from tests.benchmarks.harness import Row, Settings, log, median, percentile, timed_ms

SOUND_ALIKE = {
    "Catherine": "Kathryn",
    "Kathryn": "Catherine",
    "John": "Jon",
    "Jon": "John",
    "Stephen": "Steven",
    "Steven": "Stephen",
    "Sarah": "Sara",
    "Hannah": "Hanna",
}
CODE_PHONE_TARGET_MS = 5.0
CODE_PHONE_TARGET_RATIO = 3.0
NAME_TARGET_MS = {100_000: 30.0, 1_000_000: 100.0}


@dataclass(frozen=True)
class Person:
    id: int
    first: str
    last: str
    phone: str
    code: str


@dataclass(frozen=True)
class Kind:
    key: str
    query: Callable[[Person], str]
    raw_sql: str
    raw_args: Callable[[Person], tuple[object, ...]]
    baseline: str  # what the baseline is, for the README


def _national(phone: str) -> str:
    """+447488092038 → "07488 092038", the way it is written on a form."""
    national = "0" + phone[3:]
    return f"{national[:5]} {national[5:]}"


def _misspelt(person: Person) -> str:
    first = SOUND_ALIKE.get(person.first, person.first)
    last = person.last
    if len(last) >= 4:  # two neighbours swapped: "Okafor" → "Okfaor"
        last = last[:2] + last[3] + last[2] + last[4:]
    return f"{first} {last}"


def _rev_range(suffix: str) -> tuple[str, str]:
    rev = suffix[::-1]
    return rev, rev[:-1] + chr(ord(rev[-1]) + 1)


KINDS = [
    Kind(
        "code",
        lambda p: p.code.lower().replace("-", " "),
        "SELECT p.id, p.first_name, p.last_name, p.phone_e164 FROM referral_code rc "
        "JOIN patient p ON p.id = rc.patient_id WHERE rc.code = ?",
        lambda p: (p.code,),
        "raw indexed query on an open connection",
    ),
    Kind(
        "phone_e164",
        lambda p: p.phone,
        "SELECT id, first_name, last_name, phone_e164 FROM patient WHERE phone_e164 = ?",
        lambda p: (p.phone,),
        "raw indexed query on an open connection",
    ),
    Kind(
        "phone_national",
        lambda p: _national(p.phone),
        "SELECT id, first_name, last_name, phone_e164 FROM patient WHERE phone_e164 = ?",
        lambda p: (p.phone,),
        "raw indexed query for the stored E.164, on an open connection",
    ),
    Kind(
        "phone_last4",
        lambda p: p.phone[-4:],
        "SELECT id, first_name, last_name, phone_e164 FROM patient "
        "WHERE phone_rev >= ? AND phone_rev < ? LIMIT 32",
        lambda p: _rev_range(p.phone[-4:]),
        "raw indexed range on the reversed digits, on an open connection",
    ),
    Kind(
        "name_prefix",
        lambda p: f"{p.first} {p.last[:3]}",
        "SELECT id, name_norm FROM patient NOT INDEXED WHERE name_norm LIKE ? LIMIT 200",
        lambda p: (normalize_name(f"{p.first} {p.last[:3]}") + "%",),
        "full scan of the patient table",
    ),
    Kind(
        "name_misspelt",
        _misspelt,
        "SELECT id, name_norm FROM patient NOT INDEXED "
        "WHERE first_key = ? OR last_key = ? OR last_norm LIKE ? LIMIT 200",
        lambda p: (
            phonetic_key(normalize_name(_misspelt(p)).split(" ")[0]),
            phonetic_key(normalize_name(_misspelt(p)).split(" ")[-1]),
            normalize_name(_misspelt(p)).split(" ")[-1] + "%",
        ),
        "full scan of the patient table",
    ),
]


def _people(conn: sqlite3.Connection, count: int, seed: int) -> list[Person]:
    top = conn.execute("SELECT max(id) FROM patient").fetchone()[0]
    ids = random.Random(seed).sample(range(1, top + 1), min(count, top))
    people = []
    for pid in ids:
        row = conn.execute(
            "SELECT p.id, p.first_name, p.last_name, p.phone_e164, rc.code FROM patient p "
            "JOIN referral_code rc ON rc.patient_id = p.id AND rc.active WHERE p.id = ?",
            (pid,),
        ).fetchone()
        people.append(Person(*row))
    return people


def _found(kind: str, person: Person, names: list[str], ids: list[int]) -> bool:
    if kind.startswith("name"):
        return f"{person.first} {person.last}" in names
    return person.id in ids


def run(settings: Settings, db: DemoDatabase) -> list[Row]:
    size = db.size
    raw = sqlite3.connect(db.path)
    people = _people(raw, 20 if settings.quick else 100, settings.seed)
    services = open_services(str(db.path), None, SystemClock())
    lookup = services.lookup.lookup
    rows: list[Row] = []
    try:
        for kind in KINDS:
            queries = [(p, kind.query(p), kind.raw_args(p)) for p in people]
            for _p, text, args in queries:  # warm the page cache and statement caches
                lookup(text)
                raw.execute(kind.raw_sql, args).fetchall()
            found = sum(
                _found(
                    kind.key, p, [h.patient.name for h in r.hits], [h.patient.id for h in r.hits]
                )
                for p, text, _a in queries
                for r in [lookup(text)]
            )
            p50s, p99s, raw50, raw99 = [], [], [], []
            for _round in range(settings.repeats):
                ours = [timed_ms(lambda t=text: lookup(t)) for _p, text, _a in queries]
                bare = [
                    timed_ms(lambda a=args, sql=kind.raw_sql: raw.execute(sql, a).fetchall())
                    for _p, _t, args in queries
                ]
                p50s.append(percentile(ours, 50))
                p99s.append(percentile(ours, 99))
                raw50.append(percentile(bare, 50))
                raw99.append(percentile(bare, 99))
            found_pct = round(100 * found / len(queries), 1)
            rows += _rows(
                kind,
                size,
                median(p50s),
                median(p99s),
                median(raw50),
                median(raw99),
                found_pct,
                len(queries),
            )
            log(
                f"  lookup {kind.key:15} {size:>9,}: p50 {median(p50s):7.2f} ms  "
                f"p99 {median(p99s):7.2f} ms  raw p99 {median(raw99):7.3f} ms  found {found_pct}%"
            )
    finally:
        services.ctx.db.dispose()
        raw.close()
    return rows


def _rows(
    kind: Kind,
    size: int,
    p50: float,
    p99: float,
    raw50: float,
    raw99: float,
    found_pct: float,
    samples: int,
) -> list[Row]:
    extra = {"found_pct": found_pct, "queries": samples, "baseline_is": kind.baseline}
    target, met = None, None
    if kind.key.startswith("name"):
        limit = NAME_TARGET_MS.get(size)
        if limit is not None:
            target, met = f"p99 <= {limit:g} ms", p99 <= limit
    elif size == 100_000:
        target = f"p99 <= {CODE_PHONE_TARGET_RATIO:g}x raw and <= {CODE_PHONE_TARGET_MS:g} ms"
        met = p99 <= CODE_PHONE_TARGET_MS and p99 <= CODE_PHONE_TARGET_RATIO * raw99
    return [
        Row(f"lookup.{kind.key}", size, "p50", p50, "ms", baseline=raw50, extra=dict(extra)),
        Row(
            f"lookup.{kind.key}",
            size,
            "p99",
            p99,
            "ms",
            baseline=raw99,
            target=target,
            met=met,
            extra=dict(extra),
        ),
    ]
