"""messages, inbox, sync, sms, templates, asks: the SMS side of the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, record_id, whole_number
from frontdesk.domain.ask_rules import rule_from_options
from frontdesk.domain.clinic_time import to_clinic, when_text
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.templates import KINDS


def register(sub: SubParsers) -> None:
    messages = sub.add_parser("messages", help="the outbox")
    m_sub = messages.add_subparsers(dest="messages_command", required=True)
    listing = m_sub.add_parser("list", help="messages, newest first")
    listing.add_argument(
        "--status",
        help="pending, sending, sent, delivered, undelivered, failed, cancelled or waiting",
    )
    listing.add_argument("--limit", type=whole_number(1, 10_000), default=50)
    listing.set_defaults(handler=cmd_messages_list)
    for name, handler, text in (
        ("cancel", cmd_messages_cancel, "cancel a message still waiting"),
        ("retry", cmd_messages_retry, "send a failed message again"),
    ):
        action = m_sub.add_parser(name, help=text)
        action.add_argument("id", type=record_id)
        action.set_defaults(handler=handler)

    inbox = sub.add_parser("inbox", help="replies that need the desk")
    i_sub = inbox.add_subparsers(dest="inbox_command", required=True)
    i_list = i_sub.add_parser("list", help="unhandled replies (--all for every reply)")
    i_list.add_argument("--all", action="store_true")
    i_list.set_defaults(handler=cmd_inbox_list)
    handled = i_sub.add_parser("handled", help="mark a reply handled")
    handled.add_argument("id", type=record_id)
    handled.set_defaults(handler=cmd_inbox_handled)

    sync = sub.add_parser("sync", help="fetch replies, send the outbox, refresh delivery statuses")
    sync.add_argument("--once", action="store_true", help="one sync, then exit")
    sync.add_argument(
        "--every",
        type=whole_number(1, 86_400),
        default=60,
        help="seconds between syncs (default 60)",
    )
    sync.set_defaults(handler=cmd_sync)

    sms = sub.add_parser("sms", help="the clinic's Twilio account")
    s_sub = sms.add_subparsers(dest="sms_command", required=True)
    configure = s_sub.add_parser(
        "configure",
        help="store the Twilio account (the token or API key secret is read from stdin)",
    )
    configure.add_argument("--account-sid", required=True, help="AC… from the Twilio console")
    configure.add_argument(
        "--from", dest="from_number", required=True, help="the clinic's Twilio number"
    )
    configure.add_argument("--api-key", help="an API key SID (SK…) instead of the Auth Token")
    configure.add_argument("--no-verify", action="store_true", help="store without asking Twilio")
    configure.set_defaults(handler=cmd_sms_configure)
    s_sub.add_parser("status", help="is SMS set up?").set_defaults(handler=cmd_sms_status)
    s_sub.add_parser("test", help="check the credentials with Twilio").set_defaults(
        handler=cmd_sms_test
    )
    s_sub.add_parser("forget", help="remove the credentials from this computer").set_defaults(
        handler=cmd_sms_forget
    )

    templates = sub.add_parser("templates", help="message templates")
    t_sub = templates.add_subparsers(dest="templates_command", required=True)
    t_sub.add_parser("list", help="every message kind and its text").set_defaults(
        handler=cmd_templates_list
    )
    for name, handler, text in (
        ("set", cmd_templates_set, "change a template"),
        ("preview", cmd_templates_preview, "show what a patient would get, parts and cost"),
    ):
        action = t_sub.add_parser(name, help=text)
        action.add_argument("kind", choices=sorted(KINDS))
        source = action.add_mutually_exclusive_group(required=name == "set")
        source.add_argument("--body", help="the text, with placeholders like {first_name}")
        source.add_argument("--file", type=Path, help="read the text from a UTF-8 file")
        action.set_defaults(handler=handler)
        if name == "set":
            action.add_argument(
                "--name", default="default", help="save a named wording (for an ask rule)"
            )
    reset = t_sub.add_parser("reset", help="go back to the default text")
    reset.add_argument("kind", choices=sorted(KINDS))
    reset.set_defaults(handler=cmd_templates_reset)

    asks = sub.add_parser("asks", help="referral ask rules and decisions")
    a_sub = asks.add_subparsers(dest="asks_command", required=True)
    rules = a_sub.add_parser("rules", help="the ask rules in force; set or remove one (owner)")
    rules.set_defaults(handler=cmd_asks_rules)
    r_sub = rules.add_subparsers(dest="rules_command")
    rule_set = r_sub.add_parser(
        "set", help="a visit type's rule (replaces its rule of the same kind); * is any visit"
    )
    rule_set.add_argument("visit_type")
    rule_set.add_argument("--action", choices=["ask", "soft_checkin"], required=True)
    when = rule_set.add_mutually_exclusive_group()
    when.add_argument("--after", type=int, metavar="DAYS", help="days after the visit")
    when.add_argument("--after-visit", type=int, metavar="N", help="at the Nth attended visit")
    rule_set.add_argument(
        "--needs-happy", action="store_true", help="only after a visit the desk marked happy"
    )
    rule_set.add_argument("--template", metavar="NAME", help="a named wording (templates set)")
    rule_set.set_defaults(handler=cmd_asks_rules_set)
    rule_remove = r_sub.add_parser("remove", help="remove a visit type's rules")
    rule_remove.add_argument("visit_type")
    rule_remove.set_defaults(handler=cmd_asks_rules_remove)
    log = a_sub.add_parser("log", help="why each patient was or was not asked")
    log.add_argument("--patient", type=record_id)
    log.set_defaults(handler=cmd_asks_log)


# -- messages ---------------------------------------------------------------------------------
def cmd_messages_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    rows = ctx.services.messages.outbox(args.status, limit=args.limit)
    zone = ctx.services.clinic.info().timezone
    lines = []
    for row in rows:
        when = row.next_attempt_at or row.sent_at or row.created_at
        extra = f" — {row.error}" if row.error else ""
        parts = f"{row.segments} part{'s' if row.segments != 1 else ''}"
        lines.append(
            f"#{row.id:<6} {row.state:<22} {when_text(when, zone)}  {row.patient_name} "
            f"({row.to}) · {row.kind_label} · {parts}{extra}"
        )
    return Output(rows, "\n".join(lines) or "No messages.")


def cmd_messages_cancel(ctx: CliContext, args: argparse.Namespace) -> Output:
    row = ctx.services.messages.cancel(ctx.actor, args.id)
    return Output(row, f"Message #{row.id} cancelled.")


def cmd_messages_retry(ctx: CliContext, args: argparse.Namespace) -> Output:
    row = ctx.services.messages.retry(ctx.actor, args.id)
    return Output(row, f"Message #{row.id} will be sent at the next sync.")


# -- inbox ------------------------------------------------------------------------------------
def cmd_inbox_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    rows = ctx.services.messages.inbox(include_handled=args.all)
    zone = ctx.services.clinic.info().timezone
    lines = [
        f"#{r.id:<6} {when_text(r.received_at, zone)}  {r.patient_name} ({r.from_}): "
        f"{r.body}{' [handled]' if r.handled_at else ''}"
        for r in rows
    ]
    return Output(rows, "\n".join(lines) or "No replies waiting for the desk.")


def cmd_inbox_handled(ctx: CliContext, args: argparse.Namespace) -> Output:
    ctx.services.messages.mark_handled(ctx.actor, args.id)
    return Output({"id": args.id, "handled": True}, f"Reply #{args.id} marked handled.")


# -- sync -------------------------------------------------------------------------------------
def cmd_sync(ctx: CliContext, args: argparse.Namespace) -> Output:
    if args.once:
        report = ctx.services.sms.sync_once()
        return Output(report, report.summary())
    if args.every < 10:
        raise InvalidInputError("Sync at most every 10 seconds (--every 10 or more).")
    engine = ctx.services.sms.engine()
    zone = ctx.services.clinic.info().timezone
    try:
        while True:
            report = engine.run_once()
            stamp = to_clinic(ctx.clock.now(), zone)  # a log line: to the second
            sys.stdout.write(f"{stamp:%H:%M:%S} {report.summary()}\n")
            sys.stdout.flush()
            time.sleep(args.every)
    except KeyboardInterrupt:
        return Output(None, "Stopped.")


# -- sms --------------------------------------------------------------------------------------
def _read_secret(api_key: bool) -> str:
    what = "API key secret" if api_key else "Auth Token"
    if sys.stdin.isatty():
        return getpass.getpass(f"Twilio {what}: ")
    secret = sys.stdin.readline().strip()
    if not secret:
        raise InvalidInputError(f"Pass the Twilio {what} on standard input.")
    return secret


def cmd_sms_configure(ctx: CliContext, args: argparse.Namespace) -> Output:
    secret = _read_secret(bool(args.api_key))
    note = ctx.services.sms.configure(
        ctx.actor,
        account_sid=args.account_sid,
        secret=secret,
        from_number=args.from_number,
        api_key_sid=args.api_key,
        verify=not args.no_verify,
    )
    setup = ctx.services.sms.setup()
    return Output(setup, f"{note} Texts go out from {setup.from_number}.")


def cmd_sms_status(ctx: CliContext, args: argparse.Namespace) -> Output:
    setup = ctx.services.sms.setup()
    if setup.configured:
        text = f"SMS is set up: account {setup.account}, sending from {setup.from_number}."
    else:
        text = f"SMS is not set up: {setup.problem}"
    return Output(setup, text)


def cmd_sms_test(ctx: CliContext, args: argparse.Namespace) -> Output:
    note = ctx.services.sms.test_connection()
    return Output({"ok": True, "message": note}, note)


def cmd_sms_forget(ctx: CliContext, args: argparse.Namespace) -> Output:
    ctx.services.sms.forget(ctx.actor)
    return Output({"ok": True}, "The Twilio credentials were removed from this computer.")


# -- templates --------------------------------------------------------------------------------
def _body(args: argparse.Namespace) -> str | None:
    if args.file is not None:
        try:
            return args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInputError(f"Could not read {args.file}: {error}") from None
    return args.body


def cmd_templates_list(ctx: CliContext, args: argparse.Namespace) -> Output:
    rows = ctx.services.templates.list()
    text = "\n\n".join(
        f"{t.label} ({t.kind}{', customised' if t.customised else ''}):\n  {t.body}" for t in rows
    )
    return Output(rows, text)


def cmd_templates_set(ctx: CliContext, args: argparse.Namespace) -> Output:
    saved = ctx.services.templates.save(ctx.actor, args.kind, _body(args) or "", args.name)
    preview = ctx.services.templates.preview(saved.kind, saved.body)
    named = f" wording “{args.name}”" if args.name != "default" else ""
    text = f"Saved {saved.label}{named}. {preview.summary}, about {preview.cost} each."
    return Output(saved, text)


def cmd_templates_preview(ctx: CliContext, args: argparse.Namespace) -> Output:
    body = _body(args)
    if body is None:
        body = next(t.body for t in ctx.services.templates.list() if t.kind == args.kind)
    preview = ctx.services.templates.preview(args.kind, body)
    if preview.error:
        raise InvalidInputError(preview.error)
    return Output(preview, f"{preview.text}\n\n{preview.summary} · about {preview.cost} each")


def cmd_templates_reset(ctx: CliContext, args: argparse.Namespace) -> Output:
    info = ctx.services.templates.reset(ctx.actor, args.kind)
    return Output(info, f"{info.label} is back to the default text.")


# -- asks -------------------------------------------------------------------------------------
def cmd_asks_rules(ctx: CliContext, args: argparse.Namespace) -> Output:
    rules = ctx.services.asks.rules()
    text = "\n".join(f"- {rule.describe()}" for rule in rules) or "No ask rules."
    return Output([rule.to_dict() for rule in rules], text)


def cmd_asks_rules_set(ctx: CliContext, args: argparse.Namespace) -> Output:
    rule = rule_from_options(
        args.visit_type,
        args.action,
        after_days=args.after,
        after_visits=args.after_visit,
        needs_happy=args.needs_happy,
        template=args.template,
    )
    rules = ctx.services.asks.set_rule(ctx.actor, rule)
    chosen = next(r for r in rules if r.visit_type.casefold() == rule.visit_type.casefold())
    return Output([r.to_dict() for r in rules], f"Saved: {chosen.describe()}.")


def cmd_asks_rules_remove(ctx: CliContext, args: argparse.Namespace) -> Output:
    rules = ctx.services.asks.remove_rules(ctx.actor, args.visit_type)
    left = "\n".join(f"- {rule.describe()}" for rule in rules) or "No ask rules left."
    return Output([r.to_dict() for r in rules], f"Removed the rules for {args.visit_type}.\n{left}")


def cmd_asks_log(ctx: CliContext, args: argparse.Namespace) -> Output:
    rows = ctx.services.asks.decisions(args.patient)
    zone = ctx.services.clinic.info().timezone
    text = "\n".join(
        f"{when_text(d.decided_at, zone)}  patient {d.patient_id}: {d.describe()}" for d in rows
    )
    return Output(rows, text or "No ask decisions yet.")
