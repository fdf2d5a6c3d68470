"""Where things live on disk and which database to open.

``FRONTDESK_HOME`` replaces the per-user data directory (tests, portable installs);
``FRONTDESK_DATABASE_URL`` (or ``--db``) points a desk at a shared PostgreSQL server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Frontdesk"
# Owner-only on POSIX: the database, its WAL, backups, exports and logs hold patients' details.
PRIVATE_UMASK = 0o077


@dataclass(frozen=True)
class Paths:
    home: Path
    log_dir: Path | None = None  # the platform's log folder; under home with FRONTDESK_HOME

    @property
    def database(self) -> Path:
        return self.home / "frontdesk.sqlite3"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def logs(self) -> Path:
        return self.log_dir or self.home / "logs"


def keep_files_private() -> None:
    """Every file this process creates is 0600 and every folder 0700 (POSIX; a no-op on
    Windows, where the user's profile folder is already private). Called by the app's and the
    command line's entry points, so SQLite's own -wal/-shm files are covered too."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def make_private(path: Path) -> None:
    """Tighten a file made by an older version (or copied in) to the owner alone."""
    if os.name == "posix" and path.exists() and path.stat().st_uid == os.getuid():
        path.chmod(0o700 if path.is_dir() else 0o600)


def app_paths() -> Paths:
    override = os.environ.get("FRONTDESK_HOME")
    home = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    logs = None if override else Path(platformdirs.user_log_dir(APP_NAME, False))
    return Paths(home=home, log_dir=logs)


def database_url(explicit: str | None = None, paths: Paths | None = None) -> str:
    """``--db`` first, then ``FRONTDESK_DATABASE_URL``, then the SQLite file in the data dir."""
    if explicit:
        return explicit
    from_env = os.environ.get("FRONTDESK_DATABASE_URL")
    if from_env:
        return from_env
    return str((paths or app_paths()).database)
