"""What stands between a command and the database: the address checked, the file's health
checked before anything is written, and database failures turned into one line for a person.

Exit statuses (the README's table): 0 ok, 1 unexpected (one line and the log file's path),
2 bad input, 3 refused by a rule, 4 database damaged, unreachable or busy past the wait.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from frontdesk.config import Paths
from frontdesk.domain.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseUnavailableError,
    FrontdeskError,
    InvalidInputError,
)
from frontdesk.services.dataio.backups import damage_message
from frontdesk.store.health import (
    DatabaseTarget,
    VerdictCache,
    check_sqlite_path,
    resolve_target,
    verdict,
)

log = logging.getLogger("frontdesk")

# Commands that may make a new SQLite file where there is none; every other one needs a clinic.
CREATES_DATABASE = frozenset({"init", "restore"})
# Restore is the way out of a damaged database, so it is the one command let past the check.
WORKS_ON_DAMAGE = frozenset({"restore"})
_DAMAGE_WORDS = ("malformed", "not a database", "disk i/o error", "corrupt")
_BUSY_WORDS = ("database is locked", "database is busy")


@dataclass(frozen=True)
class GuardedDatabase:
    target: DatabaseTarget
    checked_ok: bool  # the file passed SQLite's check (so it may be remembered as ok after)


def verdict_cache(paths: Paths) -> VerdictCache:
    return VerdictCache(paths.home / "checked-databases.json")


def guard(url_or_path: str, command: str, paths: Paths) -> GuardedDatabase:
    """The database a command may use, or the reason it may not (exit 2 or 4)."""
    target = resolve_target(url_or_path)
    path = target.path
    if path is None:
        return GuardedDatabase(target, False)
    if command in WORKS_ON_DAMAGE:  # whatever is there (even a folder) is what it replaces
        if not path.parent.is_dir():
            check_sqlite_path(path, may_create=True)  # says which folder is missing
        return GuardedDatabase(target, False)
    check_sqlite_path(path, may_create=command in CREATES_DATABASE)
    if not path.exists():
        return GuardedDatabase(target, False)
    state = verdict(path, verdict_cache(paths))
    if state.ok is False:
        raise DatabaseDamagedError(damage_message(path, state.detail, paths.backups))
    if state.ok is None:
        log.info("integrity check of %s skipped: %s", path, state.detail)
    return GuardedDatabase(target, state.ok is True)


def as_frontdesk_error(
    error: BaseException, target: DatabaseTarget | None, paths: Paths
) -> FrontdeskError | None:
    """A database failure (or a file named on the command line that cannot be used) in words
    for the desk; None for anything else."""
    if isinstance(error, OSError) and error.filename is not None:
        reason = (error.strerror or "cannot be used").lower()
        return InvalidInputError(f"Cannot use {str(error.filename)[:120]}: {reason}.")
    if isinstance(error, ValueError) and "null byte" in str(error):
        return InvalidInputError("A name or path given contains a NUL character.")
    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).lower()
    if isinstance(original, sqlite3.Error) or (
        isinstance(error, DBAPIError) and target and target.path
    ):
        if any(word in text for word in _BUSY_WORDS):
            return DatabaseBusyError(
                "Another desk or program is busy writing to the database — try again in a "
                "moment. Nothing was changed."
            )
        if any(word in text for word in _DAMAGE_WORDS) and target and target.path:
            return DatabaseDamagedError(damage_message(target.path, str(original), paths.backups))
        if "unable to open" in text and target and target.path:
            return DatabaseUnavailableError(
                f"The database {target.path} cannot be opened (check that the disk is there "
                "and this user may read and write it)."
            )
    if isinstance(error, OperationalError) and target and target.url.startswith("postgresql"):
        return DatabaseUnavailableError(
            f"Cannot reach the database server ({_server(target.url)}): "
            f"{str(original).strip().splitlines()[0][:160]}. Check the address and that the "
            "server is running."
        )
    return None


def _server(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def remember_ok(guarded: GuardedDatabase | None, paths: Paths) -> None:
    """After a clean command on a file that passed the check, its new state is known good."""
    if guarded is not None and guarded.checked_ok and guarded.target.path is not None:
        path: Path = guarded.target.path
        verdict_cache(paths).remember_ok(path)
