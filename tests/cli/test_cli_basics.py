"""The command line end to end, in a real subprocess, on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(db: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "FRONTDESK_HOME": str(home or db.parent / "home"), "PYTHONPATH": str(repo)}
    env.pop("FRONTDESK_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "clinic.sqlite3"
    assert run(db, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    result = run(db, "demo", "--patients", "300", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return db


def test_init_creates_a_clinic_with_the_countrys_defaults(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    result = run(db, "--json", "init", "--clinic", "Harbour Physio", "--country", "gb")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["country"] == "GB"
    assert info["timezone"] == "Europe/London"
    assert info["currency"] == "GBP"


def test_init_twice_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    run(db, "init", "--clinic", "Harbour Physio", "--country", "GB")
    again = run(db, "init", "--clinic", "Other Clinic", "--country", "US")
    assert again.returncode == 3
    assert again.stderr.strip() == "frontdesk: This database already belongs to a clinic."
    shown = json.loads(run(db, "--json", "settings", "get", "clinic.name").stdout)
    assert shown == {"clinic.name": "Harbour Physio"}


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    result = run(db, "init", "--clinic", "X", "--country", "Narnia")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "not a country code" in result.stderr
    assert "Traceback" not in result.stderr


def test_commands_on_an_empty_database_say_how_to_start(tmp_path: Path) -> None:
    result = run(tmp_path / "new.sqlite3", "lookup", "sarah")
    assert result.returncode == 2
    assert f"There is no clinic at {tmp_path / 'new.sqlite3'}." in result.stderr
    assert "init --clinic NAME --country CC" in result.stderr
    assert not (tmp_path / "new.sqlite3").exists()  # a mistyped --db creates no clinic


def test_lookup_finds_a_demo_patient_by_code_in_json(demo_db: Path) -> None:
    import sqlite3

    code, first = (
        sqlite3.connect(demo_db)
        .execute(
            "SELECT c.code, p.first_name FROM referral_code c JOIN patient p ON p.id = c.patient_id"
            " ORDER BY c.id LIMIT 1"
        )
        .fetchone()
    )
    result = run(demo_db, "--json", "lookup", code.lower().replace("-", " "))
    assert result.returncode == 0, result.stderr
    patients = json.loads(result.stdout)
    assert patients[0]["code"] == code
    assert patients[0]["name"].startswith(first)
    assert patients[0]["phone"].startswith("+44")
    assert set(patients[0]) >= {"id", "name", "phone", "email", "code"}


def test_lookup_of_nobody_exits_2(demo_db: Path) -> None:
    result = run(demo_db, "lookup", "zzqxw")
    assert result.returncode == 2
    assert "No one matches" in result.stderr


def test_settings_set_validates_and_round_trips(demo_db: Path) -> None:
    assert run(demo_db, "settings", "set", "sms.quiet_start", "21:30").returncode == 0
    bad = run(demo_db, "settings", "set", "sms.quiet_start", "25:00")
    assert bad.returncode == 2 and "time like 20:00" in bad.stderr
    unknown = run(demo_db, "settings", "set", "sms.colour", "blue")
    assert unknown.returncode == 2 and "no setting called 'sms.colour'" in unknown.stderr
    shown = json.loads(run(demo_db, "--json", "settings", "get", "sms.quiet_start").stdout)
    assert shown == {"sms.quiet_start": "21:30"}


def test_db_upgrade_reports_head(demo_db: Path) -> None:
    result = run(demo_db, "--json", "db", "upgrade")
    info = json.loads(result.stdout)
    assert info["revision"] == info["head"]


def test_demo_refuses_a_clinic_that_has_patients(demo_db: Path) -> None:
    result = run(demo_db, "demo", "--patients", "10")
    assert result.returncode == 3
    assert "already has patients" in result.stderr


def test_version_is_the_installed_one_and_needs_no_database(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = run(tmp_path / "never-made.sqlite3", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"frontdesk {version('frontdesk')}"
    assert not (tmp_path / "never-made.sqlite3").exists()
