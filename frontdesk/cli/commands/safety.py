"""backup and restore: the local database's safety net."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from frontdesk.cli.commands.base import CliContext, Output, SubParsers
from frontdesk.services.dataio.backups import SignIn
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.staff.service import StaffService
from frontdesk.store.health import verdict


def register(sub: SubParsers) -> None:
    backup = sub.add_parser(
        "backup",
        help="back up the database now",
        description="Copy the database safely while desks keep working. Without --out the "
        "copy goes to the backup folder, which keeps the newest backup.keep copies.",
    )
    backup.add_argument("--out", type=Path, help="write the backup to this file or folder")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="replace the database with a backup (the current one is kept as a copy)",
        description="Checks the backup first; the current database is copied to the backup "
        "folder before it is replaced. Works on a damaged database too.",
    )
    restore.add_argument("file", type=Path)
    # Restore must work when the live database is too damaged to migrate or even open.
    restore.set_defaults(handler=cmd_restore, raw_database=True)


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def cmd_backup(ctx: CliContext, args: argparse.Namespace) -> Output:
    info = ctx.services.backups.back_up(ctx.actor, args.out)
    return Output(info, f"Backed up to {info.path} ({_size(info.size_bytes)}, checked).")


def _restorer(ctx: CliContext) -> Actor | SignIn:
    """The live database's sign-in when it can be read; otherwise the backup's own staff
    table checks the PIN (a clinic whose database is gone must still be able to restore)."""
    path = Path(ctx.db.sqlite_path or "")
    if path.is_file() and verdict(path).ok is True:
        try:
            return ctx.actor
        except DBAPIError:  # a sound file that is no clinic database (no staff table)
            pass
    return lambda staged: StaffService(ServiceContext(staged, ctx.clock)).sign_in(
        ctx.staff_name, ctx.pin
    )


def cmd_restore(ctx: CliContext, args: argparse.Namespace) -> Output:
    result = ctx.services.backups.restore(_restorer(ctx), args.file)
    who = (
        f"{result.clinic_name}, {result.patients:,} patients" if result.patients is not None else ""
    )
    text = f"Restored {result.restored_from} ({who})."
    if result.safety_copy:
        text += f" The database as it was is kept in {result.safety_copy}."
    if result.upgraded_from:
        text += f" Its schema was brought up to date from {result.upgraded_from}."
    return Output(result, text)
