"""CSV exports: mail-merge columns, formula injection defused, owner only, never half-written."""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.domain.csv_safety import safe_cell
from frontdesk.domain.errors import InvalidInputError, PermissionDeniedError
from frontdesk.services.bundle import Services
from frontdesk.services.dataio import exports
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.services.records.patients import NewPatient, add_patient
from frontdesk.store.models import AuditEvent, LedgerEntry, Referral, Reward
from tests.conftest import TEST_NOW

NASTY = {
    '=HYPERLINK("http://evil.example","x")': '\'=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "O'Brien": "O'Brien",
}


@pytest.mark.parametrize(("raw", "written"), NASTY.items())
def test_formula_triggers_are_defused(raw: str, written: str) -> None:
    assert safe_cell(raw) == written


def test_plain_numbers_stay_numbers() -> None:
    assert safe_cell("+447400123456") == "+447400123456"
    assert safe_cell("-20.00") == "-20.00"
    assert safe_cell(None) == "" and safe_cell(True) == "yes" and safe_cell(3) == 3


def _read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to show accents"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _people(services: Services) -> dict[str, tuple[int, str]]:
    made = {}
    rng = random.Random(3)
    with services.ctx.db.begin() as session:
        for first, last, phone in (
            ("Sarah", "Connolly", "+447400123456"),
            ("Zoë", next(iter(NASTY)), "+447400123457"),
            ("Tom", "Baker", "+447400123458"),
        ):
            patient, code = add_patient(
                session,
                NewPatient(first, last, phone, None, None, sms_consent=True),
                TEST_NOW - timedelta(days=3),
                rng,
            )
            made[first] = (patient.id, code)
        referral = Referral(
            referrer_id=made["Sarah"][0],
            referee_id=made["Tom"][0],
            code_used=made["Sarah"][1],
            status="rewarded",
            created_at=TEST_NOW - timedelta(days=2),
            attended_at=TEST_NOW - timedelta(days=1),
            late_attach_reason="=1+1 forgot the code",
        )
        session.add(referral)
        session.flush()
        reward = Reward(
            referral_id=referral.id,
            patient_id=made["Sarah"][0],
            role="referrer",
            kind="credit",
            currency="GBP",
            amount_minor=2000,
            remaining_minor=500,
            status="available",
            issued_at=TEST_NOW - timedelta(days=1),
            usable_from=TEST_NOW - timedelta(days=1),
        )
        session.add(reward)
        session.flush()
        for entry_type, amount, days in (("issued", 2000, 1), ("redeemed", -1500, 0)):
            session.add(
                LedgerEntry(
                    reward_id=reward.id,
                    patient_id=made["Sarah"][0],
                    entry_type=entry_type,
                    amount_minor=amount,
                    at=TEST_NOW - timedelta(days=days),
                )
            )
    return made


def test_patients_export_is_ready_for_a_mail_merge(services: Services, tmp_path: Path) -> None:
    made = _people(services)
    result = services.exports.export(SOLE_OWNER, "patients", tmp_path / "patients.csv")
    assert result.rows == 3
    rows = {row["First name"]: row for row in _read(tmp_path / "patients.csv")}
    sarah = rows["Sarah"]
    assert sarah["Code"] == made["Sarah"][1]
    assert sarah["Personal link"] == f"https://harbourphysio.example/book?ref={made['Sarah'][1]}"
    assert sarah["Mobile"] == "+447400123456" and sarah["SMS consent"] == "yes"
    assert rows["Zoë"]["Last name"] == NASTY[next(iter(NASTY))]
    assert sarah["Added"] == "2026-11-22 10:30"  # London time in November is UTC
    with services.ctx.db.read() as session:
        audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "export.patients"))
        assert audit is not None and '"rows": 3' in (audit.after_json or "")


def test_referrals_and_ledger_exports(services: Services, tmp_path: Path) -> None:
    made = _people(services)
    services.exports.export(SOLE_OWNER, "referrals", tmp_path / "referrals.csv")
    [referral] = _read(tmp_path / "referrals.csv")
    assert referral["Referrer"] == "Sarah Connolly" and referral["New patient"] == "Tom Baker"
    assert referral["Referrer code"] == made["Sarah"][1] and referral["Status"] == "rewarded"
    assert referral["Notes"] == "'=1+1 forgot the code"

    services.exports.export(SOLE_OWNER, "ledger", tmp_path / "ledger.csv")
    entries = _read(tmp_path / "ledger.csv")
    assert [(e["Entry"], e["Amount"], e["Currency"]) for e in entries] == [
        ("issued", "20.00", "GBP"),
        ("redeemed", "-15.00", "GBP"),
    ]
    raw = (tmp_path / "ledger.csv").read_text(encoding="utf-8-sig")
    assert ',-15.00,"GBP"' in raw  # amounts are unquoted numbers a spreadsheet can add up


def test_only_an_owner_exports(services: Services, tmp_path: Path) -> None:
    desk = Actor(name="Anna", role="receptionist")
    with pytest.raises(PermissionDeniedError, match="Only an owner can export data"):
        services.exports.export(desk, "patients", tmp_path / "p.csv")
    assert not (tmp_path / "p.csv").exists()


def test_a_failed_export_leaves_the_previous_file_whole(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _people(services)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "patients.csv"
    target.write_text("last week's export\n", encoding="utf-8")

    def broken(value):  # type: ignore[no-untyped-def]
        if value == "Tom":
            raise OSError("disk full")
        return safe_cell(value)

    monkeypatch.setattr(exports, "safe_cell", broken)
    with pytest.raises(OSError, match="disk full"):
        services.exports.export(SOLE_OWNER, "patients", target)
    assert target.read_text(encoding="utf-8") == "last week's export\n"
    assert list(target.parent.iterdir()) == [target]


def test_bad_targets_are_explained(services: Services, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="is a folder"):
        services.exports.export(SOLE_OWNER, "patients", tmp_path)
    with pytest.raises(InvalidInputError, match="There is no folder"):
        services.exports.export(SOLE_OWNER, "patients", tmp_path / "nope" / "p.csv")
    with pytest.raises(InvalidInputError, match="not 'visits'"):
        services.exports.export(SOLE_OWNER, "visits", tmp_path / "p.csv")
