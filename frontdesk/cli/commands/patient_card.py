"""patients show: the patient card as the desk sees it, so what it says can be checked headless.

Everything comes from the card service's one read (``services.cards``); nothing is re-queried.
"""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, command_group
from frontdesk.cli.commands.checkin import patient_json
from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.money import format_money
from frontdesk.services.patients.dto import PatientCard, ReferralLine


def register(sub: SubParsers) -> None:
    patients = command_group(sub, "patients", "patients on file")
    show = patients.add_parser("show", help="the patient card as the desk sees it")
    show.add_argument("query", help="code, phone, email or name of the patient")
    show.set_defaults(handler=cmd_patients_show)


def cmd_patients_show(ctx: CliContext, args: argparse.Namespace) -> Output:
    patient = ctx.services.lookup.resolve(args.query)
    card = ctx.services.cards.card(patient.id)
    zone = ctx.services.clinic.info().timezone
    return Output(card_json(card, zone), card_text(card, zone))


def _referral(card: PatientCard, line: ReferralLine, *, made: bool, zone: str) -> dict[str, Any]:
    """A referral as SPEC §11 shapes it: the patient on the card in full, the other by name."""
    other = {"id": line.other_id, "name": line.other}
    this = patient_json(card.patient)
    return {
        "id": line.referral_id,
        "referrer": this if made else other,
        "referee": other if made else this,
        "status": line.status,
        "introduced": day_text(line.at, zone),
    }


def card_json(card: PatientCard, zone: str) -> dict[str, Any]:
    return {
        **patient_json(card.patient),
        "masked_phone": card.masked_phone,
        "sms": card.sms_status,
        "credit": format_money(card.credit_minor, card.currency),
        "credit_minor": card.credit_minor,
        "currency": card.currency,
        "welcome_offer": card.welcome_offer,
        "completes_referral": card.completes_referral,
        "referral": (
            _referral(card, card.referred_by, made=False, zone=zone) if card.referred_by else None
        ),
        "referrals_made": [
            _referral(card, line, made=True, zone=zone) for line in card.referrals_made
        ],
        "flag": card.flag,
        "link": card.link,
        "visits": card.visits,
        "last_visit": day_text(card.last_visit, zone) or None,
        "checked_in_today": card.checked_in_today,
    }


def card_text(card: PatientCard, zone: str) -> str:
    """The card's facts, one per line, in the words the screen uses; a fact that is not true
    (no credit, no offer, no flag) is left out, as on the screen."""
    rows: list[tuple[str, str | None]] = [
        ("Phone", f"{card.masked_phone} ({card.sms_status})"),
        ("Credit", f"{format_money(card.credit_minor, card.currency)} available to redeem"),
        ("Welcome", card.welcome_offer),
        ("This visit", card.completes_referral),
    ]
    if card.referred_by:
        line = card.referred_by
        rows.append(("Referred by", f"{line.other} on {day_text(line.at, zone)} — {line.status}"))
    if card.referrals_made:
        rows.append(
            ("Referred", ", ".join(f"{line.other} ({line.status})" for line in card.referrals_made))
        )
    rows.append(("Flag", card.flag))
    rows.append(("Link", card.link or "no booking page set (clinic.booking_url)"))
    if card.visits:
        today = " (today)" if card.checked_in_today else ""
        rows.append(("Visits", f"{card.visits}, last {day_text(card.last_visit, zone)}{today}"))
    head = f"{card.patient.name}  {card.patient.code or '(no code)'}"
    return "\n".join([head, *(f"{label + ':':<13}{text}" for label, text in rows if text)])
