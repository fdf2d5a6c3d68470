"""The schema the code expects is exactly the schema the migrations build, on both databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError

from frontdesk.store.base import Base
from frontdesk.store.engine import Database, open_database
from frontdesk.store.migrate import alembic_config, current_revision, head_revision, upgrade
from frontdesk.store.models import Clinic, Patient, ReferralCode, Reward


def test_models_and_migrations_agree(database: Database) -> None:
    with database.write_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_revision_chain_is_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    revisions = list(script.walk_revisions())
    assert all(not rev.is_merge_point for rev in revisions)
    assert revisions[-1].down_revision is None


def test_an_existing_file_is_copied_before_it_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE marker (note TEXT)")
        conn.execute("INSERT INTO marker VALUES ('written by an older release')")
    db = open_database(str(path))
    copy = upgrade(db, tmp_path / "backups")
    assert current_revision(db) == head_revision()
    db.dispose()
    assert copy is not None and copy.parent == tmp_path / "backups"
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT note FROM marker").fetchall() == [
            ("written by an older release",)
        ]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "patient" not in tables  # the copy is the database as it was before


def test_a_database_at_head_is_left_alone(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "clinic.sqlite3"))
    upgrade(db)
    assert upgrade(db, tmp_path / "backups") is None
    assert not (tmp_path / "backups").exists()
    db.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.write_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def _patient(session, **extra) -> Patient:  # type: ignore[no-untyped-def]
    from tests.conftest import TEST_NOW

    patient = Patient(first_name="Sarah", last_name="Connolly", created_at=TEST_NOW, **extra)
    session.add(patient)
    session.flush()
    return patient


def test_a_code_can_never_be_given_to_two_patients(database: Database) -> None:
    from tests.conftest import TEST_NOW

    with pytest.raises(IntegrityError), database.begin() as session:
        a, b = _patient(session), _patient(session)
        session.add(ReferralCode(patient_id=a.id, code="SARAH-K7QD", created_at=TEST_NOW))
        session.add(ReferralCode(patient_id=b.id, code="SARAH-K7QD", created_at=TEST_NOW))


def test_a_patient_has_one_active_code(database: Database) -> None:
    from tests.conftest import TEST_NOW

    with pytest.raises(IntegrityError), database.begin() as session:
        a = _patient(session)
        session.add(ReferralCode(patient_id=a.id, code="SARAH-K7QD", created_at=TEST_NOW))
        session.add(ReferralCode(patient_id=a.id, code="SARAH-M3XP", created_at=TEST_NOW))


def test_a_reward_balance_cannot_go_negative(database: Database) -> None:
    from tests.conftest import TEST_NOW

    with pytest.raises(IntegrityError), database.begin() as session:
        a = _patient(session)
        session.add(
            Reward(
                patient_id=a.id,
                role="referrer",
                kind="credit",
                currency="GBP",
                amount_minor=2000,
                remaining_minor=-1,
                status="available",
                issued_at=TEST_NOW,
                usable_from=TEST_NOW,
            )
        )


def test_one_clinic_per_database(database: Database) -> None:
    from tests.conftest import TEST_NOW

    with pytest.raises(IntegrityError), database.begin() as session:
        session.add(
            Clinic(
                id=2,
                name="Other",
                country="GB",
                timezone="Europe/London",
                currency="GBP",
                created_at=TEST_NOW,
            )
        )


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_database_never_migrated_has_no_revision(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "empty.sqlite3"))
    assert current_revision(db) is None
    db.dispose()
