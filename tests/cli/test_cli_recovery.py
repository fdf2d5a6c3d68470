"""A damaged, emptied or missing database: every command says so (exit 4, or 2 when the path
names no database), nothing is written into the damaged file, and restoring the newest good
backup works in every case. Real SQLite files, the real command line entry point."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from frontdesk.cli.main import main
from frontdesk.domain.clock import SystemClock
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.services.staff.service import StaffService
from frontdesk.store.engine import open_database


class Desk:
    """The command line in this process (one import of the app for the whole matrix)."""

    def __init__(self, db: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.home, self._capsys = db, home, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self._capsys.readouterr()
        code = main(["--db", str(self.db), *args])
        out, err = self._capsys.readouterr()
        return code, out, err

    @property
    def backups(self) -> Path:
        return self.home / "backups"


@pytest.fixture(scope="module")
def clinic_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo clinic with one good backup, built once and copied for each case."""
    root = tmp_path_factory.mktemp("clinic")
    home, db = root / "home", root / "clinic.sqlite3"
    saved = os.environ.get("FRONTDESK_HOME")
    os.environ["FRONTDESK_HOME"] = str(home)
    try:
        assert main(["--db", str(db), "init", "--clinic", "Harbour Physio", "--country", "GB"]) == 0
        assert main(["--db", str(db), "demo", "--patients", "200", "--seed", "5"]) == 0
        assert main(["--db", str(db), "backup"]) == 0
    finally:
        if saved is None:
            os.environ.pop("FRONTDESK_HOME", None)
        else:
            os.environ["FRONTDESK_HOME"] = saved
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db, home


@pytest.fixture
def desk(
    clinic_template: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Desk:
    db, home = clinic_template
    shutil.copytree(home, tmp_path / "home")
    shutil.copy(db, tmp_path / "clinic.sqlite3")
    monkeypatch.setenv("FRONTDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FRONTDESK_DATABASE_URL", raising=False)
    monkeypatch.delenv("FRONTDESK_PIN", raising=False)
    return Desk(tmp_path / "clinic.sqlite3", tmp_path / "home", capsys)


PAGE = 4096


def truncate(db: Path) -> None:
    with db.open("r+b") as handle:
        handle.truncate(PAGE * 3)


def zero_pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[PAGE * 2 : PAGE * 10] = bytes(PAGE * 8)
    db.write_bytes(bytes(data))


def garbage_pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    middle = len(data) // PAGE // 2 * PAGE
    data[middle : middle + PAGE * 4] = os.urandom(PAGE * 4)
    data[PAGE * 2 : PAGE * 3] = os.urandom(PAGE)  # and one near the schema
    db.write_bytes(bytes(data))


def wipe_header(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)
    db.write_bytes(bytes(data))


def empty(db: Path) -> None:
    db.write_bytes(b"")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": truncate,
    "zeroed pages": zero_pages,
    "garbage pages": garbage_pages,
    "header wiped": wipe_header,
    "emptied": empty,
}


def fingerprint(db: Path) -> str:
    digest = hashlib.sha256()
    for part in (db, db.with_name(db.name + "-wal")):
        digest.update(part.read_bytes() if part.is_file() else b"-")
    return digest.hexdigest()


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("frontdesk: "), err
    assert "Traceback" not in err
    return err


def newest_good_backup(desk: Desk) -> Path:
    return sorted(desk.backups.glob("frontdesk-*-manual.sqlite3"))[-1]


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize(
    "command", [("lookup", "a"), ("checkin", "a"), ("backup",), ("referrals", "list")]
)
def test_a_damaged_database_is_refused_and_left_untouched(
    desk: Desk, damage: str, command: tuple[str, ...]
) -> None:
    DAMAGE[damage](desk.db)
    before = fingerprint(desk.db)
    backups_before = sorted(desk.backups.iterdir())
    code, out, err = desk(*command)
    assert code == 4, (code, out, err)
    message = one_line(err)
    assert "is damaged" in message and "it was not changed" in message
    assert f"frontdesk restore {newest_good_backup(desk)}" in message
    assert fingerprint(desk.db) == before  # nothing written into the damaged file
    assert sorted(desk.backups.iterdir()) == backups_before  # no damaged copy kept


