"""patients add, checkin, referrals attach: the desk's work without the GUI."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, command_group, whole_number
from frontdesk.domain.errors import SelfReferralError
from frontdesk.domain.money import format_money, max_visit_minor, parse_amount
from frontdesk.domain.person_fields import split_full_name
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.dto import PatientRef


def register(sub: SubParsers) -> None:
    patients = command_group(sub, "patients", "patients on file")
    add = patients.add_parser("add", help="add a new patient (and who referred them)")
    add.add_argument("--name", required=True, help="full name, e.g. 'Tom Baker'")
    add.add_argument("--phone", help="mobile number in any format")
    add.add_argument("--email")
    add.add_argument("--consent", action="store_true", help="the patient agrees to SMS")
    add.add_argument("--birth-year", type=whole_number(1000, 9999))
    add.add_argument("--referred-by", metavar="QUERY", help="referrer's code, phone or name")
    add.add_argument(
        "--override-reason",
        metavar="REASON",
        help="owner only: let a referral through although phone/email match the referrer's",
    )
    add.set_defaults(handler=cmd_patients_add)

    checkin = sub.add_parser("checkin", help="record an attended visit and its effects")
    checkin.add_argument("query", help="code, phone, email or name of the patient")
    checkin.add_argument("--visit-type", help="default: today's booking or the usual type")
    checkin.add_argument("--amount", help="amount paid, e.g. 55.00")
    checkin.add_argument("--happy", action="store_true", help="the patient left happy")
    checkin.set_defaults(handler=cmd_checkin)

    referrals = command_group(sub, "referrals", "referrals: who brought whom")
    attach = referrals.add_parser(
        "attach", help="attach a forgotten referrer after the first visit"
    )
    attach.add_argument("new", metavar="NEW", help="the new patient (code, phone or name)")
    attach.add_argument("referrer", metavar="REFERRER", help="who referred them")
    attach.add_argument("--reason", required=True, help="why it is attached late")
    attach.add_argument("--override-reason", metavar="REASON", help="owner only, see add")
    attach.set_defaults(handler=cmd_referrals_attach)


@contextmanager
def _override_hint() -> Iterator[None]:
    """On the command line, say how an owner lets a refused self-referral through."""
    try:
        yield
    except SelfReferralError as error:
        raise SelfReferralError(f"{error.message} (Owner: add --override-reason REASON.)") from None


def patient_json(ref: PatientRef) -> dict[str, Any]:
    return {
        "id": ref.id,
        "name": ref.name,
        "phone": ref.phone,
        "email": ref.email,
        "code": ref.code,
    }


def cmd_patients_add(ctx: CliContext, args: argparse.Namespace) -> Output:
    name = split_full_name(args.name)
    with _override_hint():
        added = ctx.services.patients.add(
            ctx.actor,
            NewPatientForm(
                first_name=name.first,
                last_name=name.last,
                phone=args.phone,
                email=args.email,
                sms_consent=args.consent,
                birth_year=args.birth_year,
            ),
            referred_by=args.referred_by,
            override_reason=args.override_reason,
        )
    referral = None
    if added.referral_id is not None and added.referrer is not None:
        referral = {
            "id": added.referral_id,
            "referrer": patient_json(added.referrer),
            "referee": patient_json(added.patient),
            "status": added.referral_status,
            "override": added.overridden,
        }
    data = {**patient_json(added.patient), "referral": referral, "notes": list(added.notes)}
    return Output(data, "\n".join(added.notes))


def cmd_checkin(ctx: CliContext, args: argparse.Namespace) -> Output:
    patient = ctx.services.lookup.resolve(args.query)
    currency = ctx.services.clinic.info().currency
    amount = None
    if args.amount is not None:
        limit = max_visit_minor(currency)
        amount = parse_amount(args.amount, currency, maximum=limit, what="amount paid")
    visit_type = args.visit_type or ctx.services.checkin.suggested_visit_type(patient.id)
    result = ctx.services.checkin.check_in(
        ctx.actor, patient.id, visit_type, amount, happy=args.happy
    )
    data = {
        "visit_id": result.visit_id,
        "patient": patient_json(result.patient),
        "visit_type": result.visit_type,
        "at": result.at,
        "amount": format_money(amount, currency) if amount is not None else None,
        "amount_minor": amount,
        "currency": currency,
        "happy": result.happy,
        "first_visit": result.first_attended,
        "notes": list(result.notes),
    }
    return Output(data, "\n".join(result.notes))


def cmd_referrals_attach(ctx: CliContext, args: argparse.Namespace) -> Output:
    with _override_hint():
        attached = ctx.services.patients.attach_referrer(
            ctx.actor,
            referee=args.new,
            referrer=args.referrer,
            reason=args.reason,
            override_reason=args.override_reason,
        )
    data = {
        "id": attached.referral_id,
        "referrer": patient_json(attached.referrer),
        "referee": patient_json(attached.referee),
        "status": attached.status,
        "notes": list(attached.notes),
    }
    return Output(data, "\n".join(attached.notes))
