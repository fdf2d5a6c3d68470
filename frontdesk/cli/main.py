"""The headless front door: the same services as the app, for automation, support and tests.

``frontdesk`` with no command opens the app. Errors are one line on stderr with exit status 2
(bad usage or input), 3 (a rule refused) or 4 (the database is damaged, unreachable or busy);
1 only for the unexpected, with the log file's path. ``--json`` prints machine-readable
results.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from frontdesk import __version__
from frontdesk.cli.commands import COMMAND_MODULES
from frontdesk.cli.commands.base import CliContext, Output
from frontdesk.cli.guard import GuardedDatabase, as_frontdesk_error, guard, remember_ok
from frontdesk.config import app_paths, database_url, keep_files_private
from frontdesk.domain.clock import SystemClock
from frontdesk.domain.errors import FrontdeskError, in_words
from frontdesk.logs import start_logging
from frontdesk.services.records.dto import to_json

log = logging.getLogger("frontdesk")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, like every other bad input
        sys.stderr.write(f"frontdesk: {message}\n")
        raise SystemExit(2)


@dataclass(frozen=True)
class Invocation:
    handler: Callable[[CliContext, argparse.Namespace], Output]
    args: argparse.Namespace


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontdesk", description="Frontdesk: the clinic referral program.")
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    parser.add_argument("--db", help="database URL or SQLite file path")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--staff", help="staff member acting (PIN from FRONTDESK_PIN)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    keep_files_private()
    level = os.environ.get("FRONTDESK_LOG", "WARNING")
    logging.basicConfig(level=level)
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)  # the terminal keeps its level; the file also takes INFO
    log_path = start_logging(app_paths().logs)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from frontdesk.ui.app import main as open_app  # Qt is imported only for the app

        return int(open_app(db=args.db))
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.parse_args([*(argv or sys.argv[1:]), "--help"])
        return 2
    paths = app_paths()
    guarded = None
    try:
        guarded = guard(database_url(args.db, paths), args.command, paths)
        output = _run(handler, args, guarded)
    except FrontdeskError as error:
        return _refused(error)
    except KeyboardInterrupt:
        sys.stderr.write("frontdesk: stopped.\n")
        return 130
    except Exception as error:
        known = as_frontdesk_error(error, guarded.target if guarded else None, paths)
        if known is not None:
            log.debug("database failure", exc_info=True)
            return _refused(known)
        log.exception("unexpected error in %s", args.command)
        sys.stderr.write(
            "frontdesk: Something unexpected went wrong; nothing half-done was kept. "
            f"The details are in {log_path}.\n"
        )
        return 1
    remember_ok(guarded, paths)
    if args.json:
        sys.stdout.write(json.dumps(to_json(output.data), ensure_ascii=False, indent=2) + "\n")
    elif output.text:
        sys.stdout.write(output.text.rstrip("\n") + "\n")
    return output.exit_code


def _run(
    handler: Callable[[CliContext, argparse.Namespace], Output],
    args: argparse.Namespace,
    guarded: GuardedDatabase,
) -> Output:
    ctx = CliContext.open(
        guarded.target.url,
        SystemClock(),
        args.staff,
        os.environ.get("FRONTDESK_PIN"),
        migrate=not getattr(args, "raw_database", False),
    )
    try:
        if not getattr(args, "raw_database", False):  # restore signs in once it can read
            ctx.actor  # noqa: B018 — once staff accounts exist, every command needs --staff
        return handler(ctx, args)
    finally:
        ctx.close()


def _refused(error: FrontdeskError) -> int:
    log.debug("refused", exc_info=True)
    sys.stderr.write(f"frontdesk: {in_words(error)}\n")
    return error.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