@pytest.mark.parametrize("damage", DAMAGE)
def test_restoring_the_newest_good_backup_brings_the_clinic_back(desk: Desk, damage: str) -> None:
    with sqlite3.connect(desk.db) as conn:
        code = conn.execute("SELECT code FROM referral_code ORDER BY id LIMIT 1").fetchone()[0]
    DAMAGE[damage](desk.db)
    damaged = desk.db.read_bytes()
    code_, out, err = desk("restore", str(newest_good_backup(desk)))
    assert code_ == 0, err
    assert "300" not in out and "Harbour Physio, 200 patients" in out
    found, out, err = desk("--json", "lookup", code)
    assert found == 0, err
    assert json.loads(out)
    safety = sorted(desk.backups.glob("*-before-restore.sqlite3"))
    if damaged:  # the damaged file is kept, byte for byte, in case it is needed
        assert [p.read_bytes() for p in safety] == [damaged]
    assert not list(desk.db.parent.glob(".*restoring"))


def test_a_missing_database_is_no_clinic_and_restore_brings_it_back(desk: Desk) -> None:
    desk.db.unlink()
    code, _, err = desk("lookup", "a")
    assert code == 2 and "There is no clinic at" in one_line(err)
    assert not desk.db.exists()  # a mistyped path creates nothing
    code, out, err = desk("restore", str(newest_good_backup(desk)))
    assert code == 0, err
    assert "kept in" not in out  # there was nothing to keep
    assert desk("lookup", "a")[0] == 0


def test_a_folder_in_place_of_the_database_is_refused_then_moved_aside_by_restore(
    desk: Desk,
) -> None:
    desk.db.unlink()
    desk.db.mkdir()
    (desk.db / "note.txt").write_text("keep me")
    code, _, err = desk("checkin", "a")
    assert code == 2 and "is a folder, not a clinic database" in one_line(err)
    code, _, err = desk("restore", str(newest_good_backup(desk)))
    assert code == 0, err
    assert desk.db.is_file() and desk("lookup", "a")[0] == 0
    kept = [p for p in desk.db.parent.iterdir() if p.name.startswith("clinic.sqlite3.replaced-")]
    assert len(kept) == 1 and (kept[0] / "note.txt").read_text() == "keep me"


def test_garbage_in_the_write_ahead_log_loses_nothing_committed(desk: Desk) -> None:
    before = desk("--json", "lookup", "a")
    desk.db.with_name(desk.db.name + "-wal").write_bytes(os.urandom(PAGE * 3))
    after = desk("--json", "lookup", "a")
    assert after[0] == 0 and after[1] == before[1]  # SQLite ignores a log that is not its own
    assert desk("checkin", "a")[0] in (0, 2)  # 2: "a" may match several people


