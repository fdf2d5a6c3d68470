"""patients add, lookup, checkin and referrals attach from the command line, end to end."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(db: Path, *args: str, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FRONTDESK_HOME": str(db.parent / "home"), "PYTHONPATH": str(REPO)}
    env.pop("FRONTDESK_DATABASE_URL", None)
    env.pop("FRONTDESK_PIN", None)
    if pin is not None:
        env["FRONTDESK_PIN"] = pin
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr  # one line, no traceback
    assert result.stderr.startswith("frontdesk: ")
    assert words in result.stderr, result.stderr
    assert result.stdout == ""


def table_counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("patient", "referral", "visit")
        )


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    db = tmp_path / "clinic.sqlite3"
    assert run(db, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    sarah = ok(
        run(
            db,
            "--json",
            "patients",
            "add",
            "--name",
            "Sarah Connolly",
            "--phone",
            "07400 123456",
            "--email",
            "Sarah.C@Example.org",
            "--consent",
        )
    )
    assert sarah["phone"] == "+447400123456" and sarah["email"] == "sarah.c@example.org"
    assert sarah["code"].startswith("SARAH-") and sarah["referral"] is None
    return db


def test_the_desk_day_from_the_command_line(clinic: Path) -> None:
    sarah = ok(run(clinic, "--json", "lookup", "07400123456"))[0]
    # A new patient referred by Sarah's code, typed the way people say it.
    tom = ok(
        run(
            clinic,
            "--json",
            "patients",
            "add",
            "--name",
            "Tom Baker",
            "--phone",
            "+44 (0)7400 123789",
            "--referred-by",
            sarah["code"].lower().replace("-", " "),
        )
    )
    assert set(tom) >= {"id", "name", "phone", "email", "code"}
    assert tom["referral"]["status"] == "introduced"
    assert tom["referral"]["referrer"]["id"] == sarah["id"]
    assert tom["referral"]["referee"]["id"] == tom["id"]
    # Check-in by the last four digits of Tom's number, with an amount and the happy mark.
    visit = ok(run(clinic, "--json", "checkin", "3789", "--amount", "£55", "--happy"))
    assert visit["patient"]["id"] == tom["id"]
    assert visit["visit_type"] == "Initial assessment"
    assert visit["amount_minor"] == 5500 and visit["amount"] == "£55.00"
    assert visit["first_visit"] is True and visit["happy"] is True
    assert "First visit: Sarah Connolly's referral is complete." in visit["notes"]
    # Plain text for people.
    text = run(clinic, "lookup", "tom bak")
    assert text.returncode == 0 and "Tom Baker" in text.stdout and "•789" in text.stdout


def test_refusals_exit_3_and_write_nothing(clinic: Path) -> None:
    code = ok(run(clinic, "--json", "lookup", "sarah"))[0]["code"]
    before = table_counts(clinic)
    refused(
        run(
            clinic,
            "patients",
            "add",
            "--name",
            "Sara Conolly",
            "--phone",
            "07400123456",
            "--referred-by",
            code,
        ),
        3,
        "same phone as Sarah Connolly",
    )
    refused(
        run(
            clinic,
            "patients",
            "add",
            "--name",
            "Sarah Connolly",
            "--phone",
            "07400 999888",
            "--email",
            " SARAH.C@example.org",
        ),
        3,
        "already on file for Sarah Connolly",
    )
    assert table_counts(clinic) == before
    # The owner (the single user of a clinic with no staff accounts) may override, with a reason.
    kid = ok(
        run(
            clinic,
            "--json",
            "patients",
            "add",
            "--name",
            "Lily Connolly",
            "--phone",
            "07400123456",
            "--referred-by",
            code,
            "--override-reason",
            "Daughter uses mum's phone",
        )
    )
    assert kid["referral"]["override"] is True


BAD_INPUT = [
    (("patients", "add", "--name", "", "--phone", "07400123000"), "Please enter the patient"),
    (("patients", "add", "--name", "😀", "--phone", "07400123000"), "needs letters"),
    (("patients", "add", "--name", "Tom", "--phone", "0740012"), "too short for GB"),
    (
        ("patients", "add", "--name", "Tom", "--phone", "07400123000", "--email", "tom@"),
        "is missing the end of its domain",
    ),
    (
        (
            "patients",
            "add",
            "--name",
            "Tom",
            "--phone",
            "07400123000",
            "--referred-by",
            "'; DROP TABLE patient; --",
        ),
        "No one on file matches “'; DROP TABLE patient; --”",
    ),
    (("checkin", "nobody here"), "No one on file matches"),
    (("checkin", "sarah", "--amount", "fifty"), "is not an amount"),
    (("checkin", "sarah", "--visit-type", "Botox"), "not one of this clinic's visit types"),
    (("checkin", "x" * 500), "too long"),
    (("referrals", "attach", "sarah", "sarah", "--reason", "x y"), "their own referrer"),
]


def test_bad_input_exits_2_or_3_with_one_clear_line_and_changes_nothing(clinic: Path) -> None:
    before = table_counts(clinic)
    for args, words in BAD_INPUT:
        expected = 3 if "own referrer" in words else 2
        refused(run(clinic, *args), expected, words)
    assert table_counts(clinic) == before


def test_a_mistyped_code_offers_the_real_one(clinic: Path) -> None:
    code = ok(run(clinic, "--json", "lookup", "sarah"))[0]["code"]
    name, suffix = code.split("-")
    swapped = f"{name}-{suffix[1]}{suffix[0]}{suffix[2:]}"
    if suffix[0] == suffix[1]:
        pytest.skip("the sample code has a double symbol")  # pragma: no cover
    result = run(clinic, "checkin", swapped)
    refused(result, 2, f"Did you mean {code}?")


def test_late_attach_within_the_window_and_not_after(clinic: Path) -> None:
    # Tom came in 20 days ago without mentioning Sarah (rows dated directly in the file).
    tom = ok(
        run(clinic, "--json", "patients", "add", "--name", "Tom Baker", "--phone", "07400 123789")
    )
    ok(run(clinic, "--json", "checkin", tom["code"]))
    ann = ok(
        run(clinic, "--json", "patients", "add", "--name", "Ann Lee", "--phone", "07400 123111")
    )
    ok(run(clinic, "--json", "checkin", ann["code"]))
    long_ago = (datetime.now(UTC) - timedelta(days=45)).replace(tzinfo=None)
    twenty = (datetime.now(UTC) - timedelta(days=20)).replace(tzinfo=None)
    with sqlite3.connect(clinic) as conn:
        conn.execute(
            "UPDATE patient SET created_at = ? WHERE id = 1", (long_ago - timedelta(days=1),)
        )
        conn.execute("UPDATE patient SET created_at = ? WHERE id = ?", (twenty, tom["id"]))
        conn.execute("UPDATE visit SET at = ? WHERE patient_id = ?", (twenty, tom["id"]))
        conn.execute("UPDATE patient SET created_at = ? WHERE id = ?", (long_ago, ann["id"]))
        conn.execute("UPDATE visit SET at = ? WHERE patient_id = ?", (long_ago, ann["id"]))
    attached = ok(
        run(
            clinic,
            "--json",
            "referrals",
            "attach",
            tom["code"],
            "sarah connolly",
            "--reason",
            "Tom forgot Sarah's code",
        )
    )
    # The first visit is already past, so the rewards are issued at once.
    assert attached["status"] == "rewarded"
    assert attached["referee"]["id"] == tom["id"] and attached["referrer"]["id"] == 1
    late = run(clinic, "referrals", "attach", ann["code"], "sarah connolly", "--reason", "Forgot")
    refused(late, 3, "The window to attach a referrer closed on")
    assert run(clinic, "settings", "set", "referral.late_attach_days", "60").returncode == 0
    assert (
        ok(
            run(
                clinic,
                "--json",
                "referrals",
                "attach",
                ann["code"],
                "sarah connolly",
                "--reason",
                "Forgot",
            )
        )["status"]
        == "rewarded"
    )


def test_a_receptionist_cannot_override(clinic: Path) -> None:
    sys.path.insert(0, str(REPO))
    from frontdesk.domain.clock import SystemClock
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
    from frontdesk.store.engine import open_database

    db = open_database(str(clinic))
    services = build_services(ServiceContext(db=db, clock=SystemClock()))
    owner = services.staff.add(SOLE_OWNER, "Olivia", "owner", "4826")
    services.staff.add(owner, "Anna", "receptionist", "1357")
    db.dispose()
    code = ok(run(clinic, "--json", "--staff", "Anna", "lookup", "sarah", pin="1357"))[0]["code"]
    result = run(
        clinic,
        "--staff",
        "Anna",
        "patients",
        "add",
        "--name",
        "Lily Connolly",
        "--phone",
        "07400123456",
        "--referred-by",
        code,
        "--override-reason",
        "Daughter",
        pin="1357",
    )
    refused(result, 3, "Only an owner can let through")
