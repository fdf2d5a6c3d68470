"""referrals list/show/book/cancel/expire: the referral lifecycle from the command line."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.cli.commands.base import (
    CliContext,
    Output,
    SubParsers,
    command_group,
    lower_choice,
    record_id,
)
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.referral_stages import Stage
from frontdesk.services.records.dto import PatientRef
from frontdesk.services.rewards.dto import ReferralRow


def register(sub: SubParsers) -> None:
    referrals = command_group(sub, "referrals", "referrals: who brought whom")
    listing = referrals.add_parser("list", help="referrals, newest first")
    listing.add_argument(
        "--status",
        type=lower_choice,
        choices=[stage.value for stage in Stage],
        metavar="STAGE",
        help="introduced, booked, attended, rewarded, blocked, flagged, cancelled, expired or "
        "rejected",
    )
    listing.add_argument("--referrer", metavar="QUERY", help="only this referrer's")
    listing.add_argument("--since", metavar="YYYY-MM-DD", help="created on or after")
    listing.add_argument("--until", metavar="YYYY-MM-DD", help="created before")
    listing.set_defaults(handler=cmd_list)

    show = referrals.add_parser("show", help="one referral with its history and rewards")
    show.add_argument("id", type=record_id)
    show.set_defaults(handler=cmd_show)

    book = referrals.add_parser("book", help="the friend booked (e.g. for Thursday)")
    book.add_argument("id", type=record_id)
    book.add_argument("--for", dest="booked_for", metavar="YYYY-MM-DD[THH:MM]")
    book.add_argument("--reason", help="a note, e.g. 'booked by phone'")
    book.set_defaults(handler=cmd_book)

    cancel = referrals.add_parser("cancel", help="the friend cancelled before attending")
    cancel.add_argument("id", type=record_id)
    cancel.add_argument("--reason", required=True)
    cancel.set_defaults(handler=cmd_cancel)

    expire = referrals.add_parser("expire", help="expire friends who never attended")
    expire.set_defaults(handler=cmd_expire)


def referral_json(row: ReferralRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "referrer": _person(row.referrer),
        "referee": _person(row.referee),
        "friend": row.friend_name,
        "professional": row.professional_name,
        "status": row.status,
        "held_status": row.held_status,
        "created_at": row.created_at,
        "booked_at": row.booked_at,
        "booked_for": row.booked_for,
        "attended_at": row.attended_at,
        "channel": row.channel,
        "open_flags": row.open_flags,
        "rewards": row.rewards,
    }


def _person(ref: PatientRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "id": ref.id,
        "name": ref.name,
        "phone": ref.phone,
        "email": ref.email,
        "code": ref.code,
    }


def _line(row: ReferralRow) -> str:
    stage = row.status if not row.held_status else f"{row.status} ({row.held_status})"
    flags = f" ⚑{row.open_flags}" if row.open_flags else ""
    return (
        f"{row.id:>5}  {row.created_at:%Y-%m-%d}  {stage:<22} {row.referrer_name[:24]:<24} → "
        f"{row.friend_name[:24]:<24} {row.rewards}{flags}"
    ).rstrip()


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    tz = ZoneInfo(ctx.services.clinic.info().timezone)
    referrer_id = ctx.services.lookup.resolve(args.referrer).id if args.referrer else None
    rows = ctx.services.referrals.list(
        args.status,
        referrer_id=referrer_id,
        since=_day(args.since, tz) if args.since else None,
        until=_day(args.until, tz) if args.until else None,
    )
    text = "\n".join(_line(row) for row in rows) or "No referrals match."
    return Output([referral_json(row) for row in rows], text)


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> Output:
    detail = ctx.services.referrals.detail(args.id)
    lines = [_line(detail.referral), ""]
    for event in detail.events:
        came = f"{event.from_status} → " if event.from_status else ""
        why = f" — {event.reason}" if event.reason else ""
        lines.append(f"  {event.at:%Y-%m-%d %H:%M}  {came}{event.to_status}  by {event.by}{why}")
    for reward in detail.rewards:
        lines.append(
            f"  reward {reward.id}: {reward.patient.name}, {reward.amount}, {reward.state}"
        )
    data = {
        **referral_json(detail.referral),
        "history": [event.__dict__ for event in detail.events],
        "reward_ids": [reward.id for reward in detail.rewards],
        "flag_ids": list(detail.flag_ids),
    }
    return Output(data, "\n".join(lines))


def cmd_book(ctx: CliContext, args: argparse.Namespace) -> Output:
    tz = ZoneInfo(ctx.services.clinic.info().timezone)
    when = _moment(args.booked_for, tz) if args.booked_for else None
    row, notes = ctx.services.referrals.book(
        ctx.actor, args.id, booked_for=when, reason=args.reason
    )
    return Output({**referral_json(row), "notes": notes}, "\n".join([_line(row), *notes]))


def cmd_cancel(ctx: CliContext, args: argparse.Namespace) -> Output:
    row = ctx.services.referrals.cancel(ctx.actor, args.id, args.reason)
    return Output(referral_json(row), _line(row))


def cmd_expire(ctx: CliContext, args: argparse.Namespace) -> Output:
    count = ctx.services.referrals.expire_due(ctx.actor)
    return Output({"expired": count}, f"{count} referral{'s' if count != 1 else ''} expired.")


def _day(text: str, tz: ZoneInfo) -> datetime:
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a date. Write it like 2026-11-25.") from None
    return datetime.combine(day, time(), tz).astimezone(UTC)


def _moment(text: str, tz: ZoneInfo) -> datetime:
    for shape in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), shape).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    raise InvalidInputError(
        f"{text!r} is not a date. Write it like 2026-11-26 or 2026-11-26T14:30."
    )
