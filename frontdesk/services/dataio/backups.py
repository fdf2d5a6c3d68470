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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from frontdesk.config import app_paths
from frontdesk.domain.changes import EVERYTHING, Changes
from frontdesk.domain.errors import DatabaseDamagedError, InvalidInputError, RuleRefusedError
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.store.atomic_file import commit, new_temp_beside
from frontdesk.store.backup import (
    BackupCheckFailed,
    CheckStopped,
    CheckStopper,
    FileCheck,
    backup_name,
    backup_sqlite,
    check_backup_file,
    claim_backup_path,
    integrity_check,
    restore_sqlite,
    rotate_backups,
)
from frontdesk.store.engine import Database, open_database
from frontdesk.store.health import verdict
from frontdesk.store.migrate import head_revision, schema_problems, upgrade

# Who restores: an actor signed in on the live database, or, when that cannot be read, a
# sign-in run against the backup being restored (its staff table and PINs).
SignIn = Callable[[Database], Actor]

AUTO_INTERVAL = timedelta(hours=20)  # about daily, whatever time the desk starts
SAFETY_COPIES_KEPT = 5
_NAME = re.compile(r"^frontdesk-(\d{8}-\d{6})(?:\.\d+)?-([a-z0-9-]+)\.sqlite3$")
ADVICE_BACKUPS = 3  # good backups named in the message about a damaged database
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
    safety_copy: str  # "" when there was nothing to keep (no database, or an empty file)
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
        state = verdict(live)
        if state.ok is False:  # a copy of a damaged file is no backup: make none
            raise DatabaseDamagedError(damage_message(live, state.detail, self.folder))
        target = out or claim_backup_path(self.folder, kind, now)
        try:
            backup_sqlite(live, target, check=_backup_problem)
        except (BackupCheckFailed, sqlite3.DatabaseError) as error:
            if out is None:
                target.unlink(missing_ok=True)  # the reserved name: nothing is left behind
            raise DatabaseDamagedError(
                f"The backup copy failed its check ({str(error)[:200]}), so it was not kept. "
                + damage_advice(self.folder)
            ) from None
        if out is None:
            keep = self.keep()
            rotate_backups(self.folder, keep, ROTATED)
        return BackupInfo(str(target), now, kind if out is None else "file", target.stat().st_size)

    # -- restoring ---------------------------------------------------------------------------
    def restore(self, who: Actor | SignIn, source: Path | str) -> RestoreResult:
        """Replace the database with a backup, after keeping a copy of the current one.

        Works whatever state the live file is in (healthy, damaged, empty, missing, even a
        folder in its place). The backup is checked (SQLite's check and its schema against
        the migrations), copied beside the live file and brought up to date there; only a
        copy that passes replaces the live one. A healthy live file is overwritten through
        SQLite's backup API, in one transaction that desks still connected see whole; a
        broken one (which no desk can use) is renamed over. ``who`` is the signed-in actor,
        or a sign-in to run against the backup when the live staff table cannot be read."""
        if isinstance(who, Actor):
            who.require_owner("restore a backup")
        live = self._live()
        source = Path(source)
        if source.resolve() == live.resolve():
            raise InvalidInputError("That is the live database itself; choose a backup file.")
        check = self._check_restorable(source)
        now = self._ctx.clock.now()
        staging = new_temp_beside(live, "restoring")
        try:
            staged = self._stage(source, staging)
            try:
                actor = who if isinstance(who, Actor) else who(staged)
                actor.require_owner("restore a backup")
                with staged.begin() as session:  # the restore is recorded in what it restores
                    audit.record(
                        session,
                        actor,
                        "backup.restore",
                        "database",
                        None,
                        at=now,
                        after={"from": str(source)},
                    )
            finally:
                staged.dispose()
            healthy = live.is_file() and verdict(live).ok is True
            safety = self._keep_current(live, now, damaged=not healthy)
            self._ctx.db.dispose()
            if healthy:
                restore_sqlite(staging, live)
            else:
                for leftover in _sidecars(live):  # the old log must not replay onto the new file
                    leftover.unlink(missing_ok=True)
                commit(staging, live)
            self._ctx.db.allow_writes()  # a sound file again
        finally:
            for leftover in (staging, *_sidecars(staging)):
                leftover.unlink(missing_ok=True)
        upgraded_from = check.revision if check.revision != head_revision() else None
        return RestoreResult(
            restored_from=str(source),
            safety_copy=str(safety) if safety else "",
            clinic_name=check.clinic_name,
            patients=check.patients,
            upgraded_from=upgraded_from,
        )

    def _check_restorable(self, source: Path) -> FileCheck:
        check = check_backup_file(source)
        if check.problem:
            raise InvalidInputError(check.problem + " Nothing was changed.")
        if not _known_revision(check.revision):
            raise InvalidInputError(
                f"{source.name} was made by a newer version of Frontdesk (schema "
                f"{check.revision}). Update Frontdesk first. Nothing was changed."
            )
        problems = schema_problems(source, check.revision or head_revision())
        if problems:
            raise InvalidInputError(
                f"{source.name} is not a whole Frontdesk database ({'; '.join(problems)[:200]})."
                " Nothing was changed."
            )
        return check

    def _stage(self, source: Path, staging: Path) -> Database:
        """The backup, copied beside the live file and brought up to date there."""
        # Read exactly as checked (immutable: no lock or -shm file made beside the backup).
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            dst = sqlite3.connect(staging)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        staged = open_database(str(staging))
        upgrade(staged)
        return staged

    def _keep_current(self, live: Path, now: datetime, *, damaged: bool) -> Path | None:
        """The database as it is, under a name no other copy has; None when there is none."""
        if live.is_dir():  # something put a folder where the database goes: move it aside
            aside = live.with_name(f"{live.name}.replaced-{now:%Y%m%d-%H%M%S}")
            aside = claim_free_name(aside)
            live.rename(aside)
            return aside
        if not live.exists() or not live.stat().st_size:
            return None
        safety = claim_backup_path(self.folder, "before-restore", now)
        _safety_copy(live, safety, raw=damaged)
        rotate_backups(self.folder, SAFETY_COPIES_KEPT, ("frontdesk-*-before-restore.sqlite3",))
        return safety

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
        message = damage_message(Path(path), verdict, self.folder)
        if latest is not None:
            message += " In the app: Settings → Backups."
        # Read-only from here: the desk can still look people up, nothing makes it worse.
        self._ctx.db.refuse_writes(message)
        return IntegrityReport(False, verdict, message, latest)


