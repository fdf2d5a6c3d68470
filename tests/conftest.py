"""Shared test set-up: Qt runs offscreen unless ``--onscreen`` is given."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import Database, open_database
from frontdesk.store.migrate import upgrade


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show Qt windows on a real display")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--onscreen"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Tests never read or write the real user's data, settings or keyring.
    os.environ.setdefault("FRONTDESK_HOME", str(config.rootpath / ".pytest-frontdesk-home"))
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyrings.MemoryKeyring"


# -- databases -----------------------------------------------------------------------------


# A fixed "now" (a Wednesday, mid-morning in London) so dates in tests are exact.
TEST_NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "frontdesk.sqlite3"


def _postgres_admin_url() -> str:
    url = os.environ.get("FRONTDESK_TEST_PG_URL")
    if not url:
        pytest.fail(
            "These tests run on PostgreSQL too. Start one with scripts/ci/start_postgres.sh and "
            "set FRONTDESK_TEST_PG_URL to the URL it prints (scripts/dev.sh test does both)."
        )
    return url


@contextmanager
def _fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    admin = create_engine(_postgres_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"frontdesk_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(_postgres_admin_url()).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def sqlite_db(db_path: Path) -> Iterator[Database]:
    """A migrated, empty SQLite file."""
    db = open_database(str(db_path))
    upgrade(db)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    """A migrated, empty database: every data-layer test runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        db = open_database(str(db_path))
        upgrade(db)
        yield db
        db.dispose()
        return
    with _fresh_postgres_database() as url:
        db = open_database(url)
        upgrade(db)
        yield db
        db.dispose()


@pytest.fixture
def services(database: Database, clock: FixedClock) -> Services:
    """Services over a database whose clinic (Harbour Physio, GB) is set up."""
    built = build_services(ServiceContext(db=database, clock=clock))
    built.clinic.init(
        SOLE_OWNER,
        name="Harbour Physio",
        country="GB",
        booking_url="https://harbourphysio.example/book",
    )
    return built
