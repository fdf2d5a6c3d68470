"""init, demo, db upgrade, settings."""

from __future__ import annotations

import argparse
import time

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, whole_number
from frontdesk.domain.clinic_profile import CLINIC_TYPES
from frontdesk.services.demo.service import DemoService
from frontdesk.store.migrate import current_revision, head_revision


def register(sub: SubParsers) -> None:
    init = sub.add_parser("init", help="create the clinic in a database")
    init.add_argument("--clinic", required=True, help="the clinic's name")
    init.add_argument("--country", required=True, help="two-letter country code, e.g. GB")
    init.add_argument("--timezone", help="e.g. Europe/London (default: the country's)")
    init.add_argument("--currency", help="e.g. GBP (default: the country's)")
    init.add_argument("--booking-url", help="the clinic's booking page, if it has one")
    init.add_argument("--type", default="physio", choices=CLINIC_TYPES)
    init.set_defaults(handler=cmd_init)

    demo = sub.add_parser("demo", help="fill the database with a realistic demo clinic")
    demo.add_argument("--patients", type=whole_number(0, 2_000_000), default=400)
    demo.add_argument("--seed", type=whole_number(0, 2**32 - 1), default=7)
    demo.set_defaults(handler=cmd_demo)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="bring the schema up to date").set_defaults(
        handler=cmd_db_upgrade
    )

    settings = sub.add_parser("settings", help="clinic settings")
    s_sub = settings.add_subparsers(dest="settings_command", required=True)
    get = s_sub.add_parser("get", help="show settings")
    get.add_argument("key", nargs="?")
    get.set_defaults(handler=cmd_settings_get)
    put = s_sub.add_parser("set", help="change a setting")
    put.add_argument("key")
    put.add_argument("value")
    put.set_defaults(handler=cmd_settings_set)


def cmd_init(ctx: CliContext, args: argparse.Namespace) -> Output:
    info = ctx.services.clinic.init(
        ctx.actor,
        name=args.clinic,
        country=args.country,
        timezone=args.timezone,
        currency=args.currency,
        booking_url=args.booking_url,
        clinic_type=args.type,
    )
    return Output(info, f"Created {info.name} ({info.country}, {info.timezone}, {info.currency}).")


def cmd_demo(ctx: CliContext, args: argparse.Namespace) -> Output:
    started = time.perf_counter()
    report = DemoService(ctx.services.ctx).generate(ctx.actor, args.patients, args.seed)
    seconds = time.perf_counter() - started
    return Output(
        {**report.__dict__, "seconds": round(seconds, 2)},
        f"Demo clinic ready: {report.patients:,} patients, {report.visits:,} visits, "
        f"{report.referrals:,} referrals, {report.messages:,} messages ({seconds:.1f} s).",
    )


def cmd_db_upgrade(ctx: CliContext, args: argparse.Namespace) -> Output:
    # CliContext.open already upgraded; this reports where the schema stands.
    revision = current_revision(ctx.db)
    return Output({"revision": revision, "head": head_revision()}, f"Schema at {revision}.")


def cmd_settings_get(ctx: CliContext, args: argparse.Namespace) -> Output:
    values = ctx.services.clinic.get_settings(args.key)
    width = max(len(k) for k in values)
    text = "\n".join(f"{k.ljust(width)}  {_show(v)}" for k, v in values.items())
    return Output(values, text)


def cmd_settings_set(ctx: CliContext, args: argparse.Namespace) -> Output:
    value = ctx.services.clinic.set_setting(ctx.actor, args.key, args.value)
    return Output({args.key: value}, f"{args.key} = {_show(value)}")


def _show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "—" if value is None else str(value)
