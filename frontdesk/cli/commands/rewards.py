"""rewards list/redeem/approve/decline/sweep and rewards program show/set."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli.commands.base import (
    CliContext,
    Output,
    SubParsers,
    command_group,
    lower_choice,
    record_id,
)
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import from_minor, parse_amount
from frontdesk.services.rewards.dto import Balance, LedgerLine, RewardView
from frontdesk.services.rewards.ledger import CLOSED, OPEN


def register(sub: SubParsers) -> None:
    rewards = command_group(sub, "rewards", "reward balances, the ledger and redemptions")
    listing = rewards.add_parser("list", help="rewards (or one patient's balance and ledger)")
    listing.add_argument("query", nargs="?", help="a patient's code, phone, name or voucher")
    listing.add_argument(
        "--status",
        type=lower_choice,
        choices=(*OPEN, *CLOSED),
        metavar="STATUS",
        help=", ".join((*OPEN, *CLOSED)),
    )
    listing.set_defaults(handler=cmd_list)

    redeem = rewards.add_parser("redeem", help="use credit at checkout")
    redeem.add_argument("query", help="the patient's code, phone, name, or a voucher code")
    redeem.add_argument("--amount", help="credit to use, e.g. 12.50")
    redeem.add_argument("--bill", help="what the visit costs (credit never exceeds it)")
    redeem.add_argument("--reward", type=record_id, help="use this percentage/item/voucher reward")
    redeem.set_defaults(handler=cmd_redeem)

    approve = rewards.add_parser("approve", help="owner: release a reward waiting for approval")
    approve.add_argument("id", type=record_id)
    approve.set_defaults(handler=cmd_approve)
    decline = rewards.add_parser("decline", help="owner: decline a reward waiting for approval")
    decline.add_argument("id", type=record_id)
    decline.add_argument("--reason", required=True)
    decline.set_defaults(handler=cmd_decline)
    sweep = rewards.add_parser("sweep", help="end finished holds and expire old credit")
    sweep.set_defaults(handler=cmd_sweep)

    program = rewards.add_parser("program", help="the reward program's settings")
    program_sub = program.add_subparsers(dest="program_command", required=True)
    program_sub.add_parser("show", help="show the program").set_defaults(handler=cmd_program_show)
    put = program_sub.add_parser("set", help="owner: change one part of the program")
    put.add_argument("key", help="referrer, new_patient, trigger, delivery, hold_days, …")
    put.add_argument("value")
    put.set_defaults(handler=cmd_program_set)


def reward_json(view: RewardView) -> dict[str, Any]:
    credit = view.kind == "credit"
    return {
        "id": view.id,
        "patient": _person(view),
        "role": view.role,
        "kind": view.kind,
        "amount": str(from_minor(view.amount_minor, view.currency)) if credit else None,
        "amount_minor": view.amount_minor if credit else None,
        "remaining": str(from_minor(view.remaining_minor, view.currency)) if credit else None,
        "remaining_minor": view.remaining_minor if credit else None,
        "currency": view.currency,
        "description": view.amount,
        "status": view.status,
        "state": view.state,
        "issued_at": view.issued_at,
        "usable_from": view.usable_from,
        "expires_at": view.expires_at,
        "referral_id": view.referral_id,
        "voucher_code": view.voucher_code,
        "note": view.note,
    }


def _person(view: RewardView) -> dict[str, Any]:
    p = view.patient
    return {"id": p.id, "name": p.name, "phone": p.phone, "email": p.email, "code": p.code}


def _reward_line(view: RewardView) -> str:
    return (
        f"{view.id:>5}  {view.patient.name[:24]:<24} {view.role:<11} {view.amount:<28} "
        f"{view.remaining:<10} {view.state}"
    )


def _ledger_line(line: LedgerLine) -> str:
    why = f" — {line.reason}" if line.reason else ""
    return f"  {line.at:%Y-%m-%d %H:%M}  {line.entry_type:<9} {line.amount:>10}  {line.what}{why}"


def _balance_json(balance: Balance) -> dict[str, Any]:
    return {
        "available": str(from_minor(balance.available_minor, balance.currency)),
        "available_minor": balance.available_minor,
        "on_hold": str(from_minor(balance.on_hold_minor, balance.currency)),
        "on_hold_minor": balance.on_hold_minor,
        "currency": balance.currency,
        "offers": [reward_json(o) for o in balance.offers],
        "next_expiry": balance.next_expiry,
    }


def _patient_id(ctx: CliContext, query: str) -> int:
    voucher = ctx.services.rewards.voucher(query)
    return voucher.patient.id if voucher else ctx.services.lookup.resolve(query).id


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    if not args.query:
        rows = ctx.services.rewards.list_rewards(args.status)
        text = "\n".join(_reward_line(r) for r in rows) or "No rewards yet."
        return Output([reward_json(r) for r in rows], text)
    found = ctx.services.rewards.patient_rewards(_patient_id(ctx, args.query))
    rewards = [r for r in found.rewards if not args.status or r.status == args.status]
    balance = found.balance
    offers = "".join(f", {o.amount}" for o in balance.offers)
    head = f"{balance.patient.name}: {balance.available} credit available{offers}"
    if balance.on_hold_minor:
        head += f" ({balance.on_hold} more on hold)"
    lines = [head, "", *(_reward_line(r) for r in rewards), "", "Ledger:"]
    lines += [_ledger_line(line) for line in found.ledger] or ["  (empty)"]
    p = balance.patient
    data = {
        "patient": {"id": p.id, "name": p.name, "phone": p.phone, "email": p.email, "code": p.code},
        "balance": _balance_json(balance),
        "rewards": [reward_json(r) for r in rewards],
        "ledger": [line.__dict__ for line in found.ledger],
    }
    return Output(data, "\n".join(lines))


def cmd_redeem(ctx: CliContext, args: argparse.Namespace) -> Output:
    rewards = ctx.services.rewards
    voucher = rewards.voucher(args.query)
    if args.reward is not None or (voucher is not None and args.amount is None):
        reward_id = args.reward if args.reward is not None else voucher.id  # type: ignore[union-attr]
        if voucher is None:
            owner = ctx.services.lookup.resolve(args.query).id
            mine = {r.id for r in rewards.patient_rewards(owner).rewards}
            if reward_id not in mine:
                raise InvalidInputError(f"Reward {reward_id} is not this patient's.")
        used = rewards.redeem_offer(ctx.actor, reward_id)
        return Output(reward_json(used), f"{used.patient.name} used {used.amount}.")
    if args.amount is None:
        raise InvalidInputError("Say how much credit to use with --amount, e.g. --amount 12.50.")
    currency = rewards.program().program.currency
    amount = parse_amount(args.amount, currency, signed=True)  # the service says "above zero"
    bill = parse_amount(args.bill, currency) if args.bill is not None else None
    patient_id = voucher.patient.id if voucher else ctx.services.lookup.resolve(args.query).id
    done = rewards.redeem(ctx.actor, patient_id, amount, bill_minor=bill)
    data = {
        "patient": {"id": done.patient.id, "name": done.patient.name, "code": done.patient.code},
        "redeemed": str(from_minor(done.redeemed_minor, currency)),
        "redeemed_minor": done.redeemed_minor,
        "balance": str(from_minor(done.balance_after_minor, currency)),
        "balance_minor": done.balance_after_minor,
        "currency": currency,
        "parts": [{"reward_id": rid, "amount_minor": take} for rid, take in done.parts],
    }
    return Output(data, done.message)


def cmd_approve(ctx: CliContext, args: argparse.Namespace) -> Output:
    view, note = ctx.services.rewards.approve(ctx.actor, args.id)
    return Output({**reward_json(view), "notes": [note]}, note)


def cmd_decline(ctx: CliContext, args: argparse.Namespace) -> Output:
    view = ctx.services.rewards.decline(ctx.actor, args.id, args.reason)
    return Output(reward_json(view), f"Declined: {view.patient.name}'s {view.amount}.")


def cmd_sweep(ctx: CliContext, args: argparse.Namespace) -> Output:
    report = ctx.services.rewards.sweep(ctx.actor)
    text = (
        f"{report.released_rewards} reward(s) released after their hold, "
        f"{report.expired_rewards} expired."
    )
    return Output(report, text)


def _program_output(ctx: CliContext) -> Output:
    view = ctx.services.rewards.program()
    width = max(len(k) for k in view.fields)
    lines = [f"{key.ljust(width)}  {value}" for key, value in view.fields.items()]
    if view.saved_at:
        lines.append(f"\nSaved {view.saved_at:%Y-%m-%d %H:%M} by {view.saved_by}.")
    else:
        lines.append("\nThe default program: no owner has changed it yet.")
    data = {"id": view.id, **view.program.to_dict(), "shown": view.fields}
    return Output(data, "\n".join(lines))


def cmd_program_show(ctx: CliContext, args: argparse.Namespace) -> Output:
    return _program_output(ctx)


def cmd_program_set(ctx: CliContext, args: argparse.Namespace) -> Output:
    ctx.services.rewards.set_program_field(ctx.actor, args.key, args.value)
    return _program_output(ctx)