def test_back_to_back_restores_keep_every_safety_copy(desk: Desk) -> None:
    backup = newest_good_backup(desk)
    states = []
    for name in ("First", "Second", "Third"):
        assert desk("settings", "set", "clinic.name", name)[0] == 0
        with sqlite3.connect(desk.db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        states.append(name)
        code, _, err = desk("restore", str(backup))
        assert code == 0, err
    kept = sorted(desk.backups.glob("*-before-restore.sqlite3"))
    names = []
    for path in kept:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            names.append(conn.execute("SELECT name FROM clinic").fetchone()[0])
    assert sorted(names) == sorted(states)


def test_a_backup_with_a_table_dropped_is_refused(desk: Desk, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    shutil.copy(newest_good_backup(desk), broken)
    with sqlite3.connect(broken) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("DROP TABLE ledger_entry")
    before = fingerprint(desk.db)
    code, _, err = desk("restore", str(broken))
    assert code == 2
    assert "not a whole Frontdesk database" in one_line(err) and "ledger_entry" in err
    assert fingerprint(desk.db) == before


def test_restore_on_a_damaged_database_checks_the_pin_against_the_backup(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(str(desk.db))
    try:
        StaffService(ServiceContext(db, SystemClock())).add(SOLE_OWNER, "Olive", "owner", "4826")
    finally:
        db.dispose()
    monkeypatch.setenv("FRONTDESK_PIN", "4826")
    assert desk("--staff", "Olive", "backup")[0] == 0
    backup = newest_good_backup(desk)
    truncate(desk.db)
    monkeypatch.setenv("FRONTDESK_PIN", "1111")
    code, _, err = desk("--staff", "Olive", "restore", str(backup))
    assert code == 3 and "name and PIN do not match" in one_line(err)
    monkeypatch.setenv("FRONTDESK_PIN", "4826")
    code, _, err = desk("--staff", "Olive", "restore", str(backup))
    assert code == 0, err


def _code_of_a_patient(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("SELECT code FROM referral_code ORDER BY id LIMIT 1").fetchone()[0])


def test_a_lookup_does_not_wait_for_another_desks_write(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _code_of_a_patient(desk.db)
    monkeypatch.setenv("FRONTDESK_BUSY_TIMEOUT_S", "2")  # a lookup that waited would fail
    writer = sqlite3.connect(desk.db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE clinic SET name = 'Mid-write'")
        found, out, err = desk("--json", "lookup", code)
        assert writer.in_transaction  # the other desk still holds the write lock
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert found == 0, err
    assert code in out


def test_a_writer_waits_a_bounded_time_then_says_the_database_is_busy(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _code_of_a_patient(desk.db)
    monkeypatch.setenv("FRONTDESK_BUSY_TIMEOUT_S", "0.2")
    writer = sqlite3.connect(desk.db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        status, out, err = desk("checkin", code)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert status == 4 and out == ""
    assert "Another desk or program is busy writing" in one_line(err)


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("{tmp}/no-such-folder/clinic.sqlite3", "There is no folder"),
        ("{tmp}", "is a folder, not a clinic database"),
        ("{tmp}/notes.csv", "is not a clinic database (it is not an SQLite file)"),
        ("mysql://user@host/clinic", "mysql:// is neither"),
        ("sqlite://", "keeps nothing"),
        ("{tmp}/clinc.sqlite3", "Did you mean {tmp}/clinic.sqlite3?"),
    ],
)
def test_a_db_address_that_names_no_clinic_is_one_line_and_exit_2(
    desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, words: str
) -> None:
    (tmp_path / "notes.csv").write_text("name,phone\nAnna,07700900123\n")
    before = sorted(tmp_path.iterdir())
    capsys.readouterr()
    status = main(["--db", address.format(tmp=tmp_path), "lookup", "anna"])
    err = capsys.readouterr().err
    assert status == 2
    assert words.format(tmp=tmp_path) in one_line(err)
    assert sorted(tmp_path.iterdir()) == before  # no new, empty clinic was made


def test_an_unreachable_server_is_exit_4_in_one_line(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    status = main(["--db", "postgresql://frontdesk:x@127.0.0.1:1/clinic", "lookup", "anna"])
    err = capsys.readouterr().err
    assert status == 4
    assert "Cannot reach the database server (127.0.0.1:1/clinic)" in one_line(err)


@pytest.mark.parametrize("damage", ["truncated", "header wiped", "emptied"])
def test_the_app_start_path_names_the_damage_and_the_backup(desk: Desk, damage: str) -> None:
    from frontdesk.domain.errors import DatabaseDamagedError
    from frontdesk.services.bootstrap import open_services

    DAMAGE[damage](desk.db)
    before = fingerprint(desk.db)
    with pytest.raises(DatabaseDamagedError) as refused:
        open_services(str(desk.db), desk.backups, SystemClock())
    assert refused.value.exit_code == 4
    assert f"frontdesk restore {newest_good_backup(desk)}" in refused.value.message
    assert fingerprint(desk.db) == before
