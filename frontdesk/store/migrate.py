"""Schema upgrades with Alembic, run at start-up after a backup copy of the database file.

Alembic itself (with Mako and Pygments behind it) takes ~0.3 s to import, and nearly every
start finds the schema already at head; so the head is read from the migration files and
the current revision from ``alembic_version`` directly, and Alembic is imported only when
there is something to upgrade.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from frontdesk.store.backup import backup_name, backup_sqlite
from frontdesk.store.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^revision(?:: str)? = [\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = (?:None|[\"']([^\"']+)[\"'])", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("frontdesk.db")))
    return config


@cache
def head_revision() -> str:
    """The newest revision: the one no other migration names as its ``down_revision``."""
    revisions, parents = set(), set()
    for script in (resources.files("frontdesk.db") / "versions").iterdir():
        if not script.name.endswith(".py") or script.name.startswith("_"):
            continue
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return _alembic_head()  # a migration written in another style: ask Alembic
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        return _alembic_head()
    return heads.pop()


def _alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "db/versions has no migrations"
    return head


def current_revision(db: Database) -> str | None:
    # A read connection: asking the version must never wait behind another desk's write.
    with db.read_engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        except DBAPIError:  # no alembic_version table: a database never migrated
            return None
    if len(rows) > 1:
        raise RuntimeError(f"the database has several schema heads: {[r[0] for r in rows]}")
    return rows[0][0] if rows else None


def upgrade(db: Database, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. An existing SQLite file is copied first; returns the copy."""
    current = current_revision(db)
    if current == head_revision():
        return None
    from alembic import command

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


def _sqlite_schema(path: Path) -> dict[str, frozenset[str]]:
    """Tables (with their columns) and indexes of an SQLite file, read-only."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') "
            "AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        schema = {
            name: frozenset(col[1] for col in conn.execute(f'PRAGMA table_info("{name}")'))
            for kind, name in rows
            if kind == "table"
        }
        schema["(indexes)"] = frozenset(name for kind, name in rows if kind == "index")
        return schema
    finally:
        conn.close()


@cache
def reference_schema(revision: str) -> dict[str, frozenset[str]]:
    """What the migrations build up to ``revision``, on a scratch SQLite file."""
    from alembic import command

    from frontdesk.store.engine import open_database

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "reference.sqlite3"
        db = open_database(str(scratch))
        try:
            config = alembic_config()
            with db.write_engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
        finally:
            db.dispose()
        return _sqlite_schema(scratch)


def schema_problems(path: Path, revision: str) -> list[str]:
    """How an SQLite file's schema falls short of what its revision's migrations build:
    a dropped table, column or index (a version number alone proves nothing)."""
    want, have = reference_schema(revision), _sqlite_schema(path)
    problems = [f"table {table} is missing" for table in sorted(want.keys() - have.keys())]
    for table in sorted(want.keys() & have.keys()):
        missing = sorted(want[table] - have[table])
        if missing and table == "(indexes)":
            problems.append(f"indexes {', '.join(missing)} are missing")
        elif missing:
            problems.append(f"table {table} lacks {', '.join(missing)}")
    return problems
