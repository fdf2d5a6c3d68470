"""Copies of the SQLite file taken with the online backup API (safe while desks are open)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live database to ``target`` consistently, even mid-write by another process."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    # A backup is either whole or absent: rename is atomic on the same volume.
    partial.replace(target)
    return target


def rotate_backups(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest ``*.sqlite3`` backups beyond ``keep``; returns what was removed."""
    backups = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = backups[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_name(label: str, at: datetime) -> str:
    return f"frontdesk-{at:%Y%m%d-%H%M%S}-{label}.sqlite3"


def integrity_check(path: Path) -> str:
    """SQLite's own verdict: 'ok' or the first problem it found."""
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()
