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
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from frontdesk.cli.commands import COMMAND_MODULES
from frontdesk.cli.commands.base import CliContext, Output
from frontdesk.cli.guard import GuardedDatabase, as_frontdesk_error, guard, remember_ok
from frontdesk.config import Paths, app_paths, database_url
from frontdesk.domain.clock import SystemClock
from frontdesk.domain.errors import FrontdeskError
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
    parser.add_argument("--db", help="database URL or SQLite file path")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--staff", help="staff member acting (PIN from FRONTDESK_PIN)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("FRONTDESK_LOG", "WARNING"))
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
        return _unexpected(paths)
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
        return handler(ctx, args)
    finally:
        ctx.close()


def _refused(error: FrontdeskError) -> int:
    log.debug("refused", exc_info=True)
    sys.stderr.write(f"frontdesk: {error.message}\n")
    return error.exit_code


def _unexpected(paths: Paths) -> int:
    """No traceback reaches a person: it goes to the log file, and they get its path."""
    log_file = paths.logs / "frontdesk.log"
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: frontdesk ")
            handle.write(" ".join(sys.argv[1:]) + "\n" + traceback.format_exc())
        where = f"The details are in {log_file}."
    except OSError:
        where = "The details could not be written to a log file."
    sys.stderr.write(
        f"frontdesk: something unexpected went wrong; nothing more was done. {where}\n"
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
