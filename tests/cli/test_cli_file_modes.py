"""Patients' details on disk are the owner's alone: files 0600, folders 0700 (POSIX)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def run(db: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "FRONTDESK_HOME": str(home), "PYTHONPATH": str(repo)}
    env.pop("FRONTDESK_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),  # a usual, permissive login umask
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_backup_and_export_create_owner_only_files(tmp_path: Path) -> None:
    db, home = tmp_path / "clinic.sqlite3", tmp_path / "home"
    assert run(db, home, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    backed_up = run(db, home, "backup")
    assert backed_up.returncode == 0, backed_up.stderr
    out = tmp_path / "patients.csv"
    assert run(db, home, "export", "patients", "--out", str(out)).returncode == 0
    assert mode(db) == 0o600
    assert mode(out) == 0o600
    assert mode(home) == 0o700
    backups = home / "backups"
    assert mode(backups) == 0o700
    copies = list(backups.iterdir())
    assert copies and all(mode(copy) == 0o600 for copy in copies)


def test_a_database_left_readable_by_an_older_version_is_tightened(tmp_path: Path) -> None:
    db, home = tmp_path / "clinic.sqlite3", tmp_path / "home"
    run(db, home, "init", "--clinic", "Harbour Physio", "--country", "GB")
    db.chmod(0o644)
    assert run(db, home, "settings", "get", "clinic.name").returncode == 0
    assert mode(db) == 0o600
