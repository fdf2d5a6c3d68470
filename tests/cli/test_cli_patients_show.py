"""patients show (the card as the desk sees it) and the clinic's clock, from the command line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BOOK = "https://clinic.example/book#form"


def run(db: Path, *args: str, tz: str = "Asia/Tokyo") -> subprocess.CompletedProcess[str]:
    """The PC's own zone (TZ) is deliberately neither UTC nor the clinic's."""
    env = {**os.environ, "FRONTDESK_HOME": str(db.parent / "home"), "PYTHONPATH": str(REPO)}
    env.pop("FRONTDESK_DATABASE_URL", None)
    env.pop("FRONTDESK_PIN", None)
    env["TZ"] = tz
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


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Path, dict, dict]:
    """Sarah referred Tom; Tom came in, so Sarah has credit and Tom's referral is rewarded."""
    db = tmp_path / "clinic.sqlite3"
    init = ("init", "--clinic", "Harbour Physio", "--country", "GB", "--booking-url", BOOK)
    assert run(db, *init).returncode == 0
    add = ("--json", "patients", "add", "--consent")
    sarah = ok(run(db, *add, "--name", "Sarah Connolly", "--phone", "07400 123456"))
    tom = ok(
        run(db, *add, "--name", "Tom Baker", "--phone", "07400 123789", "--referred-by", "Sarah")
    )
    assert run(db, "checkin", tom["code"], "--amount", "55").returncode == 0
    return db, sarah, tom


def test_patients_show_prints_the_card(clinic: tuple[Path, dict, dict]) -> None:
    db, sarah, _tom = clinic
    shown = run(db, "patients", "show", sarah["code"])
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"Sarah Connolly  {sarah['code']}"
    assert "Phone:       +44 ••• ••• •456 (SMS ✓)" in lines  # masked, as on the screen
    assert "Credit:      £20.00 available to redeem" in lines
    assert "Referred:    Tom Baker (rewarded)" in lines
    assert f"Link:        https://clinic.example/book?ref={sarah['code']}#form" in lines

    tom_lines = run(db, "patients", "show", "Tom Baker").stdout.splitlines()
    assert any(
        line.startswith("Referred by: Sarah Connolly on ") and line.endswith(" — rewarded")
        for line in tom_lines
    ), tom_lines
    assert "Welcome:     £10.00 welcome credit" in tom_lines
    assert any(line.startswith("Visits:      1, last ") for line in tom_lines), tom_lines


def test_patients_show_json_has_the_same_facts(clinic: tuple[Path, dict, dict]) -> None:
    db, sarah, tom = clinic
    card = ok(run(db, "--json", "patients", "show", "07400 123456"))
    assert {k: card[k] for k in ("id", "name", "phone", "code")} == {
        "id": sarah["id"],
        "name": "Sarah Connolly",
        "phone": "+447400123456",
        "code": sarah["code"],
    }
    assert (card["credit"], card["credit_minor"], card["currency"]) == ("£20.00", 2000, "GBP")
    assert card["link"] == f"https://clinic.example/book?ref={sarah['code']}#form"
    assert card["referral"] is None and card["flag"] is None
    [made] = card["referrals_made"]
    assert made["referrer"]["id"] == sarah["id"] and made["status"] == "rewarded"
    assert made["referee"] == {"id": tom["id"], "name": "Tom Baker"}

    toms = ok(run(db, "--json", "patients", "show", tom["code"]))
    assert toms["referral"]["status"] == "rewarded"
    assert toms["referral"]["referrer"] == {"id": sarah["id"], "name": "Sarah Connolly"}
    assert toms["referral"]["referee"]["id"] == tom["id"]
    assert toms["visits"] == 1 and toms["checked_in_today"] is True


def test_patients_show_explains_an_unknown_patient(clinic: tuple[Path, dict, dict]) -> None:
    db, _sarah, _tom = clinic
    result = run(db, "patients", "show", "Nobody Here")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("frontdesk: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_message_lists_read_the_clinics_clock_across_the_clock_change(tmp_path: Path) -> None:
    """A New York clinic on a PC set to Tokyo: texts queued either side of 1 Nov 2026."""
    db = tmp_path / "clinic.sqlite3"
    init = ("init", "--clinic", "Hudson", "--country", "US", "--timezone", "America/New_York")
    assert run(db, *init).returncode == 0
    with sqlite3.connect(db) as conn:
        for stamp in ("2026-10-31 16:30:00", "2026-11-02 16:30:00"):  # stored as UTC
            conn.execute(
                "INSERT INTO outbox_message (to_phone, kind, body, segments, encoding, marketing,"
                " status, not_before, next_attempt_at, attempts, created_at, in_doubt)"
                " VALUES ('+12125550143', 'reminder', 'See you', 1, 'GSM-7', 0, 'pending',"
                " ?, ?, 0, ?, 0)",
                (stamp, stamp, stamp),
            )
    listed = run(db, "messages", "list")
    assert listed.returncode == 0, listed.stderr
    assert "31 Oct 2026 12:30" in listed.stdout  # EDT, UTC-4
    assert "2 Nov 2026 11:30" in listed.stdout  # EST, UTC-5
