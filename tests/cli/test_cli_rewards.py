"""referrals, rewards and flags from the command line: JSON shapes, exit codes, nothing
half-written on a refusal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli_checkin import ok, refused, run


def _ledger_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM ledger_entry").fetchone()[0]


@pytest.fixture
def rewarded(tmp_path: Path) -> Path:
    """Sarah referred Tom; Tom's first visit is checked in."""
    db = tmp_path / "clinic.sqlite3"
    assert run(db, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    ok(
        run(
            db,
            "--json",
            "patients",
            "add",
            "--name",
            "Sarah Connolly",
            "--phone",
            "07400 123456",
            "--consent",
        )
    )
    ok(
        run(
            db,
            "--json",
            "patients",
            "add",
            "--name",
            "Tom Baker",
            "--phone",
            "07400 123789",
            "--referred-by",
            "Sarah Connolly",
        )
    )
    checked = ok(run(db, "--json", "checkin", "Tom Baker"))
    # "is queued", or "will go out at 09:00" when the test runs in quiet hours.
    assert any(
        n.startswith("Sarah earned £20.00 credit; a thank-you text") for n in checked["notes"]
    )
    return db


def test_referrals_and_rewards_lists_in_json(rewarded: Path) -> None:
    [referral] = ok(run(rewarded, "--json", "referrals", "list", "--status", "rewarded"))
    assert referral["status"] == "rewarded"
    assert referral["referrer"]["name"] == "Sarah Connolly"
    assert referral["referee"]["phone"] == "+447400123789"
    assert ok(run(rewarded, "--json", "referrals", "list", "--status", "booked")) == []
    rewards = ok(run(rewarded, "--json", "rewards", "list"))
    shapes = {
        (r["patient"]["name"], r["role"], r["kind"], r["amount"], r["status"]) for r in rewards
    }
    assert shapes == {
        ("Sarah Connolly", "referrer", "credit", "20.00", "available"),
        ("Tom Baker", "new_patient", "credit", "10.00", "available"),
    }
    sarah = ok(run(rewarded, "--json", "rewards", "list", "07400 123456"))
    assert sarah["balance"]["available"] == "20.00"
    assert [line["entry_type"] for line in sarah["ledger"]] == ["issued"]
    history = ok(run(rewarded, "--json", "referrals", "show", str(referral["id"])))["history"]
    assert [h["to_status"] for h in history] == ["introduced", "attended", "rewarded"]
    # A stage that does not exist is bad input (2), not a rule refusing (3).
    refused(run(rewarded, "referrals", "list", "--status", "paid"), 2, "invalid choice: 'paid'")
    refused(run(rewarded, "referrals", "list", "--since", "yesterday"), 2, "is not a date")


def test_redeem_partial_then_too_much(rewarded: Path) -> None:
    done = ok(run(rewarded, "--json", "rewards", "redeem", "Sarah Connolly", "--amount", "12.50"))
    assert (done["redeemed"], done["balance"]) == ("12.50", "7.50")
    before = _ledger_rows(rewarded)
    refused(
        run(rewarded, "rewards", "redeem", "Sarah Connolly", "--amount", "8"),
        3,
        "Sarah has £7.50 credit available; £8.00 is more than that.",
    )
    refused(run(rewarded, "rewards", "redeem", "Sarah Connolly", "--amount", "-1"), 2, "above zero")
    refused(
        run(rewarded, "rewards", "redeem", "Sarah Connolly", "--amount", "lots"),
        2,
        "not an amount of money",
    )
    refused(
        run(rewarded, "rewards", "redeem", "Sarah Connolly", "--amount", "5", "--bill", "4"),
        3,
        "never cash",
    )
    assert _ledger_rows(rewarded) == before


def test_program_settings_refuse_nonsense_and_need_an_owner(rewarded: Path) -> None:
    refused(run(rewarded, "rewards", "program", "set", "new_patient", "500%"), 2, "500% off")
    refused(run(rewarded, "rewards", "program", "set", "currency", "XYZ"), 2, "XYZ is not")
    refused(run(rewarded, "rewards", "program", "set", "hold_days", "-3"), 2, "0 to 365")
    shown = ok(run(rewarded, "--json", "rewards", "program", "set", "referrer", "25"))
    assert (
        shown["referrer"]["amount_minor"] == 2500 and shown["shown"]["referrer"] == "credit £25.00"
    )


def test_the_review_queue(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    assert run(db, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    ok(
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
            "sarah@connolly-family.ie",
        )
    )
    added = ok(
        run(
            db,
            "--json",
            "patients",
            "add",
            "--name",
            "Sean Connolly",
            "--phone",
            "07400 123999",
            "--email",
            "sean@connolly-family.ie",
            "--referred-by",
            "Sarah Connolly",
        )
    )
    assert any("same private email domain" in note for note in added["notes"])
    [flag] = ok(run(db, "--json", "flags", "list"))
    assert flag["rule"] == "household" and "email_domain" in flag["shared"]
    assert flag["referee"]["name"] == "Sean Connolly"
    shown = run(db, "flags", "show", str(flag["id"]))
    assert "← shared" in shown.stdout
    refused(run(db, "flags", "reject", str(flag["id"]), "--reason", " "), 2, "reason is required")
    decision = ok(run(db, "--json", "flags", "approve", str(flag["id"]), "--reason", "brother"))
    assert decision["status"] == "approved" and decision["message"].startswith("Approved.")
    refused(run(db, "flags", "approve", str(flag["id"])), 3, "already approved")
    assert ok(run(db, "--json", "flags", "list")) == []
    assert len(ok(run(db, "--json", "flags", "list", "--status", "all"))) == 1
