"""The check before writing: SQLite's quick check, remembered while the file is unchanged,
bounded in time, and never writing a byte to the file it checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from frontdesk.store.health import VerdictCache, verdict


def _database(path: Path, rows: int = 2000) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 200,)] * rows)
    return path


def test_an_ok_verdict_is_remembered_until_the_file_changes(tmp_path: Path) -> None:
    db = _database(tmp_path / "a.sqlite3")
    cache = VerdictCache(tmp_path / "checked.json")
    assert verdict(db, cache).detail == "ok"
    assert verdict(db, cache).detail == "ok (unchanged since the last check)"
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO t (body) VALUES ('more')")
    assert verdict(db, cache).detail == "ok"  # changed: checked again


def test_a_damaged_file_is_never_remembered_as_ok(tmp_path: Path) -> None:
    db = _database(tmp_path / "a.sqlite3")
    cache = VerdictCache(tmp_path / "checked.json")
    data = bytearray(db.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xff" * 8192
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    first, second = verdict(db, cache), verdict(db, cache)
    assert first.ok is False and second.ok is False
    assert "\n" not in first.detail
    assert db.read_bytes() == before
    assert not db.with_name("a.sqlite3-wal").exists()  # nothing made beside it either


def test_a_check_past_its_budget_gives_no_verdict(tmp_path: Path) -> None:
    db = _database(tmp_path / "a.sqlite3", rows=20_000)
    result = verdict(db, budget_s=0)
    assert result.ok is None and "time budget" in result.detail


def test_an_empty_file_and_a_wiped_header_are_damage(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert verdict(empty).detail == "the file is empty (0 bytes)"
    wiped = _database(tmp_path / "b.sqlite3")
    wiped.write_bytes(bytes(100) + wiped.read_bytes()[100:])
    assert "header" in str(verdict(wiped).detail)
