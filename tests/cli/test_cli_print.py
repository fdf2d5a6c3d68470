"""`frontdesk print` end to end: a real subprocess writes PDFs whose codes scan."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.test_cli_basics import run
from tests.printing.pdfcheck import decode_pdf, page_sizes_mm


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("template") / "clinic.sqlite3"
    init = run(db, "init", "--clinic", "Harbour Physio", "--country", "GB",
               "--booking-url", "https://harbourphysio.example/book")  # fmt: skip
    assert init.returncode == 0, init.stderr
    demo = run(db, "demo", "--patients", "120", "--seed", "4")
    assert demo.returncode == 0, demo.stderr
    return db


@pytest.fixture
def clinic_db(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo clinic for each test (the template is built once)."""
    db = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_template, db)
    return db


def _codes(db: Path, count: int) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT code FROM referral_code ORDER BY id LIMIT ?", (count,))
        return [row[0] for row in rows]


def test_cards_for_named_patients_on_letter(clinic_db: Path, tmp_path: Path) -> None:
    codes = _codes(clinic_db, 12)
    out = tmp_path / "cards.pdf"
    result = run(clinic_db, "--json", "print", "cards", "--out", str(out), "--paper", "letter",
                 "--patients", *codes)  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["pages"] == 2 and report["paper"] == "Letter"
    expected = [f"https://harbourphysio.example/book?ref={code}" for code in codes]
    assert report["qr_payloads"] == expected
    first, second = decode_pdf(out)
    assert sorted(d.text for d in first + second) == sorted(expected)
    assert page_sizes_mm(out)[0] == pytest.approx((215.9, 279.4), abs=0.3)


def test_cards_default_to_todays_patients(clinic_db: Path, tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with sqlite3.connect(clinic_db) as conn:
        conn.execute("DELETE FROM visit WHERE at >= ?", (now - timedelta(days=2),))
        pid, code = conn.execute(
            "SELECT patient_id, code FROM referral_code ORDER BY id DESC LIMIT 1"
        ).fetchone()
    out = tmp_path / "today.pdf"
    nobody = run(clinic_db, "print", "cards", "--out", str(out))
    assert nobody.returncode == 2 and "No one has been checked in today" in nobody.stderr
    assert not out.exists()
    with sqlite3.connect(clinic_db) as conn:
        conn.execute(
            "INSERT INTO visit (patient_id, visit_type, status, at, amount_minor, happy,"
            " plan_complete, created_at) VALUES (?, 'Follow-up', 'attended', ?, 5500, 0, 0, ?)",
            (pid, now, now),
        )
    result = run(clinic_db, "--json", "print", "cards", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["qr_payloads"] == [
        f"https://harbourphysio.example/book?ref={code}"
    ]


def test_posters_are_recorded_and_scan(clinic_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "posters.pdf"
    result = run(
        clinic_db, "print", "posters", "--out", str(out), "--paper", "A5",
        "--template", "massage", "--source", "Reception", "--source", "Room 2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 pages" in result.stdout
    decoded = [page[0].text for page in decode_pdf(out)]
    assert decoded == [
        "https://harbourphysio.example/book?src=reception",
        "https://harbourphysio.example/book?src=room-2",
    ]
    with sqlite3.connect(clinic_db) as conn:
        tags = [row[0] for row in conn.execute("SELECT source_tag FROM poster ORDER BY id")]
    assert tags == ["reception", "room-2"]
    again = run(clinic_db, "--json", "print", "posters", "--out", str(tmp_path / "again.pdf"))
    assert json.loads(again.stdout)["pages"] == 2  # the posters on file are reprinted


def test_png_output_is_one_file_per_page(clinic_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "poster.png"
    result = run(clinic_db, "print", "posters", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists() and out.stat().st_size > 50_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cards", "--out", "{tmp}/x.pdf", "--paper", "A5", "--patients", "x"], "A4 or Letter"),
        (["cards", "--out", "{tmp}/x.docx", "--patients", "x"], "must end in .pdf or .png"),
        (["cards", "--out", "{tmp}/nowhere/x.pdf", "--patients", "x"], "There is no folder"),
        (["cards", "--out", "{tmp}/x.pdf", "--patients", "zzqxw"], "No patient matches"),
        (["posters", "--out", "{tmp}/x.pdf", "--paper", "A3"], "choose A4, Letter or A5"),
        (["logo", "{tmp}/missing.png"], "Can't read"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    clinic_db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run(clinic_db, "print", *(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_logo_is_owner_data_and_shows_on_posters(clinic_db: Path, tmp_path: Path) -> None:
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                   '<circle cx="5" cy="5" r="4" fill="#0E7C86"/></svg>')  # fmt: skip
    result = run(clinic_db, "print", "logo", str(svg))
    assert result.returncode == 0 and "Logo set (SVG" in result.stdout
    out = tmp_path / "poster.pdf"
    assert run(clinic_db, "print", "posters", "--out", str(out)).returncode == 0
    assert decode_pdf(out)[0][0].text.endswith("?src=reception")
    assert run(clinic_db, "print", "logo", "--clear").returncode == 0
