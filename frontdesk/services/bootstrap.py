"""Open a database, bring its schema up to date and build the services over it.

The one start-up path shared by the app and the CLI, so the UI never touches the store.
"""

from __future__ import annotations

from pathlib import Path

from frontdesk.domain.clock import Clock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.context import ServiceContext
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade


def open_services(url: str, backups: Path | None, clock: Clock) -> Services:
    """Services over ``url``, migrated to the latest schema (a backup copy is taken first)."""
    database = open_database(url)
    try:
        upgrade(database, backups)
    except Exception:
        database.dispose()
        raise
    return build_services(ServiceContext(db=database, clock=clock))
