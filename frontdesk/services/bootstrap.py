"""Open a database, bring its schema up to date and build the services over it.

The one start-up path shared by the app and the CLI, so the UI never touches the store.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from frontdesk.domain.clock import Clock
from frontdesk.domain.errors import DatabaseDamagedError
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.dataio.backups import damage_message
from frontdesk.services.records.context import ServiceContext
from frontdesk.store.engine import Database, open_database
from frontdesk.store.health import verdict
from frontdesk.store.migrate import upgrade


def open_services(url: str, backups: Path | None, clock: Clock) -> Services:
    """Services over ``url``, migrated to the latest schema (a backup copy is taken first)."""
    database = open_database(url)
    try:
        _refuse_emptied(database, backups)
        upgrade(database, backups)
    except DatabaseDamagedError:
        database.dispose()
        raise
    except Exception as error:
        database.dispose()
        _raise_if_damaged(database, backups, error)
        raise
    services = build_services(ServiceContext(db=database, clock=clock))
    _freeze_startup_heap()
    return services


def _refuse_emptied(database: Database, backups: Path | None) -> None:
    """A clinic file cut to 0 bytes would otherwise be migrated into a new, empty clinic."""
    path = database.sqlite_path
    if path and Path(path).is_file() and Path(path).stat().st_size == 0:
        folder = backups or Path(path).parent / "backups"
        raise DatabaseDamagedError(
            damage_message(Path(path), "the file is empty (0 bytes)", folder)
        )


def _raise_if_damaged(database: Database, backups: Path | None, error: Exception) -> None:
    """A file too damaged to open says so, with the backups to restore (exit 4 in the app)."""
    path = database.sqlite_path
    if not path or not Path(path).is_file():
        return
    state = verdict(Path(path))
    if state.ok is False:
        folder = backups or Path(path).parent / "backups"
        raise DatabaseDamagedError(damage_message(Path(path), state.detail, folder)) from error


_frozen = threading.Event()


def _freeze_startup_heap() -> None:
    """Once per process, move what start-up built (modules, SQLAlchemy mappers, phone
    metadata: ~90k objects) out of the collector's sight. They live as long as the process,
    and a full collection walking them paused whatever the desk was doing by 20–80 ms (a
    check-in's p99). Only the first start-up: a later one's objects stay collectable."""
    if not _frozen.is_set():
        _frozen.set()
        gc.freeze()
