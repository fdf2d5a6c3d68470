"""What every CLI command gets: the services, the acting staff member, and an output shape."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from frontdesk.config import app_paths
from frontdesk.domain.clock import Clock
from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.store.engine import Database, open_database
from frontdesk.store.migrate import upgrade


@dataclass(frozen=True)
class Output:
    data: Any
    text: str = ""
    exit_code: int = 0  # non-zero when the command reports a problem it printed itself


@dataclass
class CliContext:
    db: Database
    clock: Clock
    staff_name: str | None
    pin: str | None
    _extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        url: str,
        clock: Clock,
        staff_name: str | None,
        pin: str | None,
        *,
        migrate: bool = True,
    ) -> CliContext:
        db = open_database(url)
        if migrate:  # restore skips this: it must work on a database too damaged to migrate
            upgrade(db, app_paths().backups)
        return cls(db=db, clock=clock, staff_name=staff_name, pin=pin)

    @cached_property
    def services(self) -> Services:
        return build_services(ServiceContext(db=self.db, clock=self.clock))

    @cached_property
    def actor(self) -> Actor:
        """Who runs this command. Once staff accounts exist: ``--staff NAME`` and the PIN
        from ``FRONTDESK_PIN`` or, on a terminal, a prompt."""
        staff = self.services.staff
        if not staff.has_accounts():
            return staff.sign_in(None, None)
        if not self.staff_name:
            raise InvalidInputError(
                "This clinic has staff accounts: add --staff NAME (your PIN from FRONTDESK_PIN)."
            )
        pin = self.pin
        if not pin and sys.stdin.isatty():
            pin = getpass.getpass(f"PIN for {self.staff_name}: ")
        if not pin:
            raise InvalidInputError("Give your PIN in FRONTDESK_PIN (never as an argument).")
        return staff.sign_in(self.staff_name, pin)

    def close(self) -> None:
        self.db.dispose()


SubParsers = argparse._SubParsersAction  # type: ignore[type-arg]

# The largest id a database row can have (SQLite's and PostgreSQL's 64-bit integers).
MAX_ID = 2**63 - 1


def record_id(text: str) -> int:
    """An id as typed at the edge: a whole number the database can hold (exit 2 otherwise)."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number, like 42") from None
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text} is not an id on file (ids start at 1)")
    return value


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """A count or limit between ``low`` and ``high``, refused in words outside them."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not between {low:,} and {high:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def out_file(text: str) -> Path:
    """A file to write: not a folder, in a folder that exists."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{text} is a folder; give a file name inside it, like {path / 'out.pdf'}"
        )
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"There is no folder {path.parent} to write into")
    return path


def lower_choice(text: str) -> str:
    return text.strip().lower()


def command_group(sub: SubParsers, name: str, help_text: str) -> SubParsers:
    """The sub-commands of ``frontdesk NAME …``, shared by every module that adds to it
    (e.g. ``referrals list`` and ``referrals attach`` live in different modules)."""
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help_text)
        group = parser.add_subparsers(dest=f"{name}_command", required=True)
        parser._frontdesk_group = group  # type: ignore[attr-defined]
    return parser._frontdesk_group  # type: ignore[attr-defined,no-any-return]
