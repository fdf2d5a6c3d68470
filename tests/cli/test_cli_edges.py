"""Arguments checked at the edge: ids the database can hold, statuses from their lists, an
--out that is a folder, and temporary files that cannot be hijacked by a planted symlink."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontdesk.cli.main import main


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("edges")
    saved = os.environ.get("FRONTDESK_HOME")
    os.environ["FRONTDESK_HOME"] = str(root / "home")
    db = root / "clinic.sqlite3"
    try:
        assert main(["--db", str(db), "init", "--clinic", "Harbour Physio", "--country", "GB"]) == 0
        assert main(["--db", str(db), "demo", "--patients", "80", "--seed", "4"]) == 0
    finally:
        if saved is None:
            os.environ.pop("FRONTDESK_HOME", None)
        else:
            os.environ["FRONTDESK_HOME"] = saved
    return db


def run(clinic: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    saved = os.environ.get("FRONTDESK_HOME")
    os.environ["FRONTDESK_HOME"] = str(clinic.parent / "home")
    capsys.readouterr()
    try:
        status = main(["--db", str(clinic), *args])
    except SystemExit as stop:
        status = int(stop.code or 0)
    finally:
        if saved is None:
            os.environ.pop("FRONTDESK_HOME", None)
        else:
            os.environ["FRONTDESK_HOME"] = saved
    out, err = capsys.readouterr()
    return status, out, err


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "args",
    [
        ("referrals", "show", HUGE),
        ("flags", "approve", HUGE),
        ("rewards", "approve", "9223372036854775808"),
        ("messages", "cancel", HUGE),
        ("inbox", "handled", HUGE),
        ("asks", "log", "--patient", HUGE),
        ("messages", "list", "--limit", HUGE),
        ("referrals", "show", "0"),
        ("flags", "approve", "-3"),
    ],
)
def test_an_id_the_database_cannot_hold_is_bad_input(
    clinic: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    status, out, err = run(clinic, capsys, *args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "not an id on file" in err or "is not between 1 and 10,000" in err


@pytest.mark.parametrize("group", ["referrals", "rewards"])
def test_an_unknown_status_is_bad_input_listing_the_real_ones(
    clinic: Path, capsys: pytest.CaptureFixture[str], group: str
) -> None:
    status, out, err = run(clinic, capsys, group, "list", "--status", "bogus")
    assert status == 2 and out == ""
    assert "invalid choice: 'bogus'" in err
    assert ("'rewarded'" if group == "referrals" else "'redeemed'") in err


def test_a_status_is_matched_whatever_its_case(
    clinic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(clinic, capsys, "referrals", "list", "--status", "Attended")
    assert status == 0, err


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--format", "csv", "--out", "{dir}"),
        ("export", "patients", "--out", "{dir}"),
    ],
)
def test_out_that_is_a_folder_is_refused_and_leaves_nothing_beside_it(
    clinic: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    status, _, err = run(clinic, capsys, *(a.format(dir=folder) for a in args))
    assert status == 2 and f"{folder} is a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert list(folder.iterdir()) == []


def test_the_exports_temporary_file_never_follows_a_planted_symlink(
    clinic: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "patients.csv"
    # Where the old code put its temporary file, and a symlink in the target's own place.
    (tmp_path / ".patients.csv.partial").symlink_to(victim)
    status, _, err = run(clinic, capsys, "export", "patients", "--out", str(target))
    assert status == 0, err
    assert victim.read_text() == "precious"
    assert target.read_text(encoding="utf-8-sig").startswith('"')
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert leftovers == [".patients.csv.partial"]  # ours are gone; the planted one untouched


def test_an_unexpected_error_is_one_line_with_the_log_path(
    clinic: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.services.lookup.service import LookupService

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(LookupService, "lookup", broken)
    status, out, err = run(clinic, capsys, "lookup", "anna")
    log = clinic.parent / "home" / "logs" / "frontdesk.log"
    assert status == 1 and out == ""
    assert err == (
        "frontdesk: Something unexpected went wrong; nothing half-done was kept. "
        f"The details are in {log}.\n"
    )
    assert "RuntimeError: a bug" in log.read_text()


def test_a_pdf_report_is_written_whole_with_no_scratch_file_left(
    clinic: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, qapp: object
) -> None:
    # qapp: this process's one QApplication exists before the painter's QGuiApplication would.
    target = tmp_path / "november.pdf"
    status, _, err = run(clinic, capsys, "report", "--format", "pdf", "--out", str(target))
    assert status == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["november.pdf"]
