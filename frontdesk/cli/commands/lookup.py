"""lookup: what the search box finds."""

from __future__ import annotations

import argparse

from frontdesk.cli.commands.base import CliContext, Output, SubParsers
from frontdesk.domain.errors import NotFoundError, UnknownCodeError


def register(sub: SubParsers) -> None:
    lookup = sub.add_parser("lookup", help="find patients by code, phone, name or email")
    lookup.add_argument("query")
    lookup.set_defaults(handler=cmd_lookup)


def cmd_lookup(ctx: CliContext, args: argparse.Namespace) -> Output:
    result = ctx.services.lookup.lookup(args.query)
    if not result.hits:
        if result.suggestions:
            raise UnknownCodeError(
                f"No patient has the code {args.query!r}. Did you mean "
                + " or ".join(result.suggestions)
                + "?",
                result.suggestions,
            )
        raise NotFoundError(result.message or f"No one matches {args.query!r}.")
    patients = [hit.patient for hit in result.hits]
    lines = [
        f"{hit.patient.name:<28} {hit.masked_phone:<18} {hit.patient.code or '':<12} "
        f"{hit.badge or '':<10} {hit.fact or ''}".rstrip()
        for hit in result.hits
    ]
    return Output(patients, "\n".join(lines))
