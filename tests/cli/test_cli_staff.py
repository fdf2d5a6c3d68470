"""Staff accounts and the audit log from the command line, in a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

OWNER_PIN, DESK_PIN = "1234", "5678"


def run(
    db: Path, *args: str, pin: str | None = None, new_pin: str | None = None
) -> subprocess.CompletedProcess[str]:
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "FRONTDESK_HOME": str(db.parent / "home"), "PYTHONPATH": str(repo)}
    for name in ("FRONTDESK_DATABASE_URL", "FRONTDESK_PIN", "FRONTDESK_NEW_PIN"):
        env.pop(name, None)
    if pin is not None:
        env["FRONTDESK_PIN"] = pin
    if new_pin is not None:
        env["FRONTDESK_NEW_PIN"] = new_pin
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clinic with an owner (Sam) and a receptionist (Anna), built once and copied."""
    db = tmp_path_factory.mktemp("template") / "clinic.sqlite3"
    assert run(db, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    added = run(db, "staff", "add", "Sam", "--role", "owner", new_pin=OWNER_PIN)
    assert added.returncode == 0, added.stderr
    desk = run(
        db, "--staff", "Sam", "staff", "add", "Anna", "--role", "receptionist",
        pin=OWNER_PIN, new_pin=DESK_PIN,
    )  # fmt: skip
    assert desk.returncode == 0, desk.stderr
    return db


@pytest.fixture
def clinic(template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "clinic.sqlite3"
    shutil.copyfile(template, db)
    return db


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


def test_a_new_pin_is_never_an_argument(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    run(db, "init", "--clinic", "Harbour Physio", "--country", "GB")
    result = run(db, "staff", "add", "Sam", "--role", "owner")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "frontdesk: Give the new PIN in FRONTDESK_NEW_PIN (never as an argument)."
    )
    assert "No staff accounts yet" in run(db, "staff", "list").stdout


def test_once_accounts_exist_every_command_needs_staff(clinic: Path) -> None:
    result = run(clinic, "lookup", "sarah")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "--staff NAME" in result.stderr
    no_pin = run(clinic, "--staff", "Anna", "lookup", "sarah")
    assert no_pin.returncode == 2
    assert "FRONTDESK_PIN" in no_pin.stderr


def test_wrong_pin_and_unknown_name_get_the_same_line(clinic: Path) -> None:
    wrong = run(clinic, "--staff", "Anna", "staff", "list", pin="0000")
    unknown = run(clinic, "--staff", "Zed", "staff", "list", pin="0000")
    assert wrong.returncode == unknown.returncode == 3
    assert wrong.stderr == unknown.stderr
    listed = run(
        clinic,
        "--json",
        "--staff",
        "Sam",
        "audit",
        "list",
        "--kind",
        "staff.sign_in_failed",
        pin=OWNER_PIN,
    )
    assert sorted(e["who"] for e in json.loads(listed.stdout)) == ["Anna", "Zed"]


def test_staff_list_shows_names_and_roles(clinic: Path) -> None:
    result = run(clinic, "--json", "--staff", "Anna", "staff", "list", pin=DESK_PIN)
    assert result.returncode == 0, result.stderr
    assert [(m["name"], m["role"]) for m in json.loads(result.stdout)] == [
        ("Sam", "owner"),
        ("Anna", "receptionist"),
    ]


OWNER_ONLY = [
    ("settings", "set", "referral.late_attach_days", "45"),
    ("export", "patients", "--out", "{tmp}/patients.csv"),
    ("staff", "add", "Bob", "--role", "receptionist"),
    ("staff", "disable", "Sam"),
    ("staff", "role", "Anna", "owner"),
    ("staff", "set-pin", "Sam"),
    ("audit", "list"),
    ("backup", "--out", "{tmp}/copy.sqlite3"),
]


@pytest.mark.parametrize("command", OWNER_ONLY, ids=lambda c: " ".join(c[:2]))
def test_owner_only_commands_refuse_a_receptionist_with_exit_3(
    template: Path, clinic: Path, command: tuple[str, ...]
) -> None:
    args = [part.format(tmp=clinic.parent) for part in command]
    audit_before = _rows(clinic, "SELECT * FROM audit_event")
    refused = run(clinic, "--staff", "Anna", *args, pin=DESK_PIN, new_pin="9999")
    assert refused.returncode == 3, refused.stderr
    assert refused.stderr.startswith("frontdesk: Only an owner can ")
    assert not (clinic.parent / "patients.csv").exists()
    assert not (clinic.parent / "copy.sqlite3").exists()
    assert _rows(clinic, "SELECT * FROM audit_event") == audit_before  # nothing audited
    staff = "SELECT name, role, active, pin_hash FROM staff ORDER BY id"
    assert _rows(clinic, staff) == _rows(template, staff)
    setting = "SELECT value_json FROM setting WHERE key = 'referral.late_attach_days'"
    assert _rows(clinic, setting) == _rows(template, setting)


def test_the_owner_runs_them_and_the_audit_names_who(clinic: Path) -> None:
    tmp = clinic.parent
    assert (
        run(
            clinic,
            "--staff",
            "Sam",
            "settings",
            "set",
            "referral.late_attach_days",
            "45",
            pin=OWNER_PIN,
        ).returncode
        == 0
    )
    assert (
        run(
            clinic,
            "--staff",
            "Sam",
            "export",
            "patients",
            "--out",
            str(tmp / "p.csv"),
            pin=OWNER_PIN,
        ).returncode
        == 0
    )
    assert (
        run(clinic, "--staff", "Sam", "staff", "role", "Anna", "owner", pin=OWNER_PIN).returncode
        == 0
    )
    # Two owners now: one may be disabled, and then cannot sign in.
    assert run(clinic, "--staff", "Anna", "staff", "disable", "Sam", pin=DESK_PIN).returncode == 0
    assert run(clinic, "--staff", "Sam", "staff", "list", pin=OWNER_PIN).returncode == 3
    entries = json.loads(
        run(
            clinic, "--json", "--staff", "Anna", "audit", "list", "--staff", "Sam", pin=DESK_PIN
        ).stdout
    )
    assert {e["action"] for e in entries} >= {"setting.set", "staff.role", "staff.add"}
    assert all(e["who"] == "Sam" for e in entries)


def test_the_last_owner_cannot_be_demoted(clinic: Path) -> None:
    result = run(clinic, "--staff", "Sam", "staff", "role", "Sam", "receptionist", pin=OWNER_PIN)
    assert result.returncode == 3
    assert "last owner" in result.stderr


def test_audit_list_filters_by_day_and_rejects_a_bad_date(clinic: Path) -> None:
    later = run(
        clinic, "--json", "--staff", "Sam", "audit", "list", "--since", "2999-01-01", pin=OWNER_PIN
    )
    assert json.loads(later.stdout) == []
    bad = run(clinic, "--staff", "Sam", "audit", "list", "--since", "yesterday", pin=OWNER_PIN)
    assert bad.returncode == 2
    assert "YYYY-MM-DD" in bad.stderr
