"""Safety for the local database: rotated automatic backups, manual backup and restore, and
an integrity check at start.

Backups are taken with SQLite's online backup API (consistent while desks keep working),
checked (``PRAGMA quick_check`` on the copy) before they count, and rotated so the newest
``backup.keep`` automatic and manual copies stay. Safety copies taken before an upgrade or
a restore are kept apart (the last few of each), so rotation never throws away the way
back. A clinic on a shared PostgreSQL server backs up on the server instead.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from frontdesk.config import app_paths
from frontdesk.domain.changes import EVERYTHING, Changes
from frontdesk.domain.errors import InvalidInputError, RuleRefusedError
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.store.backup import (
    CheckStopped,
    CheckStopper,
    backup_name,
    backup_sqlite,
    check_backup_file,
    integrity_check,
    restore_sqlite,
    rotate_backups,
)
from frontdesk.store.migrate import head_revision, upgrade

AUTO_INTERVAL = timedelta(hours=20)  # about daily, whatever time the desk starts
SAFETY_COPIES_KEPT = 5
_NAME = re.compile(r"^frontdesk-(\d{8}-\d{6})-([a-z0-9-]+)\.sqlite3$")
ROTATED = ("frontdesk-*-auto.sqlite3", "frontdesk-*-manual.sqlite3")


@dataclass(frozen=True)
class BackupInfo:
    path: str
    taken_at: datetime
    kind: str  # auto, manual, before-restore, before-upgrade-…, or "file" (a copy elsewhere)
    size_bytes: int


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    detail: str  # SQLite's verdict ("ok" or the first problem), or why no check was needed
    message: str  # for the person at the desk
    latest_backup: BackupInfo | None


@dataclass(frozen=True)
class RestoreResult:
    restored_from: str
    safety_copy: str
    clinic_name: str | None
    patients: int | None
    upgraded_from: str | None
    changes: Changes = EVERYTHING  # the data was replaced wholesale


class BackupService:
    def __init__(self, ctx: ServiceContext, folder: Path | None = None) -> None:
        self._ctx = ctx
        self._folder = folder
        self._stopper = CheckStopper()

    @property
    def folder(self) -> Path:
        return self._folder or app_paths().backups

    @property
    def available(self) -> bool:
        """Backups here are for the local SQLite file; PostgreSQL backs up on its server."""
        return self._ctx.db.is_sqlite

    def _live(self) -> Path:
        path = self._ctx.db.sqlite_path
        if not path:
            raise RuleRefusedError(
                "This desk uses a shared PostgreSQL server. Back it up on the server "
                "(for example with pg_dump); Frontdesk's backups are for a local database."
            )
        return Path(path)

    # -- listing -----------------------------------------------------------------------------
    def list(self) -> tuple[BackupInfo, ...]:
        """Backups in the backup folder, newest first."""
        if not self.folder.exists():
            return ()
        found = []
        for path in self.folder.glob("frontdesk-*.sqlite3"):
            match = _NAME.match(path.name)
            if not match:
                continue
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
            found.append(BackupInfo(str(path), taken, match.group(2), path.stat().st_size))
        return tuple(sorted(found, key=lambda b: b.taken_at, reverse=True))

    def keep(self) -> int:
        with self._ctx.db.read() as session:
            return int(setting_value(session, "backup.keep"))

    # -- taking backups ----------------------------------------------------------------------
    def back_up(self, actor: Actor, out: Path | str | None = None) -> BackupInfo:
        """A manual backup, into the backup folder (rotated) or to ``out`` (kept as is)."""
        actor.require_owner("take a backup")
        info = self._take("manual", Path(out) if out else None)
        with self._ctx.db.begin() as session:
            audit.record(
                session,
                actor,
                "backup.create",
                "database",
                None,
                at=self._ctx.clock.now(),
                after={"file": info.path, "bytes": info.size_bytes},
            )
        return info

    def auto_backup(self) -> BackupInfo | None:
        """The daily automatic backup: taken when the newest one is older than ~a day."""
        if not self.available:
            return None
        now = self._ctx.clock.now()
        recent = [b for b in self.list() if b.kind in ("auto", "manual")]
        if recent and now - recent[0].taken_at < AUTO_INTERVAL:
            return None
        return self._take("auto", None)

    def _take(self, kind: str, out: Path | None) -> BackupInfo:
        live = self._live()
        now = self._ctx.clock.now()
        if out is not None:
            if out.is_dir():
                out = out / backup_name(kind, now)
            if not out.parent.exists():
                raise InvalidInputError(f"There is no folder {out.parent} to save into.")
            if out.resolve() == live.resolve():
                raise InvalidInputError("That is the live database itself; choose another file.")
        target = out or self.folder / backup_name(kind, now)
        backup_sqlite(live, target)
        verdict = integrity_check(target)
        if verdict != "ok":
            target.unlink(missing_ok=True)
            raise RuleRefusedError(
                f"The backup copy failed its check (SQLite says: {verdict[:200]}), so it was "
                "not kept. The database itself may be damaged: see Settings → Backups."
            )
        if out is None:
            keep = self.keep()
            rotate_backups(self.folder, keep, ROTATED)
        return BackupInfo(str(target), now, kind if out is None else "file", target.stat().st_size)

    # -- restoring ---------------------------------------------------------------------------
    def restore(self, actor: Actor, source: Path | str) -> RestoreResult:
        """Replace the database with a backup, after keeping a copy of the current one."""
        actor.require_owner("restore a backup")
        live = self._live()
        source = Path(source)
        check = check_backup_file(source)
        if check.problem:
            raise InvalidInputError(check.problem + " Nothing was changed.")
        if not _known_revision(check.revision):
            raise InvalidInputError(
                f"{source.name} was made by a newer version of Frontdesk (schema "
                f"{check.revision}). Update Frontdesk first. Nothing was changed."
            )
        if source.resolve() == live.resolve():
            raise InvalidInputError("That is the live database itself; choose a backup file.")
        now = self._ctx.clock.now()
        self.folder.mkdir(parents=True, exist_ok=True)
        safety = self.folder / backup_name("before-restore", now)
        if live.exists() and live.stat().st_size:
            _safety_copy(live, safety)
            rotate_backups(self.folder, SAFETY_COPIES_KEPT, ("frontdesk-*-before-restore.sqlite3",))
        try:
            restore_sqlite(source, live)
        except sqlite3.DatabaseError:
            # The live file is too damaged to write into page by page: replace it whole
            # (its safety copy is kept above, and a broken database has no other users).
            for leftover in (live, *_sidecars(live)):
                leftover.unlink(missing_ok=True)
            shutil.copyfile(source, live)
        upgraded_from = check.revision if check.revision != head_revision() else None
        upgrade(self._ctx.db)
        with self._ctx.db.begin() as session:
            audit.record(
                session,
                actor,
                "backup.restore",
                "database",
                None,
                at=now,
                after={"from": str(source), "safety_copy": str(safety)},
            )
        return RestoreResult(
            restored_from=str(source),
            safety_copy=str(safety),
            clinic_name=check.clinic_name,
            patients=check.patients,
            upgraded_from=upgraded_from,
        )

    # -- at start ----------------------------------------------------------------------------
    def stop_checks(self) -> None:
        """End a running integrity check now (the app is closing and must not wait for it)."""
        self._stopper.stop()

    def check_integrity(self) -> IntegrityReport:
        """SQLite's quick check of the live file, with words for the desk if it fails."""
        path = self._ctx.db.sqlite_path
        if not path:
            return IntegrityReport(
                True, "shared server", "The database server checks itself.", None
            )
        try:
            verdict = integrity_check(Path(path), self._stopper)
        except CheckStopped:
            raise  # stopped, not damaged: says nothing about the file
        except Exception as error:  # a file so damaged it will not even open
            verdict = str(error)
        latest = next(iter(self.list()), None)
        if verdict == "ok":
            return IntegrityReport(True, verdict, "The database is healthy.", latest)
        if latest is not None:
            local = latest.taken_at.strftime("%d %b %Y %H:%M UTC")
            advice = (
                f"The newest backup is from {local}. Restore it in Settings → Backups, or "
                f"run: frontdesk restore {latest.path}"
            )
        else:
            advice = "There is no backup in the backup folder yet; call your IT support."
        return IntegrityReport(
            False,
            verdict,
            f"The database file is damaged (SQLite says: {verdict[:160]}). {advice}",
            latest,
        )


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _safety_copy(live: Path, safety: Path) -> None:
    """A copy of the current database before it is replaced; a damaged one is copied as
    raw files, since the backup API may refuse to read it."""
    try:
        backup_sqlite(live, safety)
    except sqlite3.DatabaseError:
        shutil.copyfile(live, safety)
        wal = _sidecars(live)[0]
        if wal.exists():
            shutil.copyfile(wal, safety.with_name(safety.name + "-wal"))


def _known_revision(revision: str | None) -> bool:
    """True when this version of Frontdesk knows the backup's schema (same or older)."""
    from alembic.script import ScriptDirectory

    from frontdesk.store.migrate import alembic_config

    if revision is None:
        return True
    script = ScriptDirectory.from_config(alembic_config())
    return any(rev.revision == revision for rev in script.walk_revisions())
