"""Backups on real SQLite files: taken live, checked, rotated, restored, and a damaged
database found at start and brought back."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import InvalidInputError, PermissionDeniedError, RuleRefusedError
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.dataio.backups import BackupService
from frontdesk.services.records.context import SOLE_OWNER, Actor, ServiceContext
from frontdesk.store.backup import CheckStopped, CheckStopper, check_backup_file, integrity_check
from frontdesk.store.engine import Database
from frontdesk.store.migrate import head_revision
from frontdesk.store.models import AuditEvent, Patient
from tests.dataio.patient_lists import patient_rows, write_csv

DESK = Actor(name="Anna", role="receptionist")


@pytest.fixture
def services(sqlite_db: Database, clock: FixedClock, tmp_path: Path) -> Services:
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    object.__setattr__(built, "backups", BackupService(built.ctx, tmp_path / "backups"))
    return built


def _patients(services: Services) -> int:
    with services.ctx.db.read() as session:
        return int(session.scalar(select(func.count(Patient.id))) or 0)


def _import(services: Services, tmp_path: Path, count: int, seed: int) -> None:
    path = write_csv(tmp_path / f"list{seed}.csv", patient_rows(count, seed=seed))
    services.imports.run(SOLE_OWNER, path)


def test_a_backup_is_a_checked_copy_of_the_database(services: Services, tmp_path: Path) -> None:
    _import(services, tmp_path, 40, seed=1)
    info = services.backups.back_up(SOLE_OWNER)
    assert Path(info.path).parent == tmp_path / "backups" and info.kind == "manual"
    check = check_backup_file(Path(info.path))
    assert check.problem is None
    assert (check.clinic_name, check.patients, check.revision) == (
        "Harbour Physio",
        40,
        head_revision(),
    )
    elsewhere = services.backups.back_up(SOLE_OWNER, tmp_path / "usb.sqlite3")
    assert elsewhere.kind == "file" and check_backup_file(tmp_path / "usb.sqlite3").patients == 40
    with services.ctx.db.read() as session:
        assert (
            session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "backup.create")
            )
            == 2
        )


def test_a_backup_taken_mid_write_holds_only_committed_data(
    services: Services, tmp_path: Path, db_path: Path
) -> None:
    _import(services, tmp_path, 10, seed=1)
    other_desk = sqlite3.connect(db_path, isolation_level=None)
    other_desk.execute("BEGIN IMMEDIATE")
    other_desk.execute("DELETE FROM consent_event")
    other_desk.execute("UPDATE patient SET first_name = 'half-written'")
    try:
        info = services.backups.auto_backup()  # writes nothing to the database itself
    finally:
        other_desk.execute("ROLLBACK")
        other_desk.close()
    assert info is not None
    copy = sqlite3.connect(info.path)
    names = {row[0] for row in copy.execute("SELECT first_name FROM patient")}
    copy.close()
    assert "half-written" not in names and len(names) > 1


def test_rotation_keeps_the_newest_and_never_the_safety_copies(
    services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    services.clinic.set_setting(SOLE_OWNER, "backup.keep", "2")
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "frontdesk-20200101-000000-before-upgrade-from-0001.sqlite3").write_bytes(b"x")
    taken = []
    for _ in range(4):
        taken.append(Path(services.backups.back_up(SOLE_OWNER).path).name)
        clock.advance(timedelta(hours=1))
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(
        [*taken[-2:], "frontdesk-20200101-000000-before-upgrade-from-0001.sqlite3"]
    )
    assert [b.kind for b in services.backups.list()][:2] == ["manual", "manual"]


def test_the_automatic_backup_runs_about_daily(services: Services, clock: FixedClock) -> None:
    first = services.backups.auto_backup()
    assert first is not None and first.kind == "auto"
    clock.advance(timedelta(hours=5))
    assert services.backups.auto_backup() is None
    clock.advance(timedelta(hours=16))
    assert services.backups.auto_backup() is not None
    assert [b.kind for b in services.backups.list()] == ["auto", "auto"]


def test_restore_brings_back_the_backup_and_keeps_the_current_database(
    services: Services, tmp_path: Path, clock: FixedClock
) -> None:
    _import(services, tmp_path, 30, seed=1)
    backup = services.backups.back_up(SOLE_OWNER, tmp_path / "monday.sqlite3")
    clock.advance(timedelta(hours=2))
    _import(services, tmp_path, 25, seed=2)
    grown = _patients(services)
    assert grown > 30
    result = services.backups.restore(SOLE_OWNER, backup.path)
    assert (result.clinic_name, result.patients, result.upgraded_from) == (
        "Harbour Physio",
        30,
        None,
    )
    assert _patients(services) == 30
    assert check_backup_file(Path(result.safety_copy)).patients == grown
    hits = services.lookup.lookup(patient_rows(30, seed=1)[0][1]).hits
    assert hits, "the restored patients are searchable"
    with services.ctx.db.read() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert "backup.restore" in actions


def _downgrade(path: Path, revision: str) -> None:
    from alembic import command

    from frontdesk.store.engine import open_database
    from frontdesk.store.migrate import alembic_config

    database = open_database(str(path))
    try:
        config = alembic_config()
        with database.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
    finally:
        database.dispose()


def test_an_older_backup_is_upgraded_after_restore(services: Services, tmp_path: Path) -> None:
    old = Path(services.backups.back_up(SOLE_OWNER, tmp_path / "old.sqlite3").path)
    _downgrade(old, "0005")  # a backup taken by an older release
    result = services.backups.restore(SOLE_OWNER, old)
    assert result.upgraded_from == "0005"
    with services.ctx.db.read() as session:
        version = session.connection().exec_driver_sql("SELECT version_num FROM alembic_version")
        assert version.scalar() == head_revision()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("Name,Phone\n"), "is not a Frontdesk backup (not an SQLite"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE x (a)"), "not a Frontdesk database"),
        (lambda p: None, "There is no file at"),
    ],
)
def test_a_file_that_is_not_a_good_backup_changes_nothing(
    services: Services,
    tmp_path: Path,
    make,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    _import(services, tmp_path, 5, seed=1)
    candidate = tmp_path / "candidate.sqlite3"
    make(candidate)
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        services.backups.restore(SOLE_OWNER, candidate)
    assert _patients(services) == 5
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_a_backup_from_a_newer_frontdesk_is_refused(services: Services, tmp_path: Path) -> None:
    newer = Path(services.backups.back_up(SOLE_OWNER, tmp_path / "newer.sqlite3").path)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(InvalidInputError, match="made by a newer version of Frontdesk"):
        services.backups.restore(SOLE_OWNER, newer)


def _damage(path: Path) -> None:
    """Overwrite the middle of the file, as a failing disk would."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 12), 7):
        data[offset] = (data[offset] + 0x5A) % 256
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_found_at_start_and_restored(
    services: Services, tmp_path: Path, db_path: Path, clock: FixedClock
) -> None:
    _import(services, tmp_path, 300, seed=3)
    services.backups.auto_backup()
    assert services.backups.check_integrity().ok
    services.ctx.db.dispose()
    _damage(db_path)
    report = services.backups.check_integrity()
    assert not report.ok
    assert report.message.startswith(f"The database file {db_path} is damaged (SQLite says:")
    assert report.latest_backup is not None
    assert f"frontdesk restore {report.latest_backup.path}" in report.message
    clock.advance(timedelta(minutes=5))
    services.backups.restore(SOLE_OWNER, report.latest_backup.path)
    assert services.backups.check_integrity().ok
    assert _patients(services) == 300