def claim_free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate


def _backup_problem(copy: Path) -> str | None:
    """Why a fresh copy is no good backup: SQLite's check, then its schema."""
    check = check_backup_file(copy)
    if check.problem:
        return check.problem
    problems = schema_problems(copy, check.revision or head_revision())
    return "; ".join(problems) if problems else None


def good_backups(folder: Path, limit: int = ADVICE_BACKUPS) -> list[tuple[Path, datetime]]:
    """The newest backups in ``folder`` that pass SQLite's check, newest first."""
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("frontdesk-*.sqlite3"), reverse=True):
        match = _NAME.match(path.name)
        if not match or check_backup_file(path).problem:
            continue
        taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        found.append((path, taken))
        if len(found) == limit:
            break
    return found


def damage_advice(folder: Path) -> str:
    good = good_backups(folder)
    if not good:
        return "There is no good backup in the backup folder; call your IT support."
    newest, taken = good[0]
    advice = f"Restore the backup of {taken:%d %b %Y %H:%M} UTC: frontdesk restore {newest}"
    if len(good) > 1:
        advice += f" (older good backups: {', '.join(str(path) for path, _ in good[1:])})"
    return advice


def damage_message(live: Path, detail: str, folder: Path) -> str:
    """One message for a damaged database, with the way out (the newest good backups)."""
    return (
        f"The database file {live} is damaged (SQLite says: {' '.join(detail.split())[:160]}); "
        "it was not changed. " + damage_advice(folder)
    )


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _safety_copy(live: Path, safety: Path, *, raw: bool) -> None:
    """A copy of the current database before it is replaced. A damaged one is copied byte
    for byte (with its log), as found: the backup API would skip or refuse damaged pages."""
    if not raw:
        try:
            backup_sqlite(live, safety)
            return
        except sqlite3.DatabaseError:
            pass
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
