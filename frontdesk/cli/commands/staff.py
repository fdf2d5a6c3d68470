"""staff add/list/disable/enable/set-pin/role/rename and audit list: who works the desk.

A new PIN never travels as an argument (it would sit in the shell history and the process
list): it comes from ``FRONTDESK_NEW_PIN`` or a prompt on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, command_group
from frontdesk.domain.clinic_time import clinic_day, sheet_text
from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.staff.audit_log import AuditFilter
from frontdesk.services.staff.dto import AuditEntry, StaffMember
from frontdesk.services.staff.service import ROLES


def register(sub: SubParsers) -> None:
    staff = command_group(sub, "staff", "staff accounts (owner; the first owner needs none)")
    add = staff.add_parser("add", help="add a staff member (PIN from FRONTDESK_NEW_PIN)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(handler=cmd_add)
    staff.add_parser("list", help="everyone at the desk").set_defaults(handler=cmd_list)
    for verb, handler, help_text in (
        ("disable", cmd_disable, "stop someone signing in (the audit keeps their name)"),
        ("enable", cmd_enable, "let a disabled member sign in again"),
        ("set-pin", cmd_set_pin, "reset a PIN (from FRONTDESK_NEW_PIN or a prompt)"),
    ):
        parser = staff.add_parser(verb, help=help_text)
        parser.add_argument("name")
        parser.set_defaults(handler=handler)
    role = staff.add_parser("role", help="make someone an owner or a receptionist")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=cmd_role)
    rename = staff.add_parser("rename", help="correct a staff member's name")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(handler=cmd_rename)

    audit = command_group(sub, "audit", "the audit log (owner)")
    listing = audit.add_parser("list", help="every change: who, when, what, before → after")
    listing.add_argument("--since", help="from this day (YYYY-MM-DD, clinic time)")
    listing.add_argument("--staff", dest="by_staff", metavar="NAME", help="changes by NAME")
    listing.add_argument("--patient", metavar="QUERY", help="changes about one patient")
    listing.add_argument("--kind", help="e.g. reward, referral, staff, staff.sign_in_failed")
    listing.add_argument("--limit", type=int, default=500)
    listing.set_defaults(handler=cmd_audit_list)


def new_pin() -> str:
    pin = os.environ.get("FRONTDESK_NEW_PIN")
    if pin:
        return pin
    if not sys.stdin.isatty():
        raise InvalidInputError("Give the new PIN in FRONTDESK_NEW_PIN (never as an argument).")
    first = getpass.getpass("New PIN (4 to 8 digits): ")
    if getpass.getpass("The same PIN again: ") != first:
        raise InvalidInputError("The two PINs are not the same. Nothing was changed.")
    return first


def member_json(member: StaffMember) -> dict[str, Any]:
    return {
        "id": member.id,
        "name": member.name,
        "role": member.role,
        "active": member.active,
        "locked_until": member.locked_until,
    }


def _line(member: StaffMember) -> str:
    state = "" if member.active else "  (disabled)"
    return f"{member.name:<24} {member.role}{state}"


def cmd_add(ctx: CliContext, args: argparse.Namespace) -> Output:
    actor = ctx.services.staff.add(ctx.actor, args.name, args.role, new_pin())
    return Output(
        {"name": actor.name, "role": actor.role, "id": actor.staff_id},
        f"Added {actor.name} ({actor.role}).",
    )


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    members = ctx.services.staff.list()
    text = "\n".join(_line(m) for m in members) or (
        "No staff accounts yet: anyone at the desk acts as the owner. "
        "Add the owner first: frontdesk staff add NAME --role owner"
    )
    return Output([member_json(m) for m in members], text)


def cmd_disable(ctx: CliContext, args: argparse.Namespace) -> Output:
    member = ctx.services.staff.disable(ctx.actor, args.name)
    return Output(member_json(member), f"{member.name} can no longer sign in.")


def cmd_enable(ctx: CliContext, args: argparse.Namespace) -> Output:
    member = ctx.services.staff.enable(ctx.actor, args.name)
    return Output(member_json(member), f"{member.name} can sign in again.")


def cmd_set_pin(ctx: CliContext, args: argparse.Namespace) -> Output:
    member = ctx.services.staff.set_pin(ctx.actor, args.name, new_pin())
    return Output(member_json(member), f"{member.name}'s PIN is changed.")


def cmd_role(ctx: CliContext, args: argparse.Namespace) -> Output:
    member = ctx.services.staff.set_role(ctx.actor, args.name, args.role)
    return Output(member_json(member), f"{member.name} is now {member.role}.")


def cmd_rename(ctx: CliContext, args: argparse.Namespace) -> Output:
    member = ctx.services.staff.rename(ctx.actor, args.name, args.new_name)
    return Output(member_json(member), f"Renamed to {member.name}.")


def _since(text: str, timezone: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(timezone))
    return clinic_day(noon, timezone)[0]


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "who": entry.who,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
    }


def _entry_line(entry: AuditEntry, timezone: str) -> str:
    at = sheet_text(entry.at, timezone)  # sorts as text, on the clinic's clock
    changed = entry.before or entry.after
    change = f"  {entry.before or '—'} → {entry.after or '—'}" if changed else ""
    why = f"  ({entry.reason})" if entry.reason else ""
    target = f"{entry.entity} {entry.entity_id}" if entry.entity_id is not None else entry.entity
    return f"{at}  {entry.who:<20} {entry.action:<26} {target}{change}{why}"


def cmd_audit_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    actor = ctx.actor
    actor.require_owner("read the audit log")
    timezone = ctx.services.clinic.info().timezone
    where = AuditFilter(
        since=_since(args.since, timezone) if args.since else None,
        staff=args.by_staff,
        patient_id=ctx.services.lookup.resolve(args.patient).id if args.patient else None,
        kind=args.kind,
    )
    entries = ctx.services.audit.list(actor, where, limit=max(1, args.limit))
    text = "\n".join(_entry_line(e, timezone) for e in entries) or "No changes match."
    return Output([entry_json(e) for e in entries], text)