def test_a_check_stopped_at_closing_is_not_reported_as_damage(
    services: Services, tmp_path: Path
) -> None:
    _import(services, tmp_path, 300, seed=3)
    services.backups.stop_checks()
    with pytest.raises(CheckStopped):
        services.backups.check_integrity()


def test_closing_ends_a_running_integrity_check(tmp_path: Path) -> None:
    """A quick check of a big file takes seconds; closing the app must not wait for it."""
    path = tmp_path / "big.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB, k TEXT UNIQUE)")
        conn.executemany(
            "INSERT INTO t (body, k) VALUES (randomblob(200), hex(randomblob(16)))",
            ([] for _ in range(200_000)),
        )
    stopper = CheckStopper()
    outcome: list[object] = []

    def check() -> None:
        try:
            outcome.append(integrity_check(path, stopper))
        except CheckStopped as stopped:
            outcome.append(stopped)

    worker = threading.Thread(target=check)
    worker.start()
    while stopper._running is None and worker.is_alive():
        time.sleep(0.001)
    stopper.stop()
    worker.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], CheckStopped)
    assert integrity_check(path) == "ok"  # the file was never the problem


def test_only_an_owner_backs_up_or_restores(services: Services, tmp_path: Path) -> None:
    with pytest.raises(PermissionDeniedError, match="Only an owner can take a backup"):
        services.backups.back_up(DESK)
    with pytest.raises(PermissionDeniedError, match="Only an owner can restore a backup"):
        services.backups.restore(DESK, tmp_path / "x.sqlite3")


def test_a_postgresql_clinic_is_told_to_back_up_on_the_server(
    database: Database, clock: FixedClock
) -> None:
    built = build_services(ServiceContext(db=database, clock=clock))
    if database.is_sqlite:
        assert built.backups.available
        return
    assert not built.backups.available and built.backups.auto_backup() is None
    with pytest.raises(RuleRefusedError, match="pg_dump"):
        built.backups.back_up(SOLE_OWNER)
    assert built.backups.check_integrity().ok
