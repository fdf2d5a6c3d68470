"""flags list/show/approve/reject: the owner's review queue from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, command_group, record_id
from frontdesk.services.rewards.dto import FlagView, PersonCard


def register(sub: SubParsers) -> None:
    flags = command_group(sub, "flags", "the review queue of flagged referrals")
    listing = flags.add_parser("list", help="flags to review (or every flag with --status)")
    listing.add_argument(
        "--status", default="open", choices=("open", "approved", "rejected", "all")
    )
    listing.set_defaults(handler=cmd_list)
    show = flags.add_parser("show", help="one flag with its evidence")
    show.add_argument("id", type=record_id)
    show.set_defaults(handler=cmd_show)
    approve = flags.add_parser("approve", help="owner: genuine — release the rewards")
    approve.add_argument("id", type=record_id)
    approve.add_argument("--reason", help="optional note for the audit log")
    approve.set_defaults(handler=cmd_approve)
    reject = flags.add_parser("reject", help="owner: not genuine — take the rewards back")
    reject.add_argument("id", type=record_id)
    reject.add_argument("--reason", required=True)
    reject.set_defaults(handler=cmd_reject)


def _card(card: PersonCard | None) -> dict[str, Any] | None:
    if card is None:
        return None
    return {
        "id": card.id,
        "name": card.name,
        "phone": card.phone,
        "email": card.email,
        "address": card.address,
        "postcode": card.postcode,
        "code": card.code,
        "on_file_since": card.on_file_since,
        "first_visit_at": card.first_visit_at,
    }


def flag_json(flag: FlagView) -> dict[str, Any]:
    return {
        "id": flag.id,
        "referral_id": flag.referral_id,
        "rule": flag.rule,
        "title": flag.title,
        "explanation": flag.explanation,
        "evidence": flag.evidence,
        "shared": list(flag.highlight),
        "status": flag.status,
        "created_at": flag.created_at,
        "decided_at": flag.decided_at,
        "decided_by": flag.decided_by,
        "reason": flag.decision_reason,
        "referral_status": flag.referral_status,
        "referrer": _card(flag.referrer),
        "referee": _card(flag.referee),
        "held_rewards": flag.held_rewards,
    }


def _line(flag: FlagView) -> str:
    decided = f" — {flag.status} by {flag.decided_by}" if flag.decided_at else ""
    return f"{flag.id:>5}  {flag.created_at:%Y-%m-%d}  {flag.title}: {flag.explanation}{decided}"


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    flags = ctx.services.fraud.list(None if args.status == "all" else args.status)
    text = "\n".join(_line(f) for f in flags) or "Nothing to review."
    return Output([flag_json(f) for f in flags], text)


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> Output:
    flag = ctx.services.fraud.get(args.id)
    lines = [_line(flag), ""]
    for label, card in (("Referrer", flag.referrer), ("Friend", flag.referee)):
        if card is None:
            lines.append(f"{label}: {flag.prospect_name or '—'} (not a patient yet)")
            continue
        lines.append(f"{label}: {card.name} ({card.code or 'no code'})")
        for field in ("phone", "email", "address", "postcode"):
            value = getattr(card, field)
            shared = field in flag.highlight or f"{field}_domain" in flag.highlight
            mark = "  ← shared" if shared else ""
            lines.append(f"  {field:<9} {value or '—'}{mark}")
    if flag.held_rewards:
        lines.append(f"\nHeld: {flag.held_rewards}")
    return Output(flag_json(flag), "\n".join(lines))


def cmd_approve(ctx: CliContext, args: argparse.Namespace) -> Output:
    decision = ctx.services.fraud.approve(ctx.actor, args.id, args.reason)
    return Output({**flag_json(decision.flag), "message": decision.message}, decision.message)


def cmd_reject(ctx: CliContext, args: argparse.Namespace) -> Output:
    decision = ctx.services.fraud.reject(ctx.actor, args.id, args.reason)
    data = {
        **flag_json(decision.flag),
        "message": decision.message,
        "closed_flag_ids": list(decision.closed_flag_ids),
    }
    return Output(data, decision.message)
