"""Schema upgrades with Alembic, run at start-up after a backup copy of the database file."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from frontdesk.store.backup import backup_name, backup_sqlite
from frontdesk.store.engine import Database


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("db")))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "db/versions has no migrations"
    return head


def current_revision(db: Database) -> str | None:
    with db.write_engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. An existing SQLite file is copied first; returns the copy."""
    current = current_revision(db)
    if current == head_revision():
        return None
    copy: Path | None = None
    path = db.sqlite_path
    if path and Path(path).exists() and Path(path).stat().st_size and backup_dir is not None:
        label = f"before-upgrade-from-{current or 'unversioned'}"
        copy = backup_sqlite(Path(path), backup_dir / backup_name(label, datetime.now(UTC)))
    config = alembic_config()
    with db.write_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return copy
