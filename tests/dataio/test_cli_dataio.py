"""import / export / report / backup / restore through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_basics import run
from tests.dataio.exports_shaped import google

LIST = (
    "First Name;Last Name;Mobile;Email\n"
    "Sarah;Connolly;07400 123456;sarah@example.org\n"
    ";Baker;07400 123457;\n"
    "Anna;Smith;0740012;\n"
    "Zoë;O'Brien;07400 123458;zoe@example.org\n"
)


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    db = tmp_path / "clinic.sqlite3"
    result = run(db, "init", "--clinic", "Harbour Physio", "--country", "GB")
    assert result.returncode == 0, result.stderr
    return db


def test_import_dry_run_lists_bad_rows_and_writes_nothing(clinic: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="cp1252")
    dry = run(clinic, "import", str(path), "--dry-run")
    assert dry.returncode == 2
    assert (
        "list.csv: Windows-1252 (Western Europe) (worked out; --encoding cp1252 to keep it), "
        "semicolon-separated, 4 rows, header on line 1." in dry.stdout
    )
    assert "Ready: 2 new patients." in dry.stdout
    assert "line 3     Baker — No first name (last name 'Baker')." in dry.stdout
    assert "line 4     Anna Smith — Phone: 0740012 is too short for GB" in dry.stdout

    refused = run(clinic, "import", str(path))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "2 rows have problems, so nothing was imported" in refused.stderr
    assert run(clinic, "lookup", "connolly").returncode == 2  # still nobody on file

    done = run(clinic, "--json", "import", str(path), "--skip-bad")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["created"], result["skipped_problems"]) == (2, 2)
    found = json.loads(run(clinic, "--json", "lookup", "zoe@example.org").stdout)
    assert found[0]["name"] == "Zoë O'Brien" and found[0]["code"].startswith("ZOE-")


def test_import_maps_columns_from_the_command_line(clinic: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Who\tCell\nSarah Connolly\t07400 123456\n", encoding="utf-8")
    bad = run(clinic, "import", str(path), "--dry-run")
    assert bad.returncode == 2 and "No column is set to First name or Full name" in bad.stderr
    ok = run(clinic, "import", str(path), "--map", "Who=full_name")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Imported 1 new patient in ")


def test_export_writes_a_mail_merge_file(clinic: Path, tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    assert run(clinic, "import", str(source), "--skip-bad").returncode == 0
    out = tmp_path / "merge.csv"
    result = run(clinic, "export", "patients", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Exported 2 patients to {out}."
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith('"Patient ID","First name","Last name","Code","Personal link"')
    assert '"Zoë","O\'Brien","ZOE-' in text
    missing = run(clinic, "export", "ledger", "--out", str(tmp_path / "no" / "l.csv"))
    assert missing.returncode == 2 and "There is no folder" in missing.stderr


def test_report_in_every_format(clinic: Path, tmp_path: Path) -> None:
    assert run(clinic, "demo", "--patients", "150", "--seed", "2").returncode == 0
    text = run(clinic, "report")
    assert text.returncode == 0, text.stderr
    assert "Harbour Physio — referrals," in text.stdout and "Introductions" in text.stdout
    data = json.loads(run(clinic, "--json", "report", "--month", "2026-01").stdout)
    assert data["month"] == "2026-01" and len(data["trend"]) == 12
    assert set(data["this"]) >= {"asks_sent", "introductions", "attended", "roi"}
    csv_out = tmp_path / "report.csv"
    saved = run(clinic, "report", "--format", "csv", "--out", str(csv_out))
    assert saved.returncode == 0 and csv_out.read_text(encoding="utf-8-sig").startswith(
        '"Harbour Physio — referral report,'
    )
    no_file = run(clinic, "report", "--format", "pdf")
    assert no_file.returncode == 2 and "needs a file: add --out" in no_file.stderr
    pdf = tmp_path / "report.pdf"
    made = run(clinic, "report", "--format", "pdf", "--out", str(pdf))
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = run(clinic, "report", "--month", "2026-13")
    assert bad.returncode == 2 and "Give the month as YYYY-MM" in bad.stderr


def test_backup_and_restore_round_trip_even_on_a_damaged_database(
    clinic: Path, tmp_path: Path
) -> None:
    from tests.dataio.test_backups import _damage

    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    assert run(clinic, "import", str(source), "--skip-bad").returncode == 0
    saved = run(clinic, "--json", "backup")
    assert saved.returncode == 0, saved.stderr
    backup = json.loads(saved.stdout)["path"]
    assert "/home/backups/frontdesk-" in backup and backup.endswith("-manual.sqlite3")
    assert run(clinic, "demo", "--patients", "120").returncode == 3  # has patients already
    _damage(clinic)
    restored = run(clinic, "restore", backup)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored {backup} (Harbour Physio, 2 patients).")
    found = json.loads(run(clinic, "--json", "lookup", "zoe@example.org").stdout)
    assert found[0]["name"] == "Zoë O'Brien"
    refused = run(clinic, "restore", str(source))
    assert refused.returncode == 2
    assert "is not a Frontdesk backup" in refused.stderr and "Nothing was changed" in refused.stderr


def test_import_names_the_export_and_takes_an_encoding(clinic: Path, tmp_path: Path) -> None:
    path = google(tmp_path / "contacts.csv")
    dry = run(clinic, "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Looks like a Google Contacts export." in dry.stdout
    assert "Ready: 3 new patients." in dry.stdout
    polish = tmp_path / "polish.csv"
    polish.write_bytes("First Name,Last Name,Mobile\nŁukasz,Piątek,07400 111001\n".encode("cp1250"))
    dry = run(clinic, "import", str(polish), "--dry-run")
    assert "Windows-1250 (Central Europe) (worked out; --encoding cp1250 to keep it)" in dry.stdout
    wrong = run(clinic, "import", str(polish), "--encoding", "cp1252")
    assert wrong.returncode == 2
    assert "line 2: A first name can't contain emoji or symbols like “£”" in wrong.stderr
    done = run(clinic, "--json", "import", str(polish), "--encoding", "cp1250")
    assert done.returncode == 0, done.stderr
    found = json.loads(run(clinic, "--json", "lookup", "07400 111001").stdout)
    assert found[0]["name"] == "Łukasz Piątek"
